/**
 * Tells every ticket the desk holds who holds it, once when a gateway starts. A ticket learns its holder when
 * the desk routes tell it (claim, assign, release, takeover); one claimed before tickets kept a holder, or one
 * whose telling failed after the desk had changed, would otherwise take anyone's review and decisions until
 * the next claim. The ticket's validator refuses a word it has already, so nothing enters its history then,
 * and every gateway of a deployment may sweep at its start. One ticket at a time: a sweep never crowds out
 * the gateway's own traffic.
 */
import { StillApplying } from '../../client';
import { TicketflowError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { TicketApiPort } from '../api/context';
import type { DeskStore } from './store';

/** Assignments read per page. */
export const TELL_PAGE = 200;

export interface TellHoldersResult {
  /** Tickets that learnt their holder now. */
  told: number;
  /** Tickets that knew it already, or are no longer running. */
  unchanged: number;
}

type HolderWord = Parameters<TicketApiPort['setHolder']>[1];

/**
 * Tells one ticket its holder: true when it learnt it now (or has it and is still applying it), false when it
 * needs no telling (finished or never ran: not_found; knows it already: conflict, nothing in its history). Any
 * other failure is the caller's.
 */
export async function tellHolder(
  tickets: Pick<TicketApiPort, 'setHolder'>,
  ticketId: string,
  word: HolderWord,
): Promise<boolean> {
  try {
    await tickets.setHolder(ticketId, word);
    return true;
  } catch (err) {
    if (err instanceof StillApplying) return true;
    if (err instanceof TicketflowError && (err.code === 'not_found' || err.code === 'conflict')) return false;
    throw err;
  }
}

export async function tellHolders(deps: {
  desk: Pick<DeskStore, 'heldAfter'>;
  tickets: Pick<TicketApiPort, 'setHolder'>;
  logger: Logger;
  /** Checked between tickets: a stopping gateway ends its sweep. */
  stopped?: () => boolean;
}): Promise<TellHoldersResult> {
  const result: TellHoldersResult = { told: 0, unchanged: 0 };
  let after = '';
  for (;;) {
    const page = await deps.desk.heldAfter(after, TELL_PAGE);
    for (const a of page) {
      if (deps.stopped?.()) return result;
      if (await tellHolder(deps.tickets, a.ticketId, { agent: a.agent, at: a.since, by: a.by })) {
        result.told += 1;
        deps.logger.info('holder told at start', { ticketId: a.ticketId, holder: a.agent });
      } else result.unchanged += 1;
    }
    if (page.length < TELL_PAGE) return result;
    after = page.at(-1)!.ticketId;
  }
}
