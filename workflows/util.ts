/** Small pure helpers of the workflow: time from the sandbox, failures callers can read. */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { TICKET_BUSY } from './messages';

/** Workflow time (deterministic in the sandbox), never wall-clock. */
export function nowMs(): number {
  return new Date().getTime();
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** Validator and update failures: an ApplicationFailure reaches the caller with its message (a plain Error would fail the task). */
export function fail(
  message: string,
  type: 'TicketRejected' | 'BadInput' | typeof TICKET_BUSY = 'TicketRejected',
): ApplicationFailure {
  return ApplicationFailure.create({ message, type, nonRetryable: true });
}

interface SafeParser<T> {
  safeParse(
    v: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

export function parse<T>(schema: SafeParser<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  throw fail(
    r.error.issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; '),
    'BadInput',
  );
}

export function failureMessage(err: unknown): string {
  let e: unknown = err;
  // ActivityFailure wraps the activity's ApplicationFailure: its message is the useful one.
  while (e instanceof ActivityFailure && e.cause) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
