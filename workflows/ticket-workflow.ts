/**
 * One customer ticket, from arrival to feedback, as one durable workflow. The steps are phases of a small
 * state machine so a long wait can continue as new and resume at the same step with the same state.
 *
 * No I/O here: every model call, tool, store and Kafka publish is an activity (imported by type only).
 */
import {
  ActivityFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  isCancellation,
  patched,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  ApplicationFailure,
} from '@temporalio/workflow';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import type { TicketActivities } from '../activities';
import type { z } from 'zod';
import type { Queue, ReviewDecision, TicketStatus } from '../core/domain';
import type { Alert, TicketEventType } from '../core/events';
import { draftingOptions, modelCallOptions, publishingOptions, toolOptions } from './activity-options';
import { EventLog } from './event-log';
import {
  closeUpdate,
  customerMessageUpdate,
  escalateUpdate,
  feedbackSignal,
  feedbackUpdate,
  openTicketUpdate,
  provideSopUpdate,
  releaseUpdate,
  reviewSignal,
  reviewUpdate,
  limits,
  ticketActions,
  ticketStateQuery,
  type CloseInput,
  type MessageAck,
  type ReleaseInput,
  type SopInput,
} from './messages';
import { humanLiveReason, raiseUrgency, routeTicket } from './routing';
import { ticketQueueKey, ticketStatusKey, ticketTopicKey, ticketUrgencyKey } from './search-attributes';
import {
  DEFAULT_DURATIONS,
  DEFAULT_MAX_MESSAGES_PER_RUN,
  DEFAULT_MAX_REDRAFTS,
  initialState,
  initialWork,
  type Awaiting,
  type PendingReview,
  type Phase,
  type TicketInput,
  type TicketOutcome,
  type TicketState,
  type WorkState,
} from './state';

const model = proxyActivities<TicketActivities>(modelCallOptions);
const drafting = proxyActivities<TicketActivities>(draftingOptions);
const tools = proxyActivities<TicketActivities>(toolOptions);
const publishing = proxyActivities<TicketActivities>(publishingOptions);

/** Thrown out of a wait when history is large: the run loop continues as new at the same phase. */
class ContinueAsNewNeeded extends Error {}

const PUBLISH_BATCH = 100;
const UPDATE_RESULTS_KEPT = 100;

export async function ticketWorkflow(input: TicketInput): Promise<TicketOutcome> {
  return new TicketRun(input).run();
}

class TicketRun {
  private readonly state: TicketState;
  private readonly work: WorkState;
  private readonly log: EventLog;
  private readonly durations: Required<NonNullable<TicketInput['durations']>>;
  private readonly maxRedrafts: number;
  private readonly maxMessagesPerRun: number;
  private handledThisRun = 0;
  private publishing = false;
  private closeRequest: CloseInput | null = null;
  private mainScope: CancellationScope | null = null;

  constructor(private readonly input: TicketInput) {
    const carried = input.carried;
    this.state = carried?.state ?? initialState(input, nowIso());
    this.work = carried?.work ?? initialWork();
    this.log = new EventLog(input.ticketId, this.state, this.work.nextSeq);
    this.durations = { ...DEFAULT_DURATIONS, ...stripUndefined(input.durations ?? {}) };
    this.maxRedrafts = input.maxRedrafts ?? DEFAULT_MAX_REDRAFTS;
    this.maxMessagesPerRun = input.maxMessagesPerRun ?? DEFAULT_MAX_MESSAGES_PER_RUN;
    this.lastStatusKey = this.statusKey();
  }

  async run(): Promise<TicketOutcome> {
    this.installHandlers();
    // The publisher must outlive a cancellation: the closing events still have to reach Kafka.
    void CancellationScope.nonCancellable(() => this.publishLoop());
    this.upsertSearchAttributes();
    if (!this.input.carried) this.emit('status', this.statusData());

    const main = new CancellationScope();
    this.mainScope = main;
    try {
      await main.run(() => this.phases());
    } catch (err) {
      if (err instanceof ContinueAsNewNeeded) return await this.continueAsNew();
      if (!isCancellation(err)) throw err;
      // Cancelling the workflow, or a close request, ends the ticket cleanly as closed.
      await CancellationScope.nonCancellable(async () => {
        if (this.log.reservedSeq !== null) this.log.fill(this.log.reservedSeq, 'error', { reason: 'drafting cancelled: the ticket was closed' }, nowIso());
        this.close(this.closeRequest?.reason ?? 'cancelled', this.closeRequest?.by ?? 'system');
      });
    } finally {
      this.mainScope = null;
    }
    await CancellationScope.nonCancellable(async () => {
      await condition(allHandlersFinished);
      await this.drain();
    });
    return { ticketId: this.state.ticketId, status: this.state.status, lastSeq: this.state.lastSeq, closeReason: this.state.closeReason, verdict: this.state.verdict };
  }

