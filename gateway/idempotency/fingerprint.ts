/**
 * What makes two requests "the same request" under one Idempotency-Key: the caller, the key, the route, its
 * path parameters (the ticket) and the body as zod parsed it, before any redaction (two different addresses
 * redact to the same placeholder, so hashing the redacted form would take them for one request). Only hashes
 * leave this module: the body may hold personal data and is never kept.
 */
import { createHash } from 'node:crypto';

export interface KeyedRequest {
  /** The caller: the token's subject and organisation (a key never spans callers). */
  sub: string;
  orgId: string | undefined;
  /** The caller's Idempotency-Key. */
  key: string;
  /** `method pattern`, e.g. `post /v1/tickets/:id/review`. */
  route: string;
  params: readonly string[];
  /** The body after validation, defaults filled in. */
  body: unknown;
}

export interface RequestFingerprint {
  /** Names the caller's key (the store's row): a hash, since a subject may be an email address. */
  scope: string;
  /**
   * The whole request, salted with the scope so equal bodies of different callers never hash alike (a short
   * body could otherwise be guessed from a table of hashes). Also the id a retry of this very request shares.
   */
  request: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** JSON with object keys sorted at every depth: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_name, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

export function fingerprint(r: KeyedRequest): RequestFingerprint {
  const scope = sha256(JSON.stringify(['ticketflow-idempotency', r.orgId ?? null, r.sub, r.key]));
  return { scope, request: sha256(canonicalJson([scope, r.route, r.params, r.body])) };
}
