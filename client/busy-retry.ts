/**
 * Sends an update again when the ticket refused it as busy (workflows/task-guard.ts): the refusal recorded
 * nothing, and the next attempt lands in a later workflow task, where the update is taken. Any other failure
 * is the caller's.
 */
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { TICKET_BUSY } from './contract';

const ATTEMPTS = 20;
const PAUSE_MS = 25;

function isBusy(err: unknown): boolean {
  return (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === TICKET_BUSY
  );
}

export async function retryWhileBusy<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (err) {
      if (!isBusy(err) || attempt >= ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, PAUSE_MS * attempt));
    }
  }
}
