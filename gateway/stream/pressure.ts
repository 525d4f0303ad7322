/**
 * Which sockets may have passed the send-buffer limit, found without asking uWS for every socket.
 *
 * A socket's buffer only grows by what is written to it, so between two real checks it holds at most what
 * the fullest of its ticket's sockets held at the last check plus every byte published to the ticket since.
 * Only when that bound passes the limit are the ticket's sockets asked (`getBufferedAmount`, a native call
 * per socket). At a steady rate the bound stays far below 1 MiB and the per-delivery native calls, a
 * latency cost at 10,000 sockets, are gone; in a burst a ticket is checked about once per limit's worth of
 * frames. The bound is sound whichever runs first at the end of a turn, this check or uWS's write of the
 * turn's published frames: the turn's bytes stay owed until the next real check has seen them written.
 */
import type { StreamSocket } from './ticket-state';

/** What the watch keeps per ticket (part of TicketState). */
export interface PressureState {
  subscribed: Set<StreamSocket>;
  /** The fullest buffer at the last real check; Infinity forces one (a socket joined or got a direct send). */
  maxBuffered: number;
  /** Bytes published since the last real check, that check's own turn included. */
  owed: number;
  /** Bytes published in this turn. */
  turnBytes: number;
  /** In this turn's list of tickets to check (PressureWatch.published). */
  queued: boolean;
}

/** Room per frame for its WebSocket header; a JavaScript string's length times 3 bounds its UTF-8 size. */
const FRAME_HEADER_BYTES = 16;

export function frameBytesBound(frame: string): number {
  return frame.length * 3 + FRAME_HEADER_BYTES;
}

export function newPressureFields(): Pick<PressureState, 'maxBuffered' | 'owed' | 'turnBytes' | 'queued'> {
  return { maxBuffered: 0, owed: 0, turnBytes: 0, queued: false };
}

export class PressureWatch<T extends PressureState> {
  /**
   * An array and a flag, not a Set cleared every turn: once a Set's table is in the old generation (after any
   * mark-compact), V8 allocates each `clear()`'s new table there too, so a turn's Set was promoted garbage: 70-100
   * bytes a record at 1,000 records/s, most of what the raw kind promoted (docs/benchmarks.md, issue 15).
   */
  private published: T[] = [];
  private scheduled: NodeJS.Immediate | undefined;

  constructor(
    private readonly limit: number,
    private readonly onSlow: (ws: StreamSocket) => void,
  ) {}

  /** `bytes` (a bound) were published to the ticket's subscribers in this turn. */
  note(st: T, bytes: number): void {
    st.turnBytes += bytes;
    if (!st.queued) {
      st.queued = true;
      this.published.push(st);
    }
    this.scheduled ??= setImmediate(() => this.check());
  }

  /** The ticket's buffers are no longer known (a new subscriber, a direct send): check at its next publish. */
  unknown(st: T): void {
    st.maxBuffered = Number.POSITIVE_INFINITY;
  }

  /** Once per event-loop turn, for the tickets published to in it. */
  private check(): void {
    this.scheduled = undefined;
    const published = this.published;
    // A fresh list: a ticket noted while this loop runs (a slow socket's close) waits for the next turn's check.
    this.published = [];
    for (const st of published) {
      st.queued = false;
      st.owed += st.turnBytes;
      if (st.maxBuffered + st.owed > this.limit) {
        let max = 0;
        for (const ws of st.subscribed) {
          const buffered = ws.getBufferedAmount();
          if (buffered > this.limit) this.onSlow(ws);
          else if (buffered > max) max = buffered;
        }
        st.maxBuffered = max;
        st.owed = st.turnBytes;
      }
      st.turnBytes = 0;
    }
  }
}