  // ---------------------------------------------------------------- phases

  private async phases(): Promise<void> {
    for (;;) {
      const phase = this.work.phase;
      if (phase === 'done') return;
      let next: Phase;
      try {
        next = await this.step(phase);
      } catch (err) {
        if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
        next = this.automationFailed(phase, err);
      }
      this.work.phase = next;
    }
  }

  private step(phase: Phase): Promise<Phase> {
    switch (phase) {
      case 'triage':
        return this.triage();
      case 'security':
        return this.securityProtocol();
      case 'agents':
        return this.domainAgents();
      case 'draft':
        return this.draft();
      case 'review':
        return this.review();
      case 'human':
        return this.humanReply();
      case 'send':
        return Promise.resolve(this.send());
      case 'after_runner':
        return this.afterRunner();
      case 'feedback':
        return this.feedback();
      case 'memory':
        return this.memory();
      case 'done':
        return Promise.resolve('done');
    }
  }

  private async triage(): Promise<Phase> {
    this.setStatus('triaging');
    const result = await model.triageTicket(this.ctx(), this.input.text, this.input.entities);
    const s = this.state;
    s.analysis = result.analysis;
    s.security = result.security;
    s.redactedText = result.redactedText;
    s.triageModel = result.model;
    s.topic = result.analysis.topic;
    s.urgency = result.analysis.urgency;
    s.timestamps.triagedAt = nowIso();
    const agentTopics = await tools.listAgentTopics();
    const routing = routeTicket(result.analysis, result.security, agentTopics);
    s.routing = routing;
    this.emit('tool', { tool: 'triage', ok: true, summary: `${result.analysis.topic} / ${result.analysis.urgency}`, analysis: result.analysis, risk: result.security.risk_category, confidence: result.security.confidence_score, model: result.model });
    if (routing.escalatedTopics.length > 0) {
      const reason = `no domain agent for ${routing.escalatedTopics.join(', ')}`;
      s.escalations.push({ reason, by: 'router', at: nowIso() });
      this.emit('message', { from: 'system', kind: 'escalated_topics', topics: routing.escalatedTopics, text: `${reason}: escalated to a person` });
    }
    this.setStatus('triaging'); // publishes topic and urgency
    if (routing.securityProtocol) return 'security';
    if (routing.humanLive) return this.enterHuman(humanLiveReason(result.analysis), 'human_live', 'awaiting_review');
    return 'agents';
  }

  /** Sensitive with high confidence: contain first (in parallel), brief, store, then hold for a person. */
  private async securityProtocol(): Promise<Phase> {
    const s = this.state;
    if (!s.brief) {
      this.setStatus('security_review', 'security');
      const ctx = this.ctx();
      const security = s.security!;
      const runs = await Promise.all([tools.revokeTokens(ctx, security), tools.ipReputation(ctx, security), tools.auditEvents(ctx)]);
      for (const r of runs) this.recordToolRun(r);
      const brief = await model.securityBrief(ctx, s.analysis!, security, runs);
      const { incidentId } = await tools.storeIncident(ctx, s.analysis!, security, brief);
      s.brief = { ...brief, incidentId };
      s.incidentId = incidentId;
      this.emit('tool', { tool: 'security_brief', ok: true, summary: brief.summary, incidentId, actionsTaken: brief.actionsTaken });
      await this.alert('security_incident', { incidentId, risk: security.risk_category, confidence: security.confidence_score }, 'security');
    }
    if (s.awaiting !== 'human') {
      this.openReview({ draftVersion: this.humanDraftVersion(), actions: ['edit'], releasable: true, queue: 'security', reason: `security protocol (${s.security!.risk_category}): a person replies or releases the ticket` }, 'human', 'security_review');
    }
    const got = await this.waitForPerson();
    if (got === 'release') {
      const r = this.work.inbox.release!;
      this.work.inbox.release = null;
      this.closeReview();
      s.reviewHistory.push({ action: 'release', reviewer: r.reviewer, at: nowIso(), ...(r.note ? { reason: r.note } : {}) });
      this.emit('message', { from: 'system', kind: 'released', by: r.reviewer, text: 'released from the security queue' });
      if (s.routing!.humanLive) return this.enterHuman('topic unknown: a person answers', 'human_live', 'awaiting_review');
      return 'agents';
    }
    return this.applyHumanReply();
  }

