/**
 * The Temporal activities of the ticket workflow. Each wraps one intelligence port (or the event publisher):
 * it validates what crosses the boundary with zod, logs with the ticket id, and turns a non-retriable
 * TicketflowError into `ApplicationFailure.nonRetryable` so Temporal stops retrying what cannot succeed.
 */
import { Context } from '@temporalio/activity';
import {
  draftSchema,
  feedbackSchema,
  feedbackVerdictSchema,
  findingsSchema,
  securityBriefSchema,
  sopSchema,
  toolRunSchema,
  topics as allTopics,
  triageResultSchema,
  verificationSchema,
  type ExtractedEntity,
  type Draft,
  type Feedback,
  type FeedbackVerdict,
  type Findings,
  type QueryAnalysis,
  type SecurityBrief,
  type SecurityMetadata,
  type Sop,
  type ToolRun,
  type Topic,
  type TriageResult,
  type Verification,
} from '../core/domain';
import { TicketflowError } from '../core/errors';
import { EVENT_SCHEMA_VERSION, type Alert, type TicketEvent } from '../core/events';
import { createLogger, type Logger } from '../core/logger';
import { checkReply, type CheckedReply } from './drafting/check';
import { toActivityFailure } from './failure';
import type { EventPublisher } from './events';
import { keepAlive } from './keep-alive';
import type { DraftInput, Intelligence, MemoryRecord, OrgPatternAlert, TicketContext } from './ports';
import { proposalActivities, type ProposalObserver } from './proposal-activities';
import { TokenStream } from './token-stream';

export type { TicketContext, DraftInput, OrgPatternAlert };
export { toActivityFailure };

export interface ActivityDeps {
  intelligence: Intelligence;
  publisher: EventPublisher;
  /** At most this many token events in one produce (token-stream.ts). @default 256 */
  tokenBatchSize?: number;
  logger?: Logger;
  /** Counts proposals found and run (the worker's metrics). */
  proposals?: ProposalObserver;
}

