/**
 * Where a stream's token may come from, in order:
 * 1. `Authorization: Bearer <access token>` (servers, CLIs, tests);
 * 2. `Sec-WebSocket-Protocol: ticketflow.v1, bearer.<access token>` (browsers cannot set headers on a
 *    WebSocket; the server answers `ticketflow.v1`, never the token);
 * 3. `?token=<ws-ticket>` from `POST /v1/ws-tickets`: single use and short-lived, because URLs end up in
 *    proxy logs and browser history. Long-lived access tokens are not accepted in the URL.
 */
import { AuthError } from './errors';
import type { JtiStore } from './jti-store';
import type { JwtAuth, Principal } from './jwt';

export const STREAM_SUBPROTOCOL = 'ticketflow.v1';
const BEARER_PROTOCOL_PREFIX = 'bearer.';

export interface StreamCredentials {
  authorization: string;
  protocols: string;
  queryToken: string;
}

export interface StreamAuthResult {
  principal: Principal;
  /** The subprotocol to answer with: `ticketflow.v1` when the client offered it, else empty. */
  protocol: string;
}

export function parseProtocols(header: string): string[] {
  return header
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The two bearer forms (the header, the subprotocol), checked in this tick; null when neither was sent. */
export function bearerCredential(
  auth: Pick<JwtAuth, 'verifyAccessToken'>,
  creds: Omit<StreamCredentials, 'queryToken'>,
): StreamAuthResult | null {
  const offered = parseProtocols(creds.protocols);
  const protocol = offered.includes(STREAM_SUBPROTOCOL) ? STREAM_SUBPROTOCOL : '';

  if (creds.authorization) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(creds.authorization);
    if (!m?.[1]) throw new AuthError('malformed', 'Authorization must be "Bearer <token>"');
    return { principal: auth.verifyAccessToken(m[1]), protocol };
  }
  const fromProtocol = offered.find((p) => p.startsWith(BEARER_PROTOCOL_PREFIX));
  if (fromProtocol) {
    return { principal: auth.verifyAccessToken(fromProtocol.slice(BEARER_PROTOCOL_PREFIX.length)), protocol };
  }
  return null;
}

export async function authenticateStream(
  auth: JwtAuth,
  jtis: JtiStore,
  creds: StreamCredentials,
): Promise<StreamAuthResult> {
  const bearer = bearerCredential(auth, creds);
  if (bearer) return bearer;
  if (creds.queryToken) {
    const principal = auth.verifyWsTicket(creds.queryToken);
    if (!(await jtis.consume(principal.jti, principal.expiresAt))) throw new AuthError('replayed');
    const offered = parseProtocols(creds.protocols);
    return { principal, protocol: offered.includes(STREAM_SUBPROTOCOL) ? STREAM_SUBPROTOCOL : '' };
  }
  throw new AuthError('missing');
}
