/**
 * Where a subscriber is in a ticket's stream. Durable events are ordered by `seq`; a `token` event is a live
 * preview of the draft that will take its `seq`, so it sits just before that draft: (seq, part) with the
 * durable event at (seq, +inf). Anything at or before a socket's position has been delivered already.
 */
import type { TicketEvent } from '../../core/events';

export interface Position {
  seq: number;
  part: number;
}

export const START: Position = { seq: 0, part: Number.POSITIVE_INFINITY };

export function positionOf(event: Pick<TicketEvent, 'seq' | 'part' | 'type'>): Position {
  return event.type === 'token'
    ? { seq: event.seq, part: event.part ?? 0 }
    : { seq: event.seq, part: Number.POSITIVE_INFINITY };
}

export function durablePosition(seq: number): Position {
  return { seq, part: Number.POSITIVE_INFINITY };
}

/** <0 when a is before b, 0 when equal, >0 when after. */
export function comparePositions(a: Position, b: Position): number {
  if (a.seq !== b.seq) return a.seq - b.seq;
  if (a.part === b.part) return 0;
  return a.part < b.part ? -1 : 1;
}

export function maxPosition(a: Position, b: Position): Position {
  return comparePositions(a, b) >= 0 ? a : b;
}