  private async domainAgents(): Promise<Phase> {
    const s = this.state;
    const topics = s.routing!.agentTopics;
    if (s.status !== 'awaiting_sop') this.setStatus('investigating', 'none');
    for (let i = this.work.agentIndex; i < topics.length; i++) {
      const topic = topics[i]!;
      // Resuming a run that was waiting for this SOP: do not look again, keep waiting.
      let sop = s.sopNeededFor === topic ? null : await tools.findSop(this.ctx(), topic, s.redactedText ?? '');
      if (!sop) {
        if (s.sopNeededFor !== topic) {
          s.sopNeededFor = topic;
          s.awaiting = 'sop';
          s.awaitingReason = `no SOP for ${topic}: a person provides one`;
          this.setStatus('awaiting_sop', 'needs_sop');
          this.emit('message', { from: 'system', kind: 'sop_needed', topic, text: s.awaitingReason });
        }
        await this.waitUntil(() => this.work.inbox.sop !== null);
        const provided = this.work.inbox.sop!;
        sop = await tools.saveSop(this.ctx(), topic, provided);
        this.work.inbox.sop = null;
        s.sopNeededFor = null;
        s.awaiting = null;
        s.awaitingReason = null;
        this.emit('message', { from: 'system', kind: 'sop_provided', topic, sopId: sop.id, by: provided.author, text: `SOP "${sop.title}" saved` });
        this.setStatus('investigating', 'none');
      }
      s.sops.push({ topic, sopId: sop.id, source: sop.source });
      const findings = await model.investigate(this.ctx(), topic, sop, s.analysis!, s.redactedText ?? '');
      s.findings.push(findings);
      for (const r of findings.toolRuns) this.recordToolRun(r);
      this.emit('tool', { tool: `agent:${topic}`, ok: true, summary: findings.summary, sopId: findings.sopId ?? sop.id, ...(findings.needsHuman ? { needsHuman: findings.needsHuman } : {}) });
      this.work.agentIndex = i + 1;
    }
    const needsHuman = s.findings.find((f) => f.needsHuman);
    if (needsHuman && !s.escalated) this.escalate({ reason: `${needsHuman.topic} agent: ${needsHuman.needsHuman}`, by: 'agent' });
    return 'draft';
  }

  private async draft(): Promise<Phase> {
    const s = this.state;
    this.setStatus('drafting', 'none');
    const ctx = this.ctx();
    const history = await tools.userHistory(ctx);
    const version = (s.draft?.version ?? 0) + 1;
    const reason = this.work.redraftReason ?? undefined;
    // The activity publishes the token previews itself, under the draft's seq: everything numbered before it
    // must be on Kafka first, or a subscriber would take those older events for duplicates.
    // patched(): tickets already drafting under the old order replay as they ran.
    if (patched('drain-before-draft')) await this.drain();
    const seq = this.log.reserve();
    let draft;
    try {
      draft = await drafting.draftReply({
        seq,
        input: { ctx, analysis: s.analysis!, redactedText: s.redactedText ?? '', findings: s.findings, ...(s.brief ? { brief: s.brief } : {}), version, ...(reason ? { rejectionReason: reason } : {}), history },
      });
    } catch (err) {
      if (!isCancellation(err)) this.log.fill(seq, 'error', { step: 'drafting', reason: failureMessage(err) }, nowIso());
      throw err;
    }
    s.draft = { version: draft.version, text: draft.text, model: draft.model, ...(draft.violation ? { violation: draft.violation } : {}) };
    this.work.redraftReason = null;
    this.log.fill(seq, 'draft', { version: draft.version, text: draft.text, model: draft.model, ...(draft.violation ? { violation: draft.violation } : {}), ...(reason ? { rejectionReason: reason } : {}) }, nowIso());
    if (draft.violation) return this.enterHuman(`the draft broke the policy guardrail (${draft.violation}): a person writes the reply`, 'human_live', 'awaiting_review');
    return 'review';
  }

