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
      try {
        await deps.tickets.setHolder(a.ticketId, { agent: a.agent, at: a.since, by: a.by }).catch((err: unknown) => {
          // Accepted and still being applied: the ticket has the word.
          if (!(err instanceof StillApplying)) throw err;
        });
        result.told += 1;
        deps.logger.info('holder told at start', { ticketId: a.ticketId, holder: a.agent });
      } catch (err) {
        if (!(err instanceof TicketflowError) || (err.code !== 'not_found' && err.code !== 'conflict')) throw err;
        result.unchanged += 1;
      }
    }
    if (page.length < TELL_PAGE) return result;
    after = page.at(-1)!.ticketId;
  }
}
