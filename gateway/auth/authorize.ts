/**
 * Who may open which ticket's stream. Agents may watch any ticket; customers only the ticket their token
 * names in `incident_id`; a ws-ticket is bound to one ticket whoever holds it.
 */
import { AuthError } from './errors';
import type { Principal } from './jwt';

export function authorizeTicket(principal: Principal, ticketId: string): void {
  if (principal.kind === 'ws-ticket' || principal.role === 'customer') {
    if (!principal.incidentId) throw new AuthError('missing_claims', 'incident_id');
    if (principal.incidentId !== ticketId) throw new AuthError('forbidden');
    return;
  }
  // role === 'agent' with an access token: any ticket.
}