  private async review(): Promise<Phase> {
    const s = this.state;
    if (s.awaiting !== 'review') {
      this.openReview({ draftVersion: s.draft!.version, actions: ['approve', 'edit', 'reject'], releasable: false, queue: this.reviewQueue() }, 'review', 'awaiting_review');
    }
    await this.waitForPerson();
    const d = this.work.inbox.decision!;
    this.work.inbox.decision = null;
    this.closeReview();
    s.reviewHistory.push({ action: d.action, reviewer: d.reviewer, at: nowIso(), draftVersion: d.draftVersion, ...(d.action === 'reject' ? { reason: d.reason } : {}) });
    if (d.action === 'approve') {
      s.reply = { text: s.draft!.text, draftVersion: s.draft!.version, by: d.reviewer, at: nowIso() };
      this.emit('message', { from: 'system', kind: 'approved', by: d.reviewer, draftVersion: d.draftVersion, text: `draft ${d.draftVersion} approved` });
      return 'send';
    }
    if (d.action === 'edit') return this.recordHumanText(d.text, d.reviewer);
    s.redrafts += 1;
    this.emit('message', { from: 'system', kind: 'rejected', by: d.reviewer, draftVersion: d.draftVersion, reason: d.reason, text: `draft ${d.draftVersion} rejected` });
    if (s.redrafts > this.maxRedrafts) {
      return this.enterHuman(`rejected ${s.redrafts} times (limit ${this.maxRedrafts} redrafts): a person writes the reply`, 'human_live', 'awaiting_review');
    }
    this.work.redraftReason = d.reason;
    return 'draft';
  }

  /** A person writes the reply (edit): unknown topics, guardrail violations, redraft limit, reopened tickets, failures. */
  private async humanReply(): Promise<Phase> {
    await this.waitForPerson();
    return this.applyHumanReply();
  }

  private applyHumanReply(): Phase {
    const d = this.work.inbox.decision!;
    this.work.inbox.decision = null;
    this.closeReview();
    if (d.action !== 'edit') throw ApplicationFailure.nonRetryable(`unexpected ${d.action} while a person writes the reply`);
    this.state.reviewHistory.push({ action: 'edit', reviewer: d.reviewer, at: nowIso(), draftVersion: d.draftVersion });
    return this.recordHumanText(d.text, d.reviewer);
  }

  private recordHumanText(text: string, reviewer: string): Phase {
    const s = this.state;
    const version = (s.draft?.version ?? 0) + 1;
    s.draft = { version, text, model: 'human' };
    this.emit('draft', { version, text, model: 'human', by: reviewer });
    s.reply = { text, draftVersion: version, by: reviewer, at: nowIso() };
    return 'send';
  }

  private send(): Phase {
    const s = this.state;
    const reply = s.reply!;
    // Feedback belongs to one reply: what the customer said about an earlier one (before a reopen) stays in
    // the events, and this reply waits for its own.
    s.feedback = null;
    s.verdict = null;
    s.messages.push({ from: 'agent', text: reply.text, at: nowIso(), author: reply.by });
    s.timestamps.sentAt = nowIso();
    this.emit('message', { from: 'agent', text: reply.text, draftVersion: reply.draftVersion, by: reply.by });
    this.setStatus('sent', 'none');
    s.timestamps.resolvedAt = nowIso();
    this.setStatus('resolved', 'none');
    this.emit('resolved', { draftVersion: reply.draftVersion, by: reply.by });
    this.work.afterRunnerDueAt = nowMs() + this.durations.afterRunnerDelayMs;
    return 'after_runner';
  }

  /** The durable after-runner: wait, then check the fix held. */
  private async afterRunner(): Promise<Phase> {
    const s = this.state;
    await this.waitUntil(() => false, this.work.afterRunnerDueAt ?? nowMs() + this.durations.afterRunnerDelayMs);
    this.work.afterRunnerDueAt = null;
    this.setStatus('verifying', 'none');
    let verification;
    try {
      verification = await tools.verifyService(this.ctx(), s.topic ?? 'unknown');
    } catch (err) {
      if (isCancellation(err)) throw err;
      verification = { healthy: false, detail: `verification could not run: ${failureMessage(err)}` };
    }
    s.verification = verification;
    this.emit('tool', { tool: 'verify_service', ok: verification.healthy, summary: verification.detail });
    if (!verification.healthy) return this.reopen(`verification failed: ${verification.detail}`);
    this.work.feedbackDueAt = nowMs() + this.durations.feedbackWindowMs;
    s.awaiting = 'feedback';
    s.awaitingReason = 'waiting for the customer\'s feedback';
    this.setStatus('resolved', 'none');
    return 'feedback';
  }

  private async feedback(): Promise<Phase> {
    const s = this.state;
    await this.waitUntil(() => s.feedback !== null, this.work.feedbackDueAt ?? nowMs());
    this.work.feedbackDueAt = null;
    s.awaiting = null;
    s.awaitingReason = null;
    if (s.feedback === null) {
      this.emit('message', { from: 'system', kind: 'feedback_window_closed', text: 'no feedback within the window' });
      return 'memory';
    }
    let verdict;
    try {
      verdict = await model.analyzeFeedback(this.ctx(), s.feedback);
    } catch (err) {
      if (isCancellation(err)) throw err;
      this.emit('error', { step: 'feedback', reason: failureMessage(err) });
      return 'memory';
    }
    s.verdict = verdict;
    this.emit('message', { from: 'system', kind: 'feedback_verdict', resolved: verdict.resolved, sentiment: verdict.sentiment, text: verdict.reason });
    if (!verdict.resolved) {
      s.feedback = null;
      return this.reopen(`the customer says it is not resolved: ${verdict.reason}`);
    }
    return 'memory';
  }

