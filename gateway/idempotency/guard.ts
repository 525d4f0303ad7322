/**
 * The Idempotency-Key contract of the API (the IETF draft "The Idempotency-Key HTTP Header Field", as Stripe
 * does it): the same key with the same request is a retry and gets the first request's answer; the same key
 * with another request (another body, ticket or action) within IDEMPOTENCY_KEY_TTL is refused, 422, rather
 * than answered with the first request's result.
 *
 * The id a request is carried under in Temporal (the ticket id of a create, the update id of an action) is
 * derived from the request's fingerprint, not from the key alone. So a different request can never be
 * answered with another's result, whatever this store says: when it is down (the request goes through, as
 * with the rate limits), per instance (RATE_LIMIT_STORE=memory), or past the key's TTL, when the key is
 * free again and the new request is new. The store only adds the refusal.
 */
import type { Config } from '../../core/config';
import { fingerprint, type KeyedRequest } from './fingerprint';
import { createMemoryKeyStore, createSqliteKeyStore, type IdempotencyKeyStore } from './key-store';
import { createPostgresKeyStore } from './key-store-pg';

export class IdempotencyKeyReused extends Error {
  constructor() {
    super(
      'this Idempotency-Key was already used for a different request (another body, ticket or action); ' +
        'send a new key for a new request, or resend the first request unchanged to get its answer',
    );
    this.name = 'IdempotencyKeyReused';
  }
}

export interface IdempotencyGuard {
  /**
   * The id this request is carried under (the same for every retry of it, another for any other request), or
   * IdempotencyKeyReused when its key belongs to another request.
   */
  admit(r: KeyedRequest): Promise<string>;
  close(): Promise<void>;
}

export function createIdempotencyGuard(
  store: IdempotencyKeyStore,
  ttlMs: number,
  onStoreError: (err: unknown) => void = () => undefined,
): IdempotencyGuard {
  return {
    async admit(r) {
      const fp = fingerprint(r);
      let ours: boolean;
      try {
        ours = await store.claim(fp.scope, fp.request, ttlMs);
      } catch (err) {
        onStoreError(err);
        return fp.request;
      }
      if (!ours) throw new IdempotencyKeyReused();
      return fp.request;
    },
    close: () => store.close(),
  };
}

/** The store the rate limits use: PostgreSQL by URL, else SQLite in the data directory; memory when so configured. */
export function openIdempotencyStore(cfg: Config): IdempotencyKeyStore {
  if (cfg.limits.store === 'memory') return createMemoryKeyStore();
  const url = cfg.limits.databaseUrl;
  return url ? createPostgresKeyStore(url) : createSqliteKeyStore(cfg.dataDir);
}

export function openIdempotencyGuard(cfg: Config, onStoreError: (err: unknown) => void): IdempotencyGuard {
  return createIdempotencyGuard(openIdempotencyStore(cfg), cfg.limits.idempotencyKeyTtlMs, onStoreError);
}
