/**
 * How long a person's action holds its caller. An update is admitted by the server at once, but only a worker
 * accepts it, and an accepted one is answered only when its step has run; the SDK waits for both with no end.
 *
 * - Acceptance: with no worker running (a crash, a deploy), an agent's click and its HTTP request waited
 *   without end (measured: still waiting after 150 s). So a call with an id of its own (an Idempotency-Key) is
 *   told to retry after `acceptMs` (503 with Retry-After), and the same request sent again with the same key
 *   joins the update already admitted. A call without one waits as before: its resend would be a new update
 *   while the first may still apply (a customer's message twice, a second ticket).
 * - Application: an accepted action is decided (it is in the ticket's history and will be applied), but its
 *   step may take long (a reply check, a confirmed refund with its retries) or its worker may die half way,
 *   and then the caller waited until a worker finished it. So past `applyMs` the caller gets `StillApplying`
 *   (the API's 202): accepted, not yet applied, the outcome on the ticket's stream. Nothing needs resending,
 *   so every accepted call is bounded this way, with a key or without; with a key, the same request joins it.
 */
import { WorkflowUpdateRPCTimeoutOrCancelledError, type Client, type WorkflowUpdateHandle } from '@temporalio/client';
import type { Config } from '../core/config';
import { TicketflowError } from '../core/errors';

export interface ActionBounds {
  /** How long a worker has to accept it; null: no bound (a call without an id of its own). */
  acceptMs: number | null;
  /** How long an accepted action may take before the caller is answered "still applying"; null: no bound. */
  applyMs: number | null;
}

/** The configured bounds of one call; `ownId`: the call names its update (a key), so a resend joins it. */
export function actionBounds(cfg: Config, ownId: boolean): ActionBounds {
  return { acceptMs: ownId ? cfg.temporal.acceptTimeoutMs : null, applyMs: cfg.temporal.applyTimeoutMs };
}

/** An accepted action not applied within its bound: decided, and applied when its step has run. */
export class StillApplying extends Error {
  constructor(
    readonly updateId: string,
    /** How long its result was waited for after it was accepted. */
    readonly boundMs: number,
    opts: { cause?: unknown } = {},
  ) {
    super(`the action was accepted and is still being applied ${boundMs / 1000} s after`, opts);
    this.name = 'StillApplying';
  }
}

export async function resultOnceAccepted<R>(
  client: Client,
  bounds: ActionBounds,
  start: () => Promise<WorkflowUpdateHandle<R>>,
): Promise<R> {
  const { acceptMs, applyMs } = bounds;
  let handle: WorkflowUpdateHandle<R>;
  try {
    handle = acceptMs === null ? await start() : await client.withDeadline(Date.now() + acceptMs, start);
  } catch (err) {
    if (!(err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) || acceptMs === null) throw err;
    throw new TicketflowError(
      'upstream_unavailable',
      `the ticket did not take the action within ${acceptMs / 1000} s (its worker may be down, or the call was cut); it may still be applied: send the same request, with the same Idempotency-Key, again`,
      { cause: err },
    );
  }
  if (applyMs === null) return handle.result();
  try {
    // The deadline ends the SDK's poll for the outcome too, so nothing keeps polling after the answer.
    return await client.withDeadline(Date.now() + applyMs, () => handle.result());
  } catch (err) {
    if (!(err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)) throw err;
    throw new StillApplying(handle.updateId, applyMs, { cause: err });
  }
}