  private async memory(): Promise<Phase> {
    const s = this.state;
    const category = s.security && s.security.risk_category !== 'none' ? s.security.risk_category : (s.analysis?.intent ?? 'unknown');
    try {
      const { orgAlert } = await tools.consolidateMemory(this.ctx(), {
        topic: s.topic ?? 'unknown',
        category,
        resolved: s.verdict?.resolved ?? true,
        summary: `${s.analysis?.intent ?? 'ticket'}: ${s.findings.map((f) => f.summary).join(' ') || (s.reply?.text.slice(0, 200) ?? '')}`,
      });
      if (orgAlert) {
        await this.alert('org_pattern', { ...orgAlert }, 'enterprise');
        this.emit('message', { from: 'system', kind: 'org_pattern', text: `${orgAlert.distinctUsers} users of this org hit ${orgAlert.category}` });
      }
    } catch (err) {
      if (isCancellation(err)) throw err;
      // Memory is best effort: the customer's ticket is done either way.
      this.emit('error', { step: 'memory', reason: failureMessage(err) });
    }
    this.close('completed', 'system');
    return 'done';
  }

  // ---------------------------------------------------------------- transitions

  private enterHuman(reason: string, queue: Queue, status: TicketStatus): Phase {
    this.openReview({ draftVersion: this.humanDraftVersion(), actions: ['edit'], releasable: false, queue: this.state.escalated && queue !== 'reopened' ? 'human_live' : queue, reason }, 'human', status);
    return 'human';
  }

  private async reopen(reason: string): Promise<Phase> {
    const s = this.state;
    s.reopenCount += 1;
    s.reply = null;
    this.emit('reopened', { reason, reopenCount: s.reopenCount });
    this.setStatus('reopened', 'reopened');
    await this.alert('ticket_reopened', { reason, reopenCount: s.reopenCount }, 'reopened');
    return this.enterHuman(reason, 'reopened', 'reopened');
  }

  /** An automation step failed for good: tell the stream, and let a person write the reply. */
  private automationFailed(phase: Phase, err: ActivityFailure): Phase {
    const reason = `${phase} failed: ${failureMessage(err)}`;
    log.warn('automation step failed', { ticketId: this.state.ticketId, phase, reason });
    this.emit('error', { step: phase, reason });
    return this.enterHuman(`${reason}; a person writes the reply`, 'human_live', 'failed');
  }

  private close(reason: string, by: string): void {
    const s = this.state;
    s.closeReason = reason;
    s.awaiting = null;
    s.awaitingReason = null;
    s.pendingReview = null;
    s.timestamps.closedAt = nowIso();
    this.emit('message', { from: 'system', kind: 'closed', by, text: reason });
    this.setStatus('closed', 'none');
    this.work.phase = 'done';
  }

  private escalate(e: { reason: string; by: string }): void {
    const s = this.state;
    s.escalated = true;
    s.escalations.push({ ...e, at: nowIso() });
    this.emit('message', { from: 'system', kind: 'escalated', by: e.by, text: e.reason });
    if (s.pendingReview && s.pendingReview.queue !== 'security') {
      s.pendingReview.queue = 'human_live';
      this.setStatus(s.status, 'human_live');
    }
  }

  private reviewQueue(): Queue {
    return this.state.escalated ? 'human_live' : (this.state.routing?.reviewQueue ?? 'review');
  }

  /** The draft version a person's reply must name: the draft they see, or 1 when there is none yet. */
  private humanDraftVersion(): number {
    return this.state.draft?.version ?? 1;
  }

  private openReview(p: Omit<PendingReview, 'since' | 'dueAt'>, awaiting: Exclude<Awaiting, null>, status: TicketStatus): void {
    const s = this.state;
    const due = nowMs() + this.durations.reviewSlaMs;
    s.pendingReview = { ...p, since: nowIso(), dueAt: new Date(due).toISOString() };
    s.awaiting = awaiting;
    s.awaitingReason = p.reason ?? null;
    this.work.reviewDueAt = due;
    this.work.slaBreachedVersion = null;
    this.setStatus(status, p.queue);
    this.emit('review_requested', { draftVersion: p.draftVersion, actions: p.actions, releasable: p.releasable, queue: p.queue, dueAt: s.pendingReview.dueAt, ...(p.reason ? { reason: p.reason } : {}) });
  }

