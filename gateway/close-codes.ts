/**
 * WebSocket close codes the gateway uses. Standard codes where one fits; the 4000 range (reserved for
 * applications by RFC 6455) for the reasons a client should act on differently.
 *
 * | code | name              | client should                                                       |
 * |------|-------------------|---------------------------------------------------------------------|
 * | 1000 | TICKET_CLOSED     | stop: the ticket is closed (its final `closed` status came just before) |
 * | 1001 | GOING_AWAY        | reconnect with ?since=<last seq> (the instance is draining)         |
 * | 1009 | MESSAGE_TOO_BIG   | inbound frame over WS_MAX_PAYLOAD_BYTES: fix the client (past 4x: 1006) |
 * | 4001 | SESSION_IDLE      | reconnect when the user is back (no activity for the session TTL)   |
 * | 4002 | TOKEN_EXPIRED     | get a fresh token, reconnect with ?since=<last seq>                 |
 * | 4004 | TICKET_NOT_FOUND  | stop: no such ticket (normally answered 404 before the upgrade)     |
 * | 4008 | SLOW_CONSUMER     | reconnect with ?since=<last seq>: it read too slowly (backpressure) |
 * | 4011 | INTERNAL_ERROR    | reconnect with backoff                                              |
 */
export const CloseCode = {
  TICKET_CLOSED: 1000,
  GOING_AWAY: 1001,
  MESSAGE_TOO_BIG: 1009,
  SESSION_IDLE: 4001,
  TOKEN_EXPIRED: 4002,
  TICKET_NOT_FOUND: 4004,
  SLOW_CONSUMER: 4008,
  INTERNAL_ERROR: 4011,
} as const;
export type CloseCodeName = keyof typeof CloseCode;

/** Short reasons sent in the close frame (must stay under 123 bytes). */
export const CloseReason: Record<CloseCodeName, string> = {
  TICKET_CLOSED: 'ticket closed',
  GOING_AWAY: 'gateway shutting down; reconnect with since',
  MESSAGE_TOO_BIG: 'message too big',
  SESSION_IDLE: 'session idle timeout',
  TOKEN_EXPIRED: 'token expired; reconnect with a fresh token and since',
  TICKET_NOT_FOUND: 'ticket not found',
  SLOW_CONSUMER: 'client too slow; reconnect with since',
  INTERNAL_ERROR: 'internal error',
};
