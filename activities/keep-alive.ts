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
  // No beat at the start: the server counts the heartbeatTimeout from the activity's start, so a worker killed
  // before the first beat is noticed as soon. A beat at the start was a heartbeat call to the server for every
  // activity, though most (the publishes) end within milliseconds: 11 % of the stack's CPU per ticket at
  // concurrency 10 (docs/benchmarks.md, issue 9).
  const timer = setInterval(() => ctx.heartbeat(), intervalMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
