/**
 * JWT verification for the gateway: the algorithm is pinned (the token's own `alg` header is never trusted),
 * `exp` is required and checked with a small clock tolerance, `aud` and `iss` must match, and `sub` and `jti`
 * must be present. Oversized tokens are refused before any parsing.
 *
 * Two kinds of token share the key: access tokens (audience `cfg.audience`) and ws-tickets (audience
 * `<audience>:ws-ticket`, single use, about a minute, bound to one ticket). The audiences keep a ws-ticket
 * from being used as an API bearer token and an access token from skipping the single-use check.
 *
 * The subject goes no further than here: a principal's `sub` is the caller's id in ticketflow, the subject
 * itself or, when it is personal data (an e-mail address, a phone number), its pseudonym (core/user-ids.ts).
 * Tokens the gateway signs for a caller it has verified carry that id with the `tf_uid` claim, so it is
 * taken as it is when they come back.
 */
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { UserIds } from '../../core/user-ids';
import { NO_ORG } from './authorize';
import { AuthError } from './errors';
import { loadJwtKeys, loadUserIds, loadWsTicketKeys, type JwtConfig, type JwtKeys } from './keys';
import { VerifiedTokens } from './verified-tokens';

export type Role = 'agent' | 'customer';
export type TokenKind = 'access' | 'ws-ticket';

export interface Principal {
  /** The caller's id: the token's subject, or its pseudonym when the subject is personal data. */
  sub: string;
  jti: string;
  role: Role;
  orgId?: string;
  /** The ticket a customer token (or any ws-ticket) is bound to. */
  incidentId?: string;
  /** Epoch ms. */
  expiresAt: number;
  /** When a stream it opens must close (epoch ms): its own expiry, or for a ws-ticket the access token's. */
  sessionExpiresAt: number;
  /** When the sign-in behind this token happened (epoch ms): `auth_time`, else `iat`; bounds its refreshes. */
  authTime?: number;
  kind: TokenKind;
}

export interface AccessClaims {
  sub: string;
  /**
   * `sub` is already a caller's ticketflow id (a verified principal's `sub`: a refresh, a ticket's own token),
   * so verification keeps it as it is; without it `sub` is read as an identity provider's subject.
   */
  subjectIsUserId?: boolean;
  role?: Role;
  orgId?: string;
  incidentId?: string;
  jti?: string;
  /** Epoch seconds; only on ws-tickets (see Principal.sessionExpiresAt). */
  accessExp?: number;
  /** Epoch seconds of the sign-in a refreshed token carries on (see Principal.authTime). */
  authTime?: number;
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  jti: z.string().min(1),
  exp: z.number(),
  // An absent role is the least privileged one.
  role: z.enum(['agent', 'customer']).default('customer'),
  org_id: z.string().min(1).optional(),
  incident_id: z.string().min(1).optional(),
  /** On ws-tickets: the expiry of the access token it was minted from. */
  access_exp: z.number().optional(),
  iat: z.number().optional(),
  auth_time: z.number().optional(),
  /** Set only by the gateway's own signing (AccessClaims.subjectIsUserId). */
  tf_uid: z.literal(true).optional(),
});

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

interface Codec {
  algorithm: JwtKeys['algorithm'];
  verifyKey: JwtKeys['verifyKey'];
  signKey?: JwtKeys['signKey'];
}

export interface JwtAuth {
  /** Verifies an API/stream access token. Throws AuthError. */
  verifyAccessToken(token: string): Principal;
  /** Verifies a ws-ticket (single use is enforced by the caller through a JtiStore). Throws AuthError. */
  verifyWsTicket(token: string): Principal;
  /** Signs an access token (dev identity, tests). Throws when only a public key is configured. */
  signAccessToken(claims: AccessClaims, ttlMs: number): string;
  /** Mints a ws-ticket for `principal`, bound to `ticketId`. */
  mintWsTicket(
    principal: Principal,
    ticketId: string,
    ttlMs: number,
  ): { ticket: string; expiresAt: number; jti: string };
  readonly canSign: boolean;
  /** How subjects and user names become ids (the verified principals' `sub`). */
  readonly userIds: UserIds;
  readonly audience: string;
  readonly wsTicketAudience: string;
}

