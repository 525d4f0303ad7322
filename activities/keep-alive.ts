/**
 * Heartbeats while an activity waits on something slow (a model, a tool, a broker): with a heartbeatTimeout
 * in its options, a worker killed mid-call is noticed within that timeout and the activity retried on
 * another worker, instead of after the whole start-to-close timeout (2 minutes for model calls).
 */
import { Context } from '@temporalio/activity';

/** Often enough for the shortest heartbeatTimeout in workflows/activity-options.ts; the SDK throttles the rest. */
export const KEEP_ALIVE_INTERVAL_MS = 2_000;

export async function keepAlive<T>(fn: () => Promise<T>, intervalMs = KEEP_ALIVE_INTERVAL_MS): Promise<T> {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return fn(); // outside an activity (unit tests call activities directly)
  }
  // A local activity runs inside its workflow task: the server knows nothing of it to heartbeat to.
  if (ctx.info.isLocal) return fn();
  ctx.heartbeat();
  const timer = setInterval(() => ctx.heartbeat(), intervalMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