export function createActivities(deps: ActivityDeps) {
  const { intelligence: intel, publisher } = deps;
  const baseLog = deps.logger ?? createLogger('activities');
  const tokenBatch = deps.tokenBatchSize ?? 256;

  /**
   * Runs one port call with the ticket's logger; converts failures for Temporal. Heartbeats while it runs, so a
   * killed worker is noticed within the heartbeatTimeout (drafting included: a model can think for a long time
   * before its first token, and a stuck one still ends at the start-to-close timeout).
   */
  async function run<T>(name: string, ticketId: string | undefined, fn: (log: Logger) => Promise<T>): Promise<T> {
    const log = baseLog.child({ activity: name, ...(ticketId ? { ticketId } : {}) });
    try {
      return await keepAlive(() => fn(log));
    } catch (err) {
      const attempt = safeAttempt();
      log.warn('activity failed', { error: (err as Error)?.message, code: (err as TicketflowError)?.code, attempt });
      throw toActivityFailure(err);
    }
  }

  /**
   * What the ticket emitted before this step and handed to its activity (workflows/outbox.ts handOff): on
   * Kafka before the activity's own work, without a publish activity and a workflow task of its own.
   */
  const publishFirst = async (before: TicketEvent[] | undefined) => {
    if (before && before.length > 0) await publisher.publishEvents(before);
  };

  return {
    /** `entities` present: the text was scrubbed at the edge (core/intake.ts); absent: raw text, scrubbed here. */
    async triageTicket(
      ctx: TicketContext,
      text: string,
      entities?: ExtractedEntity[] | null,
      before?: TicketEvent[],
    ): Promise<TriageResult> {
      return run('triageTicket', ctx.ticketId, async (log) => {
        await publishFirst(before);
        if (text.trim() === '') throw new TicketflowError('bad_input', 'the ticket text is empty');
        const triaged = entities
          ? await intel.triage.triageIntake(ctx, { redactedText: text, entities })
          : await intel.triage.triage(ctx, text);
        const result = triageResultSchema.parse(triaged);
        log.info('triaged', {
          topic: result.analysis.topic,
          urgency: result.analysis.urgency,
          sensitive: result.analysis.is_sensitive,
          model: result.model,
        });
        return result;
      });
    },

    async listAgentTopics(): Promise<Topic[]> {
      return intel.agents.topics.filter((t) => (allTopics as readonly string[]).includes(t));
    },

    async revokeTokens(ctx: TicketContext, security: SecurityMetadata): Promise<ToolRun> {
      return run('revokeTokens', ctx.ticketId, async () =>
        toolRunSchema.parse(await intel.security.revokeTokens(ctx, security)),
      );
    },

    async ipReputation(ctx: TicketContext, security: SecurityMetadata): Promise<ToolRun> {
      return run('ipReputation', ctx.ticketId, async () =>
        toolRunSchema.parse(await intel.security.ipReputation(ctx, security)),
      );
    },

    async auditEvents(ctx: TicketContext): Promise<ToolRun> {
      return run('auditEvents', ctx.ticketId, async () => toolRunSchema.parse(await intel.security.auditEvents(ctx)));
    },

    async securityBrief(
      ctx: TicketContext,
      analysis: QueryAnalysis,
      security: SecurityMetadata,
      runs: ToolRun[],
      before?: TicketEvent[],
    ): Promise<SecurityBrief> {
      return run('securityBrief', ctx.ticketId, async () => {
        await publishFirst(before);
        return securityBriefSchema.parse(await intel.security.brief(ctx, analysis, security, runs));
      });
    },

    async storeIncident(
      ctx: TicketContext,
      analysis: QueryAnalysis,
      security: SecurityMetadata,
      brief: SecurityBrief,
    ): Promise<{ incidentId: string }> {
      return run('storeIncident', ctx.ticketId, async () =>
        intel.security.storeIncident(ctx, analysis, security, brief),
      );
    },

    async findSop(ctx: TicketContext, topic: Topic, text: string): Promise<Sop | null> {
      return run('findSop', ctx.ticketId, async (log) => {
        const sop = await intel.knowledge.findSop(topic, text);
        log.info(sop ? 'sop found' : 'no sop', { topic, sopId: sop?.id });
        return sop ? sopSchema.parse(sop) : null;
      });
    },

    async saveSop(
      ctx: TicketContext,
      topic: Topic,
      sop: { title: string; body: string; author: string },
    ): Promise<Sop> {
      return run('saveSop', ctx.ticketId, async () =>
        sopSchema.parse(await intel.knowledge.saveSop(topic, sop.title, sop.body, sop.author, ctx.ticketId)),
      );
    },

    async investigate(
      ctx: TicketContext,
      topic: Topic,
      sop: Sop,
      analysis: QueryAnalysis,
      redactedText: string,
      before?: TicketEvent[],
    ): Promise<Findings> {
      return run('investigate', ctx.ticketId, async () => {
        await publishFirst(before);
        const findings = findingsSchema.parse(await intel.agents.investigate(ctx, topic, sop, analysis, redactedText));
        for (const p of findings.proposals ?? [])
          deps.proposals?.proposal(p.kind, p.preapproved ? 'preapproved' : 'proposed');
        return findings;
      });
    },

    async userHistory(ctx: TicketContext): Promise<string[]> {
      return run('userHistory', ctx.ticketId, async () => intel.memory.history(ctx, 5));
    },

    /**
     * Writes the draft, streaming `token` events that carry the seq the workflow reserved for the `draft`
     * event plus a part index: a retried attempt republishes the same (seq, part) pairs. `before` goes out
     * first, so no subscriber gets a preview ahead of the events numbered below it.
     */
    async draftReply(req: { input: DraftInput; seq: number; before?: TicketEvent[] }): Promise<Draft> {
      const { input, seq } = req;
      return run('draftReply', input.ctx.ticketId, async (log) => {
        await publishFirst(req.before);
        let part = 0;
        const attempt = safeAttempt();
        const tokens = new TokenStream(
          (batch) => publisher.publishEvents(batch),
          tokenBatch,
          () => heartbeat({ part }),
        );
        const draft = await intel.drafter.draft(input, (text) =>
          tokens.push({
            v: EVENT_SCHEMA_VERSION,
            ticketId: input.ctx.ticketId,
            seq,
            part: part++,
            type: 'token',
            at: new Date().toISOString(),
            data: { text, version: input.version, attempt },
          }),
        );
        await tokens.drain();
        const parsed = draftSchema.parse({ ...draft, version: input.version });
        log.info('drafted', {
          version: parsed.version,
          model: parsed.model,
          tokens: part,
          violation: parsed.violation,
        });
        return parsed;
      });
    },

    /** An agent's own reply (edited or written by hand): redacted and checked like any draft before it can go out. */
    async checkReply(ctx: TicketContext, text: string, runs: ToolRun[]): Promise<CheckedReply> {
      return run('checkReply', ctx.ticketId, async (log) => {
        const checked = await checkReply(
          text,
          runs.map((r) => toolRunSchema.parse(r)),
          intel.guardrail,
        );
        if (checked.violation) log.warn('agent reply refused', { violation: checked.violation });
        return checked;
      });
    },

    async verifyService(ctx: TicketContext, topic: Topic): Promise<Verification> {
      return run('verifyService', ctx.ticketId, async () =>
        verificationSchema.parse(await intel.verifier.verify(ctx, topic)),
      );
    },

    async analyzeFeedback(ctx: TicketContext, feedback: Feedback): Promise<FeedbackVerdict> {
      return run('analyzeFeedback', ctx.ticketId, async () =>
        feedbackVerdictSchema.parse(await intel.feedback.analyze(ctx, feedbackSchema.parse(feedback))),
      );
    },

    async consolidateMemory(ctx: TicketContext, record: MemoryRecord): Promise<{ orgAlert?: OrgPatternAlert }> {
      return run('consolidateMemory', ctx.ticketId, async () => intel.memory.consolidate(ctx, record));
    },

    async publishEvents(events: TicketEvent[]): Promise<void> {
      return run('publishEvents', events[0]?.ticketId, async () => publisher.publishEvents(events));
    },

    ...proposalActivities(intel, run, deps.proposals),

    async publishAlert(alert: Alert): Promise<void> {
      return run('publishAlert', alert.ticketId, async (log) => {
        await publisher.publishAlert(alert);
        log.info('alert published', { kind: alert.kind });
      });
    },
  };
}

export type TicketActivities = ReturnType<typeof createActivities>;

function safeAttempt(): number | undefined {
  try {
    return Context.current().info.attempt;
  } catch {
    return undefined; // called outside an activity (unit tests)
  }
}

function heartbeat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // outside an activity
  }
}
