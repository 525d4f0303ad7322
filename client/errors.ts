/**
 * Temporal's errors as the project's error family: an unknown ticket is `not_found`, a decision the workflow's
 * validator refused is `conflict` (with the validator's reason), malformed input is `bad_input`, and a Temporal
 * that cannot be reached in time is `upstream_unavailable` (the API answers 503 with Retry-After: trying again
 * later can work, unlike the others).
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  ApplicationFailure,
  isGrpcServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import type { z } from 'zod';
import { TicketflowError } from '../core/errors';
import { ticketIdSchema } from '../core/events';
import { StillApplying } from './accept-deadline';
import { isRefusedUnapplied } from './busy-retry';

/** Codes that mean "Temporal is not answering now", not "your request is wrong". */
const UNAVAILABLE_CODES: ReadonlySet<number> = new Set([
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.RESOURCE_EXHAUSTED,
]);

/** The gRPC status code of the error or of an error it wraps (the SDK wraps them in ServiceError). */
export function grpcCode(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e)) return e.code;
  }
  return undefined;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || grpcCode(err) === GrpcStatus.NOT_FOUND;
}

export function isUnavailable(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const code = grpcCode(err);
  return code !== undefined && UNAVAILABLE_CODES.has(code);
}

export function unavailable(err: unknown): TicketflowError {
  return new TicketflowError('upstream_unavailable', 'the ticket service is unavailable; retry shortly', {
    cause: err,
  });
}

/**
 * Maps an error from a call on one ticket. `describeStatus` tells a finished ticket (conflict) from one that
 * never existed (not_found); it is only asked when Temporal said "not found".
 */
export async function mapTicketError(
  err: unknown,
  ticketId: string,
  describeStatus: () => Promise<string | null>,
): Promise<unknown> {
  // Both are answers already; a StillApplying's cause is the deadline that ended the wait, not an outage.
  if (err instanceof TicketflowError || err instanceof StillApplying) return err;
  // Still refused unapplied after the client's own resends: nothing was decided, so the caller is told to try
  // again (503, Retry-After), never a 409 that a person or a script reads as a final answer.
  if (isRefusedUnapplied(err))
    return new TicketflowError('upstream_unavailable', 'the ticket is busy with another step; retry shortly', {
      cause: err,
    });
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) {
      return new TicketflowError(cause.type === 'BadInput' ? 'bad_input' : 'conflict', cause.message, { cause: err });
    }
    return new TicketflowError('conflict', cause?.message ?? err.message, { cause: err });
  }
  if (isUnavailable(err)) return unavailable(err);
  if (isNotFound(err)) {
    const exists = await describeStatus().catch(() => null);
    if (exists)
      return new TicketflowError(
        'conflict',
        `ticket ${ticketId} is ${exists === 'COMPLETED' ? 'closed' : exists.toLowerCase()}`,
        { cause: err },
      );
    return new TicketflowError('not_found', `no ticket ${ticketId}`, { cause: err });
  }
  return err;
}

export function checkTicketId(ticketId: string): string {
  const r = ticketIdSchema.safeParse(ticketId);
  if (!r.success)
    throw new TicketflowError(
      'bad_input',
      `"${String(ticketId).slice(0, 80)}" is not a ticket id (letters, digits, _ and -)`,
    );
  return r.data;
}

export function parseOr<T>(schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  throw new TicketflowError(
    'bad_input',
    r.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '),
  );
}
