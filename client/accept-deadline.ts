/**
 * How long a person's action waits for the ticket to take it. An update is admitted by the server at once, but
 * only a worker accepts it; with no worker running (a crash, a deploy), the SDK would wait for acceptance with
 * no end, and so would the agent's click and its HTTP request (measured: still waiting after 150 s). So the
 * wait for acceptance is bounded: past it the caller gets 503 with Retry-After, and the same request sent
 * again (same Idempotency-Key, so the same update id) joins the update already admitted, or gets its answer
 * once applied. Only acceptance is bounded: an accepted update may take as long as its step does (a reply
 * check, a confirmed refund), and cutting that wait short would report an action still being applied. And only
 * a call with an id of its own (an Idempotency-Key) is bounded: without one, a resend is a new update while the
 * first may still apply (a customer's message twice, a second ticket), so such a caller waits as before.
 */
import { WorkflowUpdateRPCTimeoutOrCancelledError, type Client, type WorkflowUpdateHandle } from '@temporalio/client';
import { TicketflowError } from '../core/errors';

export async function resultOnceAccepted<R>(
  client: Client,
  /** Null: no bound (a call without an id of its own). */
  timeoutMs: number | null,
  start: () => Promise<WorkflowUpdateHandle<R>>,
): Promise<R> {
  if (timeoutMs === null) return (await start()).result();
  let handle: WorkflowUpdateHandle<R>;
  try {
    handle = await client.withDeadline(Date.now() + timeoutMs, start);
  } catch (err) {
    if (!(err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)) throw err;
    throw new TicketflowError(
      'upstream_unavailable',
      `the ticket did not take the action within ${timeoutMs / 1000} s (its worker may be down, or the call was cut); it may still be applied: send the same request, with the same Idempotency-Key, again`,
      { cause: err },
    );
  }
  return handle.result();
}
