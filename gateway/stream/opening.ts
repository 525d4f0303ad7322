/**
 * What a socket is sent as it attaches: its snapshot from `since`, then the records buffered while that
 * snapshot was asked for, those past it only. A buffered far seq is refused: the ticket had no frontier yet,
 * so the workflow's own snapshot bounds it instead.
 */
import type { TicketEvent } from '../../core/events';
import type { TicketSnapshot } from '../snapshot-source';
import { eventFrame, snapshotFrame, visibleSnapshot } from './frames';
import { comparePositions, durablePosition, maxPosition, positionOf, type Position } from './position';
import { farBeyond } from './record-bounds';
import { sessionStatusAfter, type SessionStatus } from './session-status';
import { endsStream, snapshotEnded } from './stream-end';
import type { Audience, CustomerView } from './ticket-state';

export interface Opening {
  frames: string[];
  /** The last position sent. */
  position: Position;
  /** The snapshot or a buffered record was the ticket's last event (stream-end.ts). */
  finished: boolean;
  /** The session status the last buffered record set, if any did. */
  status: SessionStatus | undefined;
}

export function openingFrames(o: {
  ticketId: string;
  audience: Audience;
  since: number;
  snapshot: TicketSnapshot;
  buffered: TicketEvent[];
  customerView: CustomerView;
  onFarSeq: () => void;
}): Opening {
  let position = maxPosition(durablePosition(o.since), durablePosition(o.snapshot.lastSeq));
  let finished = snapshotEnded(o.snapshot);
  let status: SessionStatus | undefined;
  const frames = [snapshotFrame(o.ticketId, visibleSnapshot(o.audience, o.snapshot, o.customerView), o.since)];
  for (const event of o.buffered) {
    const p = positionOf(event);
    if (comparePositions(p, position) <= 0) continue;
    if (farBeyond(event, position)) {
      o.onFarSeq();
      continue;
    }
    const shown = o.audience === 'agent' ? event : o.customerView(event);
    if (shown) frames.push(eventFrame(shown));
    position = p;
    if (endsStream(event)) finished = true;
    status = sessionStatusAfter(event) ?? status;
  }
  return { frames, position, finished, status };
}
