/**
 * Least privilege: an agent gets a toolbox holding only the tools its SOP names. Calling anything else
 * throws, whatever the ticket says. A tool with a side effect is declared as an `EffectTool` (its kind and
 * what one call would do) and every call of it goes through the action policy first: run now, a proposal
 * that waits for a person, or a refusal, each recorded with the reason. A known side-effect tool handed
 * over as a plain function is refused, so no agent can skip the policy by forgetting to declare it.
 */
import type { ActionKind, ProposedAction, Sop, ToolRun } from '../../core/domain';
import { TicketflowError } from '../../core/errors';
import { redactDeep } from '../../core/pii';
import type { ActionRequest, Decision } from '../policy';

export type ToolFn = (input: Record<string, unknown>) => Promise<ToolRun> | ToolRun;

export interface EffectTool {
  effect: ActionKind;
  /** What the call would do, for the policy; `{ refuse }` when it cannot be done at all (e.g. not verified). */
  plan(input: Record<string, unknown>): Omit<ActionRequest, 'kind' | 'tool'> | { refuse: string };
  run: ToolFn;
  /**
   * Runs only when a person approves the reply, never during the investigation: what the policy would let
   * run unattended becomes a preapproved proposal instead (a rejected draft then leaves nothing done).
   */
  deferred?: boolean;
}

/** Tools that change something: they must come as EffectTools. */
export const SIDE_EFFECT_TOOLS: ReadonlySet<string> = new Set([
  'refund',
  'revoke_tokens',
  'lock_account',
  'reset_2fa',
  'change_email',
  'change_spending_limit',
  'change_owner',
  'change_plan',
]);

export interface Toolbox {
  allowed(name: string): boolean;
  call(name: string, input: Record<string, unknown>): Promise<ToolRun>;
  readonly runs: ToolRun[];
  readonly proposals: ProposedAction[];
}

export function createToolbox(
  sop: Sop,
  all: Record<string, ToolFn | EffectTool>,
  decide?: (req: ActionRequest) => Decision,
): Toolbox {
  const allowed = new Set(sop.allowedTools);
  const runs: ToolRun[] = [];
  const proposals: ProposedAction[] = [];
  const record = (result: ToolRun) => {
    const clean = { ...result, output: redactDeep(result.output) };
    runs.push(clean);
    return clean;
  };

  async function invoke(name: string, fn: ToolFn, input: Record<string, unknown>): Promise<ToolRun> {
    try {
      return await fn(input);
    } catch (err) {
      if (err instanceof TicketflowError && !err.retriable)
        return { tool: name, ok: false, summary: err.message, output: {} };
      throw err;
    }
  }

  async function callEffect(name: string, tool: EffectTool, input: Record<string, unknown>): Promise<ToolRun> {
    if (!decide)
      throw new TicketflowError('internal', `tool ${name} has a side effect but this toolbox has no action policy`);
    const plan = tool.plan(input);
    if ('refuse' in plan)
      return record({
        tool: name,
        ok: false,
        summary: `${name} refused: ${plan.refuse}`,
        output: { decision: 'refuse', reason: plan.refuse },
      });
    // What this investigation already preapproved counts toward the per-ticket cap, though it runs later.
    const preapprovedCents = proposals
      .filter((p) => p.preapproved && p.kind === tool.effect)
      .reduce((sum, p) => sum + (p.amountCents ?? 0), 0);
    const req: ActionRequest = {
      ...plan,
      kind: tool.effect,
      tool: name,
      ...(plan.ticketRefundedCents !== undefined
        ? { ticketRefundedCents: plan.ticketRefundedCents + preapprovedCents }
        : {}),
    };
    const decision = decide(req);
    const preapproved = decision.verdict === 'run' && tool.deferred === true;
    if (decision.verdict === 'run' && !preapproved) return record(await invoke(name, tool.run, input));
    if (decision.verdict === 'refuse')
      return record({
        tool: name,
        ok: false,
        summary: `${name} of ${req.target} refused: ${decision.reason}`,
        output: { decision: 'refuse', reason: decision.reason },
      });
    const proposal: ProposedAction = {
      id: `${name}:${req.target}`,
      kind: tool.effect,
      tool: name,
      target: req.target,
      input,
      ...(req.amountCents !== undefined ? { amountCents: req.amountCents } : {}),
      ...(req.currency ? { currency: req.currency } : {}),
      reason: decision.reason,
      ...(preapproved ? { preapproved } : {}),
    };
    if (!proposals.some((p) => p.id === proposal.id)) proposals.push(proposal);
    return record({
      tool: name,
      ok: false,
      summary: preapproved
        ? `${name} of ${req.target} runs when the reply is approved: ${decision.reason}`
        : `${name} of ${req.target} waits for a person's confirmation: ${decision.reason}`,
      output: {
        decision: 'propose',
        proposalId: proposal.id,
        reason: decision.reason,
        ...(preapproved ? { preapproved } : {}),
      },
    });
  }

  return {
    runs,
    proposals,
    allowed: (name) => allowed.has(name) && name in all,
    async call(name, input) {
      if (!allowed.has(name)) throw new TicketflowError('policy', `tool ${name} is not allowed by SOP ${sop.id}`);
      const tool = all[name];
      if (!tool) throw new TicketflowError('internal', `tool ${name} is named by SOP ${sop.id} but not installed`);
      if (typeof tool !== 'function') return callEffect(name, tool, input);
      if (SIDE_EFFECT_TOOLS.has(name))
        throw new TicketflowError(
          'internal',
          `tool ${name} has a side effect: declare it as an EffectTool so the action policy sees every call`,
        );
      return record(await invoke(name, tool, input));
    },
  };
}
