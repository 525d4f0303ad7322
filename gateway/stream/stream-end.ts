/**
 * Where a ticket's stream ends: at the ticket's close, its last event (the `closed` status), not at
 * `resolved`. A resolved ticket lives on: the after-runner's verification, the customer's feedback, a reopen
 * and a second reply, then the close. A stream that ended at `resolved` lost that tail for whoever watched
 * live, while a socket opened after `resolved` got it in its snapshot and stayed open, so two watchers of one
 * ticket saw different streams (the cluster test's gateway A at seqs 1-15, B at 1-22).
 */
import type { TicketEvent } from '../../core/events';
import type { TicketSnapshot } from '../snapshot-source';

/** Ticket statuses after which the workflow emits nothing more. */
const FINAL_STATUSES = new Set(['closed', 'failed']);

/** True for the ticket's last event: its sockets get it, then close normally. */
export function endsStream(event: TicketEvent): boolean {
  return event.type === 'status' && FINAL_STATUSES.has(String(event.data.status));
}

/** True when the snapshot already holds the ticket's last event (a socket opened on a closed ticket). */
export function snapshotEnded(snapshot: TicketSnapshot): boolean {
  const last = snapshot.events.at(-1);
  return FINAL_STATUSES.has(snapshot.status) || (last !== undefined && endsStream(last));
}
