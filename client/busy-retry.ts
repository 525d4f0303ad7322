/**
 * Sends an update again when it was refused without being applied, so resending is safe:
 * - the ticket refused it as busy (workflows/task-guard.ts): the refusal recorded nothing, and the next
 *   attempt lands in a later workflow task, where the update is taken;
 * - the server refused it as `UnprocessedUpdate`: a worker completed the workflow task that carried it
 *   without handing it to the workflow, and the server rejects such an update rather than delivering it
 *   again. After a worker kill the cold worker that takes over can do this (sdk-core logs "There are
 *   unprocessed protocol messages while receiving new work"); the ticket then waits for a decision that was
 *   never applied, and only a resend reaches it.
 * Any other failure is the caller's.
 */
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { TICKET_BUSY } from './contract';

/** The type of the server's own failure for an update no worker processed (Temporal's update registry). */
export const UNPROCESSED_UPDATE = 'UnprocessedUpdate';

const ATTEMPTS = 20;
const PAUSE_MS = 25;

/** True when the update was refused before anything was applied and may be sent again as it is. */
export function isRefusedUnapplied(err: unknown): boolean {
  return (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    (err.cause.type === TICKET_BUSY || err.cause.type === UNPROCESSED_UPDATE)
  );
}

export async function retryWhileBusy<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (err) {
      if (!isRefusedUnapplied(err) || attempt >= ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, PAUSE_MS * attempt));
    }
  }
}