  private closeReview(): void {
    const s = this.state;
    s.pendingReview = null;
    s.awaiting = null;
    s.awaitingReason = null;
    this.work.reviewDueAt = null;
  }

  /** Waits for a person's decision (or release); when the SLA lapses, escalates once and keeps waiting. */
  private async waitForPerson(): Promise<'decision' | 'release'> {
    const inbox = this.work.inbox;
    for (;;) {
      const got = await this.waitUntil(() => inbox.decision !== null || inbox.release !== null, this.work.reviewDueAt ?? undefined);
      if (got) return inbox.decision !== null ? 'decision' : 'release';
      this.work.reviewDueAt = null;
      await this.slaBreached();
    }
  }

  private async slaBreached(): Promise<void> {
    const s = this.state;
    const pending = s.pendingReview;
    s.urgency = raiseUrgency(s.urgency);
    const reason = `review SLA of ${Math.round(this.durations.reviewSlaMs / 60_000)} min lapsed`;
    s.reviewHistory.push({ action: 'sla_breached', reviewer: 'system', at: nowIso(), ...(pending ? { draftVersion: pending.draftVersion } : {}), reason });
    s.escalations.push({ reason, by: 'sla', at: nowIso() });
    this.work.slaBreachedVersion = pending?.draftVersion ?? null;
    this.setStatus(s.status, s.queue);
    this.emit('message', { from: 'system', kind: 'sla_breached', urgency: s.urgency, text: reason });
    await this.alert('review_sla_breached', { reason, urgency: s.urgency, draftVersion: pending?.draftVersion ?? null }, s.queue);
  }

  /**
   * Waits for `ready` (true) or the deadline (false). Continues as new instead when history is large and
   * nothing is ready: safe here, because everything the wait depends on is in the carried state.
   */
  private async waitUntil(ready: () => boolean, deadlineMs?: number): Promise<boolean> {
    for (;;) {
      if (ready()) return true;
      if (this.shouldContinueAsNew()) throw new ContinueAsNewNeeded();
      if (deadlineMs === undefined) {
        await condition(() => ready() || this.shouldContinueAsNew());
        continue;
      }
      const left = deadlineMs - nowMs();
      if (left <= 0) return false;
      const woke = await condition(() => ready() || this.shouldContinueAsNew(), left);
      if (!woke && !ready()) return false;
    }
  }

  private shouldContinueAsNew(): boolean {
    return workflowInfo().continueAsNewSuggested || this.handledThisRun >= this.maxMessagesPerRun;
  }

  private async continueAsNew(): Promise<never> {
    // One condition, not two awaits: an update accepted while the outbox drains must finish in this run.
    await condition(() => allHandlersFinished() && this.log.outbox.length === 0 && !this.publishing);
    this.state.runs += 1;
    const { carried: _carried, ...rest } = this.input;
    return continueAsNew<typeof ticketWorkflow>({ ...rest, text: '', carried: { state: this.state, work: { ...this.work, nextSeq: this.log.next } } });
  }

  // ---------------------------------------------------------------- events, status, alerts

  private emit(type: TicketEventType, data: Record<string, unknown>): void {
    this.state.timestamps.updatedAt = nowIso();
    this.log.emit(type, data, nowIso());
  }

  private statusData(): Record<string, unknown> {
    const s = this.state;
    return { status: s.status, queue: s.queue, urgency: s.urgency, awaiting: s.awaiting, topic: s.topic };
  }

  /** Every state change: the search attributes and a `status` event. Topic and urgency changes count too. */
  private setStatus(status: TicketStatus, queue: Queue = this.state.queue): void {
    const s = this.state;
    s.status = status;
    s.queue = queue;
    const key = this.statusKey();
    if (key === this.lastStatusKey) return;
    this.lastStatusKey = key;
    this.upsertSearchAttributes();
    this.emit('status', this.statusData());
  }
  private lastStatusKey: string;

  private statusKey(): string {
    const s = this.state;
    return `${s.status}|${s.queue}|${s.urgency ?? ''}|${s.topic ?? ''}|${s.awaiting ?? ''}`;
  }

  private upsertSearchAttributes(): void {
    const s = this.state;
    upsertSearchAttributes([
      { key: ticketStatusKey, value: s.status },
      { key: ticketQueueKey, value: s.queue },
      { key: ticketTopicKey, value: s.topic ?? 'none' },
      { key: ticketUrgencyKey, value: s.urgency ?? 'none' },
    ]);
  }

