/**
 * The shape every read-only team agent shares: run, in a fixed order, each tool its SOP allows (the
 * toolbox refuses the rest), then report exactly what the tools returned. The findings never say an action
 * was taken: these tools only read, so the reply can only state what was found.
 */
import type { Findings, Sop, Topic, ToolRun } from '../../core/domain';
import { redact } from '../../core/pii';
import type { TicketContext } from '../ports';
import { sopSteps } from './sop-steps';
import { createToolbox, type ToolFn } from './toolbox';

/**
 * A read-only tool. It sees the ticket's context (its user and org: the only keys it may look up) and the
 * redacted text (only ever searched for ids of a fixed shape, never read as instructions).
 */
export type TeamTool = (ctx: TicketContext, redactedText: string) => ToolRun;

export interface TeamAgentSpec {
  topic: Topic;
  /** The team's tools, in the order an investigation runs them. */
  tools: Record<string, TeamTool>;
  /** Why a person must act, judged from what the tools returned (never from the ticket's words). */
  needsHuman?: (runs: readonly ToolRun[], sop: Sop) => string | undefined;
}

/** The toolbox redacts outputs; summaries can quote what people wrote (a post title), so they are redacted here. */
export function toolRun(tool: string, ok: boolean, summary: string, output: Record<string, unknown>): ToolRun {
  return { tool, ok, summary: redact(summary), output };
}

/** The output of the first run of `tool`, when it ran. */
export function outputOf<T>(runs: readonly ToolRun[], tool: string): T | undefined {
  return runs.find((r) => r.tool === tool)?.output as T | undefined;
}

export function createTeamAgent(spec: TeamAgentSpec) {
  return async function investigate(ctx: TicketContext, sop: Sop, redactedText: string): Promise<Findings> {
    const fns: Record<string, ToolFn> = {};
    for (const [name, tool] of Object.entries(spec.tools)) fns[name] = () => tool(ctx, redactedText);
    const box = createToolbox(sop, fns);
    for (const name of Object.keys(spec.tools)) if (box.allowed(name)) await box.call(name, {});
    const parts = [`Followed SOP "${sop.title}".`, ...box.runs.map((r) => `${r.summary}.`)];
    if (!box.runs.length) parts.push('The SOP allows no tools; steps are for a person to carry out.');
    const needsHuman = spec.needsHuman?.(box.runs, sop);
    return {
      topic: spec.topic,
      sopId: sop.id,
      summary: parts.join(' '),
      steps: sopSteps(sop),
      toolRuns: box.runs,
      ...(needsHuman ? { needsHuman } : {}),
    };
  };
}

const MINUTE = 60_000;

/** "3 day(s) ago", "in 20 day(s)", "45 min ago": how a tool says when, relative to now. */
export function relative(iso: string, now = Date.now()): string {
  const minutes = Math.round((Date.parse(iso) - now) / MINUTE);
  const abs = Math.abs(minutes);
  const span =
    abs >= 48 * 60
      ? `${Math.round(abs / (24 * 60))} day(s)`
      : abs >= 120
        ? `${Math.round(abs / 60)} hour(s)`
        : `${abs} min`;
  return minutes < 0 ? `${span} ago` : `in ${span}`;
}

export const isPast = (iso: string, now = Date.now()) => Date.parse(iso) <= now;

/** Compares dotted versions numerically ("2.311.0" < "2.321.0"); missing parts count as 0. */
export function versionBefore(a: string, b: string): boolean {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}
