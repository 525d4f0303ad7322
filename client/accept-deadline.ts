/**
 * How long a person's action waits for the ticket to take it. An update is admitted by the server at once, but
 * only a worker accepts it; with no worker running (a crash, a deploy), the SDK would wait for acceptance with
 * no end, and so would the agent's click and its HTTP request (measured: still waiting after 150 s). So the
 * wait for acceptance is bounded: past it the caller gets 503 with Retry-After, and the same request sent
 * again (same Idempotency-Key, so the same update id) joins the update already admitted, or gets its answer
 * once applied. Only acceptance is bounded: an accepted update may take as long as its step does (a reply
 * check, a confirmed refund), and cutting that wait short would report an action still being applied.
 */
import { WorkflowUpdateRPCTimeoutOrCancelledError, type Client, type WorkflowUpdateHandle } from '@temporalio/client';
import { TicketflowError } from '../core/errors';

export async function resultOnceAccepted<R>(
  client: Client,
  timeoutMs: number,
  start: () => Promise<WorkflowUpdateHandle<R>>,
): Promise<R> {
  let handle: WorkflowUpdateHandle<R>;
  try {
    handle = await client.withDeadline(Date.now() + timeoutMs, start);
  } catch (err) {
    if (!(err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)) throw err;
    throw new TicketflowError(
      'upstream_unavailable',
      `the ticket did not take the action within ${Math.round(timeoutMs / 1000)} s (its worker may be down); it may still be applied when the worker is back: send the same request, with the same Idempotency-Key, again`,
      { cause: err },
    );
  }
  return handle.result();
}
