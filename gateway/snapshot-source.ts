/**
 * What the stream needs from the workflow side: a ticket's state so far. In production this is the ticket
 * client's `getSnapshot` (a Temporal query); tests and the benchmark inject their own.
 */
import type { TicketClient } from '../client';

export type { TicketSnapshot } from '../client';

/** `getSnapshot` answers null when the ticket does not exist. */
export type SnapshotSource = Pick<TicketClient, 'getSnapshot'>;
