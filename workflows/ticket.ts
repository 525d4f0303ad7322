/**
 * The ticket as its workflow holds it, and the only code that changes its status, queue, what it awaits and
 * the review pending on it. Every change of those goes out as a `status` event and the search attributes;
 * everything else worth telling goes out as an event through the log. No activities here: pure state, plus
 * the search attributes (attributes.ts: a command, but never a wait).
 */
import type { Queue, TicketStatus } from '../core/domain';
import type { TicketEventType } from '../core/events';
import { TicketAttributes } from './attributes';
import { EventLog } from './event-log';
import type { MessageAck } from './messages';
import { raiseUrgency as raise, type RoutingDecision } from './routing';
import {
  reviewDueUpdate,
  ticketQueueKey,
  ticketStatusKey,
  ticketTopicKey,
  ticketUrgencyKey,
} from './search-attributes';
import type { Awaiting, PendingReview, Phase, Ticket, WorkState } from './state';
import { fail, nowIso, nowMs } from './util';

/** What triage leaves: every later phase may rely on it. */
export type Triaged = Ticket & {
  analysis: NonNullable<Ticket['analysis']>;
  security: NonNullable<Ticket['security']>;
  routing: RoutingDecision;
};
/** What drafting leaves (a person's edit counts as a draft). */
export type Drafted = Ticket & { draft: NonNullable<Ticket['draft']> };
/** What a decision to send leaves. */
export type Replied = Ticket & { reply: NonNullable<Ticket['reply']> };

export class TicketModel {
  readonly log: EventLog;
  private lastStatusKey: string;
  /** Told of every status change (the run's Web UI details follow it). */
  onStatusChange: () => void = () => undefined;
  private lastReviewDue: string | null;

  constructor(
    readonly s: Ticket,
    readonly work: WorkState,
    private readonly reviewSlaMs: number,
    /** The `reviewDueAttribute` patch: runs recorded before it never upsert `TicketReviewDue`. */
    private readonly keepReviewDue = false,
    readonly attributes = new TicketAttributes(false),
  ) {
    this.log = new EventLog(s.ticketId, s, work.nextSeq);
    this.lastStatusKey = this.statusKey();
    this.lastReviewDue = this.reviewDue();
  }

  // ---------------------------------------------------------------- phase views (checked, not asserted)

  triaged(): Triaged {
    const s = this.s;
    if (!s.analysis || !s.security || !s.routing) throw fail(`ticket ${s.ticketId} was never triaged`);
    return s as Triaged;
  }

  drafted(): Drafted {
    if (!this.s.draft) throw fail(`ticket ${this.s.ticketId} has no draft`);
    return this.s as Drafted;
  }

  replied(): Replied {
    if (!this.s.reply) throw fail(`ticket ${this.s.ticketId} has no reply to send`);
    return this.s as Replied;
  }

  // ---------------------------------------------------------------- events and status

  emit(type: TicketEventType, data: Record<string, unknown>): void {
    this.s.timestamps.updatedAt = nowIso();
    this.log.emit(type, data, nowIso());
  }

  statusData(): Record<string, unknown> {
    const s = this.s;
    return { status: s.status, queue: s.queue, urgency: s.urgency, awaiting: s.awaiting, topic: s.topic };
  }

  /** Every state change: the search attributes and a `status` event. Topic and urgency changes count too. */
  setStatus(status: TicketStatus, queue: Queue = this.s.queue): void {
    this.s.status = status;
    this.s.queue = queue;
    const key = this.statusKey();
    const due = this.reviewDue();
    if (key === this.lastStatusKey && due === this.lastReviewDue) return;
    const statusChanged = key !== this.lastStatusKey;
    this.lastStatusKey = key;
    this.lastReviewDue = due;
    this.upsertSearchAttributes();
    // A new due time alone (a redraft reviewed in the same queue) is no status change for subscribers.
    if (statusChanged) {
      this.emit('status', this.statusData());
      this.onStatusChange();
    }
  }

  /** The due time the search attribute should carry: null without the patch or without a pending review. */
  private reviewDue(): string | null {
    return this.keepReviewDue ? (this.s.pendingReview?.dueAt ?? null) : null;
  }

  upsertSearchAttributes(): void {
    const s = this.s;
    this.attributes.set([
      { key: ticketStatusKey, value: s.status },
      { key: ticketQueueKey, value: s.queue },
      { key: ticketTopicKey, value: s.topic ?? 'none' },
      { key: ticketUrgencyKey, value: s.urgency ?? 'none' },
      ...(this.keepReviewDue ? [reviewDueUpdate(this.reviewDue())] : []),
    ]);
  }

  private statusKey(): string {
    const s = this.s;
    return `${s.status}|${s.queue}|${s.urgency ?? ''}|${s.topic ?? ''}|${s.awaiting ?? ''}`;
  }

  recordToolRun(r: { tool: string; ok: boolean; summary: string; output: Record<string, unknown> }): void {
    this.s.toolRuns.push(r);
    this.emit('tool', { tool: r.tool, ok: r.ok, summary: r.summary });
  }

  ack(): MessageAck {
    const s = this.s;
    return {
      accepted: true,
      ticketId: s.ticketId,
      status: s.status,
      queue: s.queue,
      awaiting: s.awaiting,
      lastSeq: s.lastSeq,
      draftVersion: s.draft?.version ?? null,
    };
  }

  // ---------------------------------------------------------------- waits for people