  private recordToolRun(r: { tool: string; ok: boolean; summary: string; output: Record<string, unknown> }): void {
    this.state.toolRuns.push(r);
    this.emit('tool', { tool: r.tool, ok: r.ok, summary: r.summary });
  }

  private async alert(kind: Alert['kind'], data: Record<string, unknown>, queue?: string): Promise<void> {
    const s = this.state;
    await publishing.publishAlert({ v: 1, kind, ticketId: s.ticketId, orgId: s.orgId, ...(queue ? { queue } : {}), at: nowIso(), data });
  }

  /** Publishes the outbox in order, one batch at a time, for the life of the run. */
  private async publishLoop(): Promise<void> {
    for (;;) {
      await condition(() => this.log.outbox.length > 0);
      const batch = this.log.outbox.slice(0, PUBLISH_BATCH);
      this.publishing = true;
      try {
        await publishing.publishEvents(batch);
        this.log.take(batch.length);
      } catch (err) {
        // Only a non-retryable failure (a malformed event) gets here: drop it rather than block the ticket.
        log.error('events could not be published', { ticketId: this.state.ticketId, reason: failureMessage(err), seqs: batch.map((e) => e.seq) });
        this.log.take(batch.length);
      } finally {
        this.publishing = false;
      }
    }
  }

  private async drain(): Promise<void> {
    await condition(() => this.log.outbox.length === 0 && !this.publishing);
  }

  private ctx() {
    return { ticketId: this.state.ticketId, userId: this.state.userId, orgId: this.state.orgId };
  }

  // ---------------------------------------------------------------- handlers

  private ack(): MessageAck {
    const s = this.state;
    return { accepted: true, ticketId: s.ticketId, status: s.status, queue: s.queue, awaiting: s.awaiting, lastSeq: s.lastSeq, draftVersion: s.draft?.version ?? null };
  }

  /** A repeated update id gets the first answer, even after continue-as-new (the server dedups within a run). */
  private cachedResult(id: string | undefined): MessageAck | undefined {
    if (!id) return undefined;
    return this.work.updateResults.find(([k]) => k === id)?.[1] as MessageAck | undefined;
  }

  private remember(id: string | undefined, result: MessageAck): MessageAck {
    if (id) {
      this.work.updateResults.push([id, result]);
      if (this.work.updateResults.length > UPDATE_RESULTS_KEPT) this.work.updateResults.shift();
    }
    return result;
  }

  /**
   * Registers one decision as a signal and as an update. `check` is the synchronous validator (returns the
   * parsed input or throws with a clear message); `apply` changes state. An invalid signal is not lost
   * silently: it becomes an `error` event on the ticket's stream. The update answers once `settled()` holds,
   * so the caller sees the state the decision led to (e.g. sent, or drafting again).
   */
  private both<I, P>(
    signal: SignalDefinition<[I]> | undefined,
    update: UpdateDefinition<MessageAck, [I]>,
    check: (raw: I) => P,
    apply: (input: P) => void,
    settled: () => boolean = () => true,
  ): void {
    if (signal) setHandler(signal, (raw: I) => {
      this.handledThisRun += 1;
      let parsed: P;
      try {
        parsed = check(raw);
      } catch (err) {
        this.emit('error', { message: signal.name, reason: (err as Error).message });
        return;
      }
      apply(parsed);
    });
    setHandler(
      update,
      async (raw: I) => {
        const updateId = currentUpdateInfo()?.id;
        const cached = this.cachedResult(updateId);
        if (cached) return cached;
        this.handledThisRun += 1;
        apply(check(raw));
        await condition(() => settled() || this.work.phase === 'done');
        return this.remember(updateId, this.ack());
      },
      {
        validator: (raw: I) => {
          if (this.cachedResult(currentUpdateInfo()?.id)) return;
          check(raw);
        },
      },
    );
  }

