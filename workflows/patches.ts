import { patched } from '@temporalio/workflow';

/**
 * Every patch id of the ticket workflow, in one place. A patch keeps the command order a running ticket (or a
 * saved history) was recorded with: `patched(id)` is false when replaying a history made before the change.
 * Remove a patch (with `deprecatePatch` first) only once no ticket recorded without it can still be running.
 */
export const PATCHES = {
  /**
   * 6d279ab: the draft waits until everything numbered before it is on Kafka, because the drafting activity
   * publishes token previews under the draft's seq. Only consulted by runs made before `kickedOutbox`.
   */
  drainBeforeDraft: 'drain-before-draft',
  /**
   * Issue 10 (the stuck ticket): publishes are started only by the code that emitted the events (a step or a
   * handler), never by another publish completing; waits keep one timer; `sent` is no longer set just before
   * `resolved`. Runs without it keep the concurrent publish loop and the old waits (workflows/legacy.ts).
   */
  kickedOutbox: 'outbox-kicked-by-emitters',
  /** Issue 11: an agent's own reply (edited or hand-written) is redacted and checked before it is sent. */
  checkAgentReply: 'check-agent-reply',
  /** Issue 11: a credential the detectors found starts the security protocol whatever the triage confidence. */
  credentialContainment: 'credential-containment',
  /**
   * Issue 11: proposed side effects are kept on the ticket and decided by people; a confirmed (or preapproved)
   * one runs when the reply is approved, before it is sent, and the reply is rewritten from its outcome.
   * Asked once when the run starts, like `kickedOutbox`.
   */
  durableProposals: 'durable-proposals',
  /**
   * Issue 11: a credential revocation the policy held (ACTIONS_UNATTENDED without `revoke_credentials`) is a
   * proposal on the ticket; a confirmed one runs when the security team releases the ticket or sends its
   * reply. Runs without it only record the held run, and the security team revokes by hand.
   */
  heldRevocationProposal: 'held-revocation-proposal',
  /**
   * Issue 11: the security team's confirm of a held revocation wakes the security step's wait, so the
   * revocation runs at once while the ticket stays held (containment does not wait for the release or the
   * reply). Asked once when the run starts; runs without it run the confirmed revocation at the release or
   * the reply, as `heldRevocationProposal` recorded them.
   */
  confirmRunsRevocation: 'confirm-runs-revocation',
  /** Agent topics and the customer's history are read by local activities (one task and one activity less each). */
  localLookups: 'local-short-lookups',
  /**
   * Issue 10 (the stuck ticket, second part): handlers only validate, record and wake the phase loop; the
   * loop alone starts publishes (in its waits too), and `settled` wakes for new events, not for acks. Runs
   * without it had handlers start a publish themselves.
   */
  handlersOnlyRecord: 'handlers-only-record',
  /**
   * Issue 9: the SOP lookup runs as a local activity (one activity, and usually one workflow task, less per
   * agent). Asked once when the run starts, before any local activity (see triage.ts for why).
   */
  localFindSop: 'local-find-sop',
  /**
   * Issue 9: the triage, investigation and drafting activities publish what the ticket emitted before them,
   * ahead of their own work (outbox.ts handOff), instead of a publish activity of its own: a publish and a
   * workflow task less per step, and the draft no longer waits for one. Asked at the run's start; never in
   * runs before `kickedOutbox`.
   */
  activitiesPublishFirst: 'activities-publish-first',
  /**
   * Issue 13: the run keeps its current step as workflow metadata (what the Web UI shows). It records no
   * command; the patch keeps a run's shape explicit for replays and for workers of mixed versions.
   * Asked once when the run starts.
   */
  currentDetails: 'current-details',
  /**
   * Issue 14: the workflow keeps the `TicketReviewDue` search attribute (the pending review's due time) so the
   * queue can be sorted by review deadline. Runs without it never upsert that attribute.
   */
  reviewDueAttribute: 'review-due-attribute',
  /**
   * Issue 14: once triage has redacted the ticket, the workflow sets the `TicketText` search attribute (its
   * words, workflows/ticket-text.ts) for free-text search. Asked once when the run starts; runs without it
   * never set that attribute.
   */
  ticketTextAttribute: 'ticket-text-attribute',
  /**
   * Issue 13: the OpenTelemetry workflow interceptors (workflows/interceptors.ts) trace the run. They yield
   * once more per activity schedule in runs that never recorded the SDK's flag for it, which reorders
   * commands: a run recorded without them (test/ops/tracing-replay.test.ts) keeps them off. Asked once, in
   * the run's first execute call, and only by a run started with a trace context.
   */
  tracingInterceptors: 'tracing-interceptors',
  /**
   * Issue 14: a decision sent as a signal (decideProposal) by someone other than the ticket's desk holder is
   * refused, as the update's validator refuses it. Asked once when the run starts; runs without it take such a
   * signal as before, so their histories replay.
   */
  holderChecks: 'holder-checks',
  /**
   * Issue 9: stands for every patch above but `tracingInterceptors` (each is true in a run that has it), and
   * the run sets its search attributes once per workflow task rather than at every change (attributes.ts).
   * Why one marker: the SDK adds a `TemporalChangeVersion` upsert to every patch marker, so the eleven a run
   * used to record cost the server 22 history events and 11 visibility writes per ticket. Asked first, once,
   * when the run starts; a run recorded without it asks each patch where it always did (`runPatches`).
   * A later change adds its own patch as before; when several pile up, a new shape patch folds them in.
   */
  shape5: 'ticket-shape-5',
  /**
   * Issue 9: stands for `shape5` and every patch it stands for, and the run upserts only the search attributes
   * whose value differs from what the server already holds (attributes.ts), so a ticket the client started
   * with its first task's attributes (client/create.ts, `ticketStartAttributes`) makes no upsert in that task:
   * one visibility write less per ticket. Asked first, once, when the run starts, in place of `shape5`: a run
   * still records one marker.
   */
  shape6: 'ticket-shape-6',
  /**
   * Issue 9: stands for `shape6` and all it stands for, and the security step's containment tools start no
   * publish of their own: the security brief's activity publishes what the ticket emitted before it, as triage,
   * investigation and drafting do (two publish activities less per security ticket). Asked first, once, in
   * place of `shape6`.
   */
  shape7: 'ticket-shape-7',
  /**
   * An agent's own reply on a ticket with proposals has the draft's sentences about them, where it kept them
   * word for word, told from their outcome (`finalReply` with `byPerson`), so a sent reply never says a refund
   * "will be made once our team approves this reply" after it was made. Asked with `patched()` itself where the edit is
   * checked (the shape patches stand only for the patches before them); runs without it only check the text.
   */
  agentReplyOutcome: 'agent-reply-outcome',
} as const;

export type PatchId = (typeof PATCHES)[keyof typeof PATCHES];

/**
 * The run's answer for each patch: all true when it has a shape patch (`shape7`, `shape6` or `shape5`),
 * otherwise `patched()` asked as before (so a run recorded before them records and replays the same markers).
 * An older shape is not asked in a run that has a newer one, which would record a second marker. Call once,
 * before any other patch.
 */
export function runPatches(): { shape5: boolean; shape6: boolean; shape7: boolean; has: (id: PatchId) => boolean } {
  const shape7 = patched(PATCHES.shape7);
  const shape6 = shape7 || patched(PATCHES.shape6);
  const shape5 = shape6 || patched(PATCHES.shape5);
  return { shape5, shape6, shape7, has: (id) => shape5 || patched(id) };
}