  openReview(p: Omit<PendingReview, 'since' | 'dueAt'>, awaiting: Exclude<Awaiting, null>, status: TicketStatus): void {
    const s = this.s;
    const due = nowMs() + this.reviewSlaMs;
    s.pendingReview = { ...p, since: nowIso(), dueAt: new Date(due).toISOString() };
    s.awaiting = awaiting;
    s.awaitingReason = p.reason ?? null;
    this.work.reviewDueAt = due;
    this.work.slaBreachedVersion = null;
    this.setStatus(status, p.queue);
    this.emit('review_requested', {
      draftVersion: p.draftVersion,
      actions: p.actions,
      releasable: p.releasable,
      queue: p.queue,
      dueAt: s.pendingReview.dueAt,
      ...(p.reason ? { reason: p.reason } : {}),
    });
  }

  /** A decision was taken for the pending review: no second one for the same draft while it is applied. */
  reviewTaken(): void {
    this.s.pendingReview = null;
  }

  closeReview(): void {
    this.s.pendingReview = null;
    this.stopAwaiting();
    this.work.reviewDueAt = null;
  }

  stopAwaiting(): void {
    this.s.awaiting = null;
    this.s.awaitingReason = null;
  }

  /** A person writes the reply: unknown topics, guardrail violations, the redraft limit, reopened tickets, failures. */
  enterHuman(reason: string, queue: Queue, status: TicketStatus): Phase {
    const q = this.s.escalated && queue !== 'reopened' ? 'human_live' : queue;
    this.openReview(
      { draftVersion: this.humanDraftVersion(), actions: ['edit'], releasable: false, queue: q, reason },
      'human',
      status,
    );
    return 'human';
  }

  /** The draft version a person's reply must name: the draft they see, or 1 when there is none yet. */
  humanDraftVersion(): number {
    return this.s.draft?.version ?? 1;
  }

  reviewQueue(): Queue {
    return this.s.escalated ? 'human_live' : (this.s.routing?.reviewQueue ?? 'review');
  }

  needSop(topic: NonNullable<Ticket['sopNeededFor']>): void {
    const s = this.s;
    s.sopNeededFor = topic;
    s.awaiting = 'sop';
    s.awaitingReason = `no SOP for ${topic}: a person provides one`;
    this.setStatus('awaiting_sop', 'needs_sop');
    this.emit('message', { from: 'system', kind: 'sop_needed', topic, text: s.awaitingReason });
  }

  /** The SOP was handed in (the handler): nobody else may hand one in while it is saved. */
  sopTaken(): void {
    this.s.awaiting = null;
  }

  sopSaved(topic: string, sop: { id: string; title: string }, by: string): void {
    this.s.sopNeededFor = null;
    this.stopAwaiting();
    this.emit('message', {
      from: 'system',
      kind: 'sop_provided',
      topic,
      sopId: sop.id,
      by,
      text: `SOP "${sop.title}" saved`,
    });
    this.setStatus('investigating', 'none');
  }

  awaitFeedback(): void {
    this.s.awaiting = 'feedback';
    this.s.awaitingReason = "waiting for the customer's feedback";
    this.setStatus('resolved', 'none');
  }

  // ---------------------------------------------------------------- turns of the ticket

  /** The reply goes out. Runs recorded before `kickedOutbox` also passed through `sent` on the way. */
  send(viaSent: boolean): void {
    const s = this.replied();
    const reply = s.reply;
    // Feedback belongs to one reply: what the customer said about an earlier one stays in the events.
    s.feedback = null;
    s.verdict = null;
    s.messages.push({ from: 'agent', text: reply.text, at: nowIso(), author: reply.by });
    s.timestamps.sentAt = nowIso();
    this.emit('message', { from: 'agent', text: reply.text, draftVersion: reply.draftVersion, by: reply.by });
    if (viaSent) this.setStatus('sent', 'none');
    s.timestamps.resolvedAt = nowIso();
    this.setStatus('resolved', 'none');
    this.emit('resolved', { draftVersion: reply.draftVersion, by: reply.by });
  }

  /** Starts the reopen; the caller alerts, then a person writes the reply. */
  reopen(reason: string): void {
    const s = this.s;
    s.reopenCount += 1;
    s.reply = null;
    this.emit('reopened', { reason, reopenCount: s.reopenCount });
    this.setStatus('reopened', 'reopened');
  }

  escalate(e: { reason: string; by: string }): void {
    const s = this.s;
    s.escalated = true;
    s.escalations.push({ ...e, at: nowIso() });
    this.emit('message', { from: 'system', kind: 'escalated', by: e.by, text: e.reason });
    if (s.pendingReview && s.pendingReview.queue !== 'security') {
      s.pendingReview.queue = 'human_live';
      this.setStatus(s.status, 'human_live');
    }
  }

  /** The review SLA lapsed: urgency up, the breach recorded. Answers what the alert should say. */
  slaBreached(): { reason: string; draftVersion: number | null } {
    const s = this.s;
    const pending = s.pendingReview;
    s.urgency = raise(s.urgency);
    const reason = `review SLA of ${Math.round(this.reviewSlaMs / 60_000)} min lapsed`;
    s.reviewHistory.push({
      action: 'sla_breached',
      reviewer: 'system',
      at: nowIso(),
      ...(pending ? { draftVersion: pending.draftVersion } : {}),
      reason,
    });
    s.escalations.push({ reason, by: 'sla', at: nowIso() });
    this.work.slaBreachedVersion = pending?.draftVersion ?? null;
    this.setStatus(s.status, s.queue);
    this.emit('message', { from: 'system', kind: 'sla_breached', urgency: s.urgency, text: reason });
    return { reason, draftVersion: pending?.draftVersion ?? null };
  }

  close(reason: string, by: string): void {
    const s = this.s;
    s.closeReason = reason;
    s.pendingReview = null;
    this.stopAwaiting();
    s.timestamps.closedAt = nowIso();
    this.emit('message', { from: 'system', kind: 'closed', by, text: reason });
    this.setStatus('closed', 'none');
    this.work.phase = 'done';
  }
}
