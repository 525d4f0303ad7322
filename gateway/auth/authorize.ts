/**
 * Who may open which ticket: the one check behind the HTTP API and the streams. Agents may open any ticket.
 * A customer only their own: the token's subject and organisation against the ticket's owner; a token scoped
 * to one ticket (`incident_id`) opens that ticket only. A ws-ticket is bound to one ticket whoever holds it.
 *
 * The owner comes from the ticket itself, so it is known only once the ticket has been read. Called without
 * it (the stream checks the token before its snapshot query, the ws-ticket route before minting), a
 * customer must hold a token scoped to this ticket; the stream checks the owner again with the snapshot.
 */
import type { TicketOwner } from '../../client/types';
import { AuthError } from './errors';
import type { Principal } from './jwt';

/** The organisation of a ticket opened with a token that names none. */
export const NO_ORG = 'none';

export type TicketPrincipal = Pick<Principal, 'sub' | 'role' | 'orgId' | 'incidentId'> & { kind?: Principal['kind'] };

export function authorizeTicket(principal: TicketPrincipal, ticketId: string, owner?: TicketOwner): void {
  if (principal.kind === 'ws-ticket' || principal.role === 'customer') {
    if (principal.incidentId !== undefined && principal.incidentId !== ticketId) throw new AuthError('forbidden');
    if (principal.incidentId === undefined && (principal.kind === 'ws-ticket' || owner === undefined))
      throw new AuthError('missing_claims', 'incident_id');
  }
  if (principal.role === 'agent' || owner === undefined) return;
  if (owner.userId !== principal.sub || owner.orgId !== (principal.orgId ?? NO_ORG)) throw new AuthError('forbidden');
}