export function createJwtAuth(cfg: JwtConfig): JwtAuth {
  const keys = loadJwtKeys(cfg);
  const access: Codec = keys;
  const wsTickets: Codec = loadWsTicketKeys(cfg, keys);
  const userIds = loadUserIds(cfg);
  const wsTicketAudience = `${cfg.audience}:ws-ticket`;
  const toleranceSec = Math.ceil(cfg.clockToleranceMs / 1000);
  // Access tokens only: a ws-ticket is single use, so a kept one would never be asked for again.
  const verified = new VerifiedTokens(toleranceSec);

  function verifyAccess(token: string): Principal {
    const kept = verified.get(token);
    if (kept) return kept;
    const principal = verify(token, access, cfg.audience, 'access');
    verified.keep(token, principal);
    return principal;
  }

  function verify(token: string, codec: Codec, audience: string, kind: TokenKind): Principal {
    if (!token) throw new AuthError('missing');
    if (Buffer.byteLength(token) > cfg.maxTokenBytes)
      throw new AuthError('too_large', `over ${cfg.maxTokenBytes} bytes`);
    if (!JWT_SHAPE.test(token)) throw new AuthError('malformed');
    const header = decodeHeader(token);
    // Checked before the library sees the token: `alg: none` and algorithm-confusion attempts stop here.
    if (header.alg !== codec.algorithm) throw new AuthError('wrong_algorithm', `got ${String(header.alg)}`);
    let payload: unknown;
    try {
      payload = jwt.verify(token, codec.verifyKey, {
        algorithms: [codec.algorithm],
        audience,
        issuer: cfg.issuer,
        clockTolerance: toleranceSec,
      });
    } catch (err) {
      throw mapJwtError(err);
    }
    const parsed = claimsSchema.safeParse(payload);
    if (!parsed.success) {
      throw new AuthError('missing_claims', parsed.error.issues.map((i) => i.path.join('.')).join(', '));
    }
    const c = parsed.data;
    const sessionExp = kind === 'ws-ticket' && c.access_exp !== undefined ? c.access_exp : c.exp;
    return {
      sub: c.tf_uid ? c.sub : userIds.ofSubject(c.org_id ?? NO_ORG, c.sub),
      jti: c.jti,
      role: c.role,
      orgId: c.org_id,
      incidentId: c.incident_id,
      expiresAt: c.exp * 1000,
      sessionExpiresAt: sessionExp * 1000,
      ...((c.auth_time ?? c.iat) ? { authTime: (c.auth_time ?? c.iat)! * 1000 } : {}),
      kind,
    };
  }

  function sign(
    codec: Codec,
    audience: string,
    claims: AccessClaims,
    ttlMs: number,
  ): { token: string; jti: string; expiresAt: number } {
    if (!codec.signKey) throw new Error('no JWT signing key configured (set JWT_SECRET or JWT_PRIVATE_KEY)');
    const jti = claims.jti ?? randomUUID();
    const nowSec = Math.floor(Date.now() / 1000);
    const exp = nowSec + Math.max(1, Math.round(ttlMs / 1000));
    const payload: Record<string, unknown> = { sub: claims.sub, role: claims.role ?? 'customer', exp, iat: nowSec };
    if (claims.orgId) payload.org_id = claims.orgId;
    if (claims.incidentId) payload.incident_id = claims.incidentId;
    if (claims.accessExp !== undefined) payload.access_exp = claims.accessExp;
    if (claims.authTime !== undefined) payload.auth_time = claims.authTime;
    if (claims.subjectIsUserId) payload.tf_uid = true;
    const token = jwt.sign(payload, codec.signKey, {
      algorithm: codec.algorithm,
      audience,
      issuer: cfg.issuer,
      jwtid: jti,
    });
    return { token, jti, expiresAt: exp * 1000 };
  }

  return {
    verifyAccessToken: verifyAccess,
    verifyWsTicket: (token) => verify(token, wsTickets, wsTicketAudience, 'ws-ticket'),
    signAccessToken: (claims, ttlMs) => sign(access, cfg.audience, claims, ttlMs).token,
    mintWsTicket(principal, ticketId, ttlMs) {
      const { token, jti, expiresAt } = sign(
        wsTickets,
        wsTicketAudience,
        {
          sub: principal.sub,
          subjectIsUserId: true,
          role: principal.role,
          orgId: principal.orgId,
          incidentId: ticketId,
          accessExp: Math.floor(principal.sessionExpiresAt / 1000),
        },
        ttlMs,
      );
      return { ticket: token, jti, expiresAt };
    },
    canSign: keys.signKey !== undefined,
    userIds,
    audience: cfg.audience,
    wsTicketAudience,
  };
}

function decodeHeader(token: string): { alg?: unknown } {
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8')) as unknown;
    if (!header || typeof header !== 'object') throw new Error('not an object');
    return header;
  } catch {
    throw new AuthError('malformed', 'header is not JSON');
  }
}

function mapJwtError(err: unknown): AuthError {
  if (err instanceof jwt.TokenExpiredError) return new AuthError('expired');
  if (err instanceof jwt.NotBeforeError) return new AuthError('not_yet_valid');
  const message = err instanceof Error ? err.message : String(err);
  if (message === 'invalid signature') return new AuthError('bad_signature');
  if (message.startsWith('jwt audience invalid')) return new AuthError('wrong_audience');
  if (message.startsWith('jwt issuer invalid')) return new AuthError('wrong_issuer');
  if (message === 'invalid algorithm' || message === 'jwt signature is required')
    return new AuthError('wrong_algorithm');
  return new AuthError('malformed', message);
}