  private installHandlers(): void {
    setHandler(ticketStateQuery, () => this.state);
    setHandler(openTicketUpdate, () => this.ack());

    this.both(reviewSignal, reviewUpdate, (raw: ReviewDecision) => this.checkReview(raw), (d) => {
      this.work.inbox.decision = d;
      // No second decision for the same draft: it is being applied now.
      this.state.pendingReview = null;
    }, () => this.work.inbox.decision === null);
    this.both(undefined, releaseUpdate, (raw: ReleaseInput) => {
      const r = parse(ticketActions.release.schema, raw);
      if (!this.state.pendingReview?.releasable || this.work.inbox.release || this.work.inbox.decision) throw fail(`nothing to release: the ticket is not held in the security queue (status ${this.state.status})`);
      return r;
    }, (r) => {
      this.work.inbox.release = r;
      this.state.pendingReview = null;
    }, () => this.work.inbox.release === null);
    this.both(undefined, provideSopUpdate, (raw: SopInput) => {
      const sop = parse(ticketActions.provideSop.schema, raw);
      if (this.state.awaiting !== 'sop' || this.work.inbox.sop) throw fail(`no SOP is needed now (status ${this.state.status})`);
      return sop;
    }, (sop) => {
      this.work.inbox.sop = sop;
      this.state.awaiting = null;
    }, () => this.work.inbox.sop === null);
    this.both(feedbackSignal, feedbackUpdate, (raw: z.input<typeof ticketActions.feedback.schema>) => {
      const f = parse(ticketActions.feedback.schema, raw);
      if (!['sent', 'resolved', 'verifying'].includes(this.state.status)) throw fail(`feedback is possible once a reply was sent and before the ticket closes (status ${this.state.status})`);
      if (this.state.feedback) throw fail('feedback was already given for this reply');
      return f;
    }, (f) => {
      this.state.feedback = f;
      this.emit('message', { from: 'customer', kind: 'feedback', ...(f.resolved !== undefined ? { resolved: f.resolved } : {}), ...(f.rating ? { rating: f.rating } : {}), text: f.comment });
    });
    this.both(undefined, customerMessageUpdate, (raw: { text: string; author?: string }) => {
      const m = parse(ticketActions.customerMessage.schema, raw);
      this.assertOpen();
      // The state (and so every snapshot and continue-as-new) carries the conversation: bound it.
      const count = this.state.messages.filter((x) => x.from === 'customer').length;
      if (count >= limits.customerMessages) throw fail(`this ticket already holds ${count} customer messages (the limit); please open a new ticket`);
      return m;
    }, (m) => {
      this.state.messages.push({ from: 'customer', text: m.text, at: nowIso(), ...(m.author ? { author: m.author } : {}) });
      this.emit('message', { from: 'customer', text: m.text, ...(m.author ? { by: m.author } : {}) });
    });
    this.both(undefined, escalateUpdate, (raw: { reason: string; by: string }) => {
      const e = parse(ticketActions.escalate.schema, raw);
      this.assertOpen();
      if (this.state.escalated && this.state.queue === 'human_live') throw fail('the ticket is already with a person in the live queue');
      return e;
    }, (e) => this.escalate(e));
    this.both(undefined, closeUpdate, (raw: CloseInput) => {
      const c = parse(ticketActions.close.schema, raw);
      this.assertOpen();
      if (this.closeRequest) throw fail('the ticket is already closing');
      if (!this.mainScope) throw fail('the ticket is between runs; try again');
      return c;
    }, (c) => {
      this.closeRequest = c;
      this.mainScope?.cancel();
    }, () => this.state.status === 'closed');
  }

  private checkReview(raw: ReviewDecision): ReviewDecision {
    const d = parse(ticketActions.review.schema, raw);
    const s = this.state;
    const pending = s.pendingReview;
    if (!pending || this.work.inbox.decision) {
      throw fail(`no draft is waiting for review (status ${s.status}${s.awaiting ? `, waiting for ${s.awaiting}` : ''})`);
    }
    if (d.draftVersion !== pending.draftVersion) {
      throw fail(`draft version ${d.draftVersion} is stale: the current draft is version ${pending.draftVersion}`);
    }
    if (!pending.actions.includes(d.action)) {
      throw fail(`${d.action} is not possible now (${pending.reason ?? s.status}); allowed: ${pending.actions.join(', ')}${pending.releasable ? ', release' : ''}`);
    }
    return d;
  }

  private assertOpen(): void {
    if (this.state.status === 'closed' || this.work.phase === 'done') throw fail('the ticket is closed');
  }
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  throw fail(r.error.issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; '), 'BadInput');
}

/** Validator and update failures: an ApplicationFailure reaches the caller with its message (a plain Error would fail the task). */
function fail(message: string, type: 'TicketRejected' | 'BadInput' = 'TicketRejected'): ApplicationFailure {
  return ApplicationFailure.create({ message, type, nonRetryable: true });
}

function failureMessage(err: unknown): string {
  let e: unknown = err;
  // ActivityFailure wraps the activity's ApplicationFailure: its message is the useful one.
  while (e instanceof ActivityFailure && e.cause) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

/** Workflow time (deterministic in the sandbox), never wall-clock. */
function nowMs(): number {
  return new Date().getTime();
}

function nowIso(): string {
  return new Date().toISOString();
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export type { TicketInput, TicketOutcome, TicketState };
