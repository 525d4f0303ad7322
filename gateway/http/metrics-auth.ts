import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * `/metrics` names tickets' counts, lag and instance ids: with METRICS_TOKEN set only a scraper holding it may
 * read them. Compared as hashes in constant time, so the answer's timing says nothing about the token.
 */
export function metricsAllowed(token: string | undefined, authorization: string): boolean {
  if (!token) return true;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m?.[1]) return false;
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(m[1]), digest(token));
}
