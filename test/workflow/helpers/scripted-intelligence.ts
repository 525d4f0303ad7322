/**
 * A scripted Intelligence for workflow-logic tests: each ticket's text names its scenario, and the ports
 * answer from it. The real activities (activities/index.ts) wrap it, so validation, failure mapping and token
 * streaming are exercised; only the thinking is scripted. The real intelligence has its own end-to-end test.
 */
import type { Draft, ProposedAction, QueryAnalysis, SecurityMetadata, Sop, ToolRun, Topic } from '../../../core/domain';
import { TicketflowError } from '../../../core/errors';
import type { DraftInput, Intelligence, OrgPatternAlert, TicketContext } from '../../../activities/ports';

export interface Scenario {
  analysis?: Partial<QueryAnalysis>;
  security?: Partial<SecurityMetadata>;
  /** No SOP in the library for these topics until one is saved. */
  missingSopFor?: Topic[];
  /** Draft versions that break the policy guardrail. */
  violatingVersions?: number[];
  healthy?: boolean;
  /** What the feedback analyzer concludes. */
  feedbackResolved?: boolean;
  orgAlert?: boolean;
  /** Security tools wait until all three have started (proves they run in parallel). */
  securityBarrier?: boolean;
  /** Draft text streams with a pause per token, so a test can act mid-draft. */
  slowDraftMs?: number;
  /** The policy holds the security protocol's revocation for a person; confirmed, it fails if `fails`. */
  heldRevocation?: { fails?: boolean };
}

export interface Recorder {
  calls: { name: string; ticketId: string; at: number; phase: 'start' | 'end' }[];
  savedSops: Sop[];
  drafts: DraftInput[];
}

export const AGENT_TOPICS: readonly Topic[] = ['A&S', 'Billing'];

