/**
 * The desk store's changes as queue frames. The store is shared by every gateway instance, so each instance
 * reads its change log (assignments) and the presence beats a few times a second, instead of each console
 * asking every few seconds; a change made through this instance is read at once (`poke`).
 */
import type { QueueFrame } from '../../core/desk';
import type { Logger } from '../../core/logger';
import { PRESENCE_TTL_MS, type DeskCursor, type DeskStore } from '../desk/store';
import { shownAssignment } from './frames';

export const DESK_WATCH_MS = 500;

export interface DeskWatch {
  /** Read now (a change was just made here); a read under way is followed by one more. */
  poke(): void;
  stop(): void;
}

export function watchDesk(o: {
  desk: DeskStore;
  publish(frame: QueueFrame): void;
  logger: Logger;
  intervalMs?: number;
  now?: () => number;
}): DeskWatch {
  const now = o.now ?? Date.now;
  let cursor: DeskCursor | null = null;
  let running = false;
  let again = false;
  let failing = false;
  let stopped = false;

  async function readOnce(): Promise<void> {
    const got = await o.desk.changesAfter(cursor);
    cursor = got.cursor;
    if (got.assigned.length > 0) {
      const held = await o.desk.assignments(got.assigned);
      for (const ticketId of got.assigned)
        o.publish({ kind: 'desk', ticketId, assignment: shownAssignment(held.get(ticketId)) });
    }
    const t = now();
    for (const b of got.beats) {
      const forMs = b.seenAt + PRESENCE_TTL_MS - t;
      if (forMs > 0) o.publish({ kind: 'viewer', ticketId: b.ticketId, agent: b.agent, forMs });
    }
  }

  async function tick(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await readOnce();
      } while (again && !stopped);
      if (failing) o.logger.info('desk changes readable again');
      failing = false;
    } catch (err) {
      // Logged once per outage; the consoles keep what they have and the next tick tries again.
      if (!failing) o.logger.warn('desk changes unreadable; the queue stream misses desk changes', { err });
      failing = true;
    } finally {
      running = false;
    }
  }

  const timer = setInterval(() => void tick(), o.intervalMs ?? DESK_WATCH_MS);
  timer.unref();
  void tick();
  return {
    poke: () => void tick(),
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
