/**
 * What a PostgreSQL failure means to a caller: connection refused or reset, a server going down, a
 * serialization conflict are worth a retry; anything else (bad SQL, auth) is not. Shared by the stores.
 */
import { TicketflowError } from './errors';

const TRANSIENT = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P03',
  '40001',
  '40P01',
  '08006',
  '08001',
]);

/** The error as a TicketflowError naming the store (`what`), retriable when the failure is transient. */
export function classifyPgError(err: unknown, what: string): TicketflowError {
  if (err instanceof TicketflowError) return err;
  const code = (err as { code?: string }).code ?? '';
  const transient = TRANSIENT.has(code);
  return new TicketflowError(transient ? 'upstream_unavailable' : 'internal', `${what}: ${(err as Error).message}`, {
    cause: err,
    retriable: transient || code === '',
  });
}
