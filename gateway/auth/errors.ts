/**
 * Why a token was refused. The reason is a metric label and a log field; the client only learns the
 * HTTP status (401, or 403 for a valid token that does not grant the ticket) and a short message.
 */
export const authFailureReasons = [
  'missing',
  'malformed',
  'bad_signature',
  'expired',
  'not_yet_valid',
  'wrong_audience',
  'wrong_issuer',
  'missing_claims',
  'too_large',
  'wrong_algorithm',
  'replayed',
  'forbidden',
] as const;
export type AuthFailureReason = (typeof authFailureReasons)[number];

const MESSAGES: Record<AuthFailureReason, string> = {
  missing: 'no access token',
  malformed: 'the token is not a valid JWT',
  bad_signature: 'the token signature does not verify',
  expired: 'the token has expired',
  not_yet_valid: 'the token is not valid yet',
  wrong_audience: 'the token is for another audience',
  wrong_issuer: 'the token comes from an unknown issuer',
  missing_claims: 'the token lacks required claims',
  too_large: 'the token is too large',
  wrong_algorithm: 'the token uses an algorithm this gateway does not accept',
  replayed: 'this ws-ticket has already been used',
  forbidden: 'the token does not grant access to this ticket',
};

export class AuthError extends Error {
  readonly status: 401 | 403;

  constructor(
    readonly reason: AuthFailureReason,
    detail?: string,
  ) {
    super(detail ? `${MESSAGES[reason]}: ${detail}` : MESSAGES[reason]);
    this.name = 'AuthError';
    this.status = reason === 'forbidden' ? 403 : 401;
  }

  /** The message safe to return to a client (no detail that could help forge a token). */
  get publicMessage(): string {
    return MESSAGES[this.reason];
  }
}