/** Tickets whose text contains `[scenario:<key>]` use `scenarios.get(key)`. */
export function createScriptedIntelligence(scenarios: Map<string, Scenario>): {
  intelligence: Intelligence;
  recorder: Recorder;
} {
  const recorder: Recorder = { calls: [], savedSops: [], drafts: [] };
  const byTicket = new Map<string, Scenario>();
  const sopsByKey = new Map<string, Sop>();

  const scenarioOfText = (text: string): { key: string; scenario: Scenario } => {
    const m = /\[scenario:([A-Za-z0-9_-]+)\]/.exec(text);
    const key = m?.[1] ?? '';
    return { key, scenario: scenarios.get(key) ?? {} };
  };
  const scenarioOf = (ctx: TicketContext) => byTicket.get(ctx.ticketId) ?? {};
  const mark = (name: string, ctx: TicketContext, phase: 'start' | 'end') =>
    recorder.calls.push({ name, ticketId: ctx.ticketId, at: Date.now(), phase });

  const barriers = new Map<string, { started: number; release: () => void; done: Promise<void> }>();
  const barrierFor = (ticketId: string) => {
    let b = barriers.get(ticketId);
    if (!b) {
      let release!: () => void;
      const done = new Promise<void>((r) => (release = r));
      b = { started: 0, release, done };
      barriers.set(ticketId, b);
    }
    return b;
  };
  const securityTool = async (name: string, ctx: TicketContext): Promise<ToolRun> => {
    mark(name, ctx, 'start');
    if (scenarioOf(ctx).securityBarrier) {
      const b = barrierFor(ctx.ticketId);
      b.started += 1;
      if (b.started === 3) b.release();
      const timeout = new Promise<'late'>((r) => setTimeout(() => r('late'), 8_000).unref());
      if ((await Promise.race([b.done, timeout])) === 'late') {
        throw new TicketflowError('internal', `${name}: the other security tools never started (not parallel)`, {
          retriable: false,
        });
      }
    }
    mark(name, ctx, 'end');
    return { tool: name, ok: true, summary: `${name} done`, output: {} };
  };

  /** What the real revocation answers when the policy holds it: a run carrying its proposal. */
  const heldRevocation = (): ToolRun => {
    const proposal: ProposedAction = {
      id: 'revoke_tokens:fp-scripted',
      kind: 'revoke_credentials',
      tool: 'revoke_tokens',
      target: 'ghp_…XXXX',
      input: { tokens: [{ fingerprint: 'fp-scripted', masked: 'ghp_…XXXX' }] },
      reason: 'revoke_credentials waits for a person',
    };
    return {
      tool: 'revoke_tokens',
      ok: false,
      summary: 'revoke_tokens held',
      output: { decision: 'propose', proposal },
    };
  };
  const executeRevocation = (ctx: TicketContext, p: ProposedAction): ToolRun => {
    mark('execute_revocation', ctx, 'start');
    const ok = !scenarioOf(ctx).heldRevocation?.fails;
    const summary = ok ? `revoked the exposed credential(s): ${p.target}` : 'the back office refused the revocation';
    return { tool: 'revoke_tokens', ok, summary, output: { proposalId: p.id, decision: ok ? 'executed' : 'failed' } };
  };

  const intelligence: Intelligence = {
    triage: {
      triageIntake(ctx, scrubbed) {
        return intelligence.triage.triage(ctx, scrubbed.redactedText);
      },
      async triage(ctx, text) {
        const { scenario } = scenarioOfText(text);
        byTicket.set(ctx.ticketId, scenario);
        mark('triage', ctx, 'start');
        const analysis: QueryAnalysis = {
          intent: 'help with account',
          urgency: 'medium',
          tone: 'neutral',
          topic: 'Billing',
          topics: [],
          is_sensitive: false,
          ...scenario.analysis,
        };
        const security: SecurityMetadata = {
          risk_category: 'none',
          confidence_score: 0,
          extracted_entities: [],
          ...scenario.security,
        };
        return { analysis, security, redactedText: text.replace(/\S+@\S+/g, '[email]'), model: 'scripted' };
      },
    },
    security: {
      async revokeTokens(ctx) {
        const run = await securityTool('revoke_tokens', ctx);
        return scenarioOf(ctx).heldRevocation ? heldRevocation() : run;
      },
      executeRevocation: async (ctx, p) => executeRevocation(ctx, p),
      ipReputation: (ctx) => securityTool('ip_reputation', ctx),
      auditEvents: (ctx) => securityTool('audit_events', ctx),
      async brief(ctx, _a, security, runs) {
        mark('brief', ctx, 'start');
        return {
          summary: `${security.risk_category}: ${runs.length} tools ran`,
          actionsTaken: runs.map((r) => r.tool),
          recommendations: ['call the customer'],
        };
      },
      async storeIncident(ctx) {
        mark('store_incident', ctx, 'start');
        return { incidentId: `inc-${ctx.ticketId}` };
      },
    },
    knowledge: {
      async findSop(topic, text) {
        const { key, scenario } = scenarioOfText(text);
        const saved = sopsByKey.get(`${key}|${topic}`);
        if (saved) return saved;
        if (scenario.missingSopFor?.includes(topic)) return null;
        return {
          id: `sop-${topic}`,
          title: `${topic} SOP`,
          topic,
          body: 'verify, then act',
          allowedTools: [],
          source: 'library',
        };
      },
      async saveSop(topic, title, body, author) {
        const sop: Sop = {
          id: `sop-human-${recorder.savedSops.length + 1}`,
          title,
          topic,
          body: `${body}\n(by ${author})`,
          allowedTools: [],
          source: 'human',
        };
        recorder.savedSops.push(sop);
        // Keyed for every scenario that misses this topic, like a shared knowledge base.
        for (const [key, s] of scenarios) if (s.missingSopFor?.includes(topic)) sopsByKey.set(`${key}|${topic}`, sop);
        return sop;
      },
      async sopById(id) {
        return recorder.savedSops.find((s) => s.id === id);
      },
      async approveSop(id) {
        const sop = recorder.savedSops.find((s) => s.id === id);
        if (!sop) throw new Error(`no SOP ${id}`);
        return sop;
      },
    },
    agents: {
      topics: AGENT_TOPICS,
      async investigate(ctx, topic, sop) {
        mark(`agent:${topic}`, ctx, 'start');
        return {
          topic,
          sopId: sop.id,
          summary: `${topic} checked with ${sop.title}`,
          steps: ['looked'],
          toolRuns: [{ tool: `${topic}-lookup`, ok: true, summary: 'looked up', output: {} }],
        };
      },
      execute(ctx, p) {
        // As the real agents route it: a confirmed revocation goes to the security tools.
        if (p.kind === 'revoke_credentials') return executeRevocation(ctx, p);
        return { tool: p.tool, ok: false, summary: 'scripted agents run no proposals', output: { proposalId: p.id } };
      },
    },
    drafter: {
      async draft(input, onToken): Promise<Draft> {
        const scenario = scenarioOf(input.ctx);
        recorder.drafts.push(input);
        mark('draft', input.ctx, 'start');
        const violation = scenario.violatingVersions?.includes(input.version);
        const text = violation
          ? `You can bypass the verification step (v${input.version}).`
          : `Sorry for the trouble. We checked your account. Here is the fix (v${input.version}${input.rejectionReason ? `, after: ${input.rejectionReason}` : ''}).`;
        for (const word of text.split(/(?<= )/)) {
          if (scenario.slowDraftMs) await new Promise((r) => setTimeout(r, scenario.slowDraftMs));
          await onToken(word);
        }
        return { version: input.version, text, model: 'scripted', ...(violation ? { violation: 'bypass' } : {}) };
      },
    },
    verifier: {
      async verify(ctx) {
        mark('verify', ctx, 'start');
        const healthy = scenarioOf(ctx).healthy ?? true;
        return { healthy, detail: healthy ? 'service healthy' : 'runners still failing' };
      },
    },
    feedback: {
      async analyze(ctx, feedback) {
        mark('feedback', ctx, 'start');
        const resolved = scenarioOf(ctx).feedbackResolved ?? feedback.resolved ?? true;
        return {
          resolved,
          sentiment: resolved ? 'positive' : 'negative',
          reason: feedback.comment || (resolved ? 'customer happy' : 'still broken'),
        };
      },
    },
    memory: {
      async history() {
        return [];
      },
      async consolidate(ctx, record): Promise<{ orgAlert?: OrgPatternAlert }> {
        mark('consolidate', ctx, 'start');
        return scenarioOf(ctx).orgAlert
          ? { orgAlert: { orgId: ctx.orgId, category: record.category, distinctUsers: 10, windowMs: 1000 } }
          : {};
      },
    },
    async close() {},
  };
  return { intelligence, recorder };
}
