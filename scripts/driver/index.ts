/**
 * The shared ticket driver (bench:e2e and the chaos suite): realistic tickets through the real HTTP API,
 * `concurrency` customers at a time, each ticket followed on its streams and acted on at every wait.
 */
import { TicketApi } from './api';
import { corpusTicket, loadCorpus } from './corpus';
import { runTicket, type TicketOutcome, type TicketRunOptions } from './ticket-run';

export { TicketApi } from './api';
export type { TicketOutcome } from './ticket-run';
export type { FollowerRecord } from './follower';

export interface DriveOptions extends Omit<TicketRunOptions, 'deadline'> {
  /** Customers at a time (closed loop), or tickets in flight at most when `arrivalEveryMs` is set. */
  concurrency: number;
  /**
   * Open loop: a new ticket this often whatever the open ones are doing (as customers arrive during an
   * outage), up to `concurrency` in flight. Without it, each of `concurrency` customers waits for its ticket.
   */
  arrivalEveryMs?: number;
  /** Stop starting tickets after this many (or when `keepGoing` says no). */
  count?: number;
  keepGoing?: () => boolean;
  /** Epoch ms: tickets still open then are left as they are. */
  deadline: number;
  /** Ticket numbers start here (so several runs in one process do not reuse them). */
  firstNumber?: number;
  onOutcome?: (o: TicketOutcome) => void;
}

export async function drive(o: DriveOptions): Promise<TicketOutcome[]> {
  const texts = loadCorpus();
  const outcomes: TicketOutcome[] = [];
  let next = o.firstNumber ?? 0;
  const last = o.count === undefined ? Infinity : next + o.count;
  const customer = async () => {
    while (next < last && (o.keepGoing?.() ?? true) && Date.now() < o.deadline) {
      const n = next++;
      const outcome = await runTicket(n, corpusTicket(texts, n), o);
      outcomes.push(outcome);
      o.onOutcome?.(outcome);
    }
  };
  if (o.arrivalEveryMs === undefined) {
    await Promise.all(Array.from({ length: o.concurrency }, customer));
    return outcomes;
  }
  const open = new Set<Promise<void>>();
  while (next < last && (o.keepGoing?.() ?? true) && Date.now() < o.deadline) {
    if (open.size < o.concurrency) {
      const n = next++;
      const p: Promise<void> = runTicket(n, corpusTicket(texts, n), o).then((outcome) => {
        outcomes.push(outcome);
        o.onOutcome?.(outcome);
        open.delete(p);
      });
      open.add(p);
    }
    await new Promise((r) => setTimeout(r, o.arrivalEveryMs));
  }
  await Promise.all(open);
  return outcomes;
}

/** A driver's API client for a gateway at `baseUrl` whose tokens are signed with `jwt`. */
export function driverApi(baseUrl: string, jwt: ConstructorParameters<typeof TicketApi>[1]): TicketApi {
  return new TicketApi(baseUrl, jwt);
}
