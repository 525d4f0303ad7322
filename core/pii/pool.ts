/**
 * A small worker-thread pool (piscina) for detection on the request path. Threads start on first use,
 * inherit the process's loaders (tsx), and are unref'd while idle, so an idle pool keeps no process alive.
 */
import path from 'node:path';
import Piscina from 'piscina';
import { config } from '../config';
import type { Intake } from '../intake';
import type { ScrubResult, Strategy } from './strategies';
import type { PoolTask } from './worker';

let pool: Piscina<PoolTask, unknown> | undefined;

function workers(): Piscina<PoolTask, unknown> {
  pool ??= new Piscina<PoolTask, unknown>({
    filename: path.join(__dirname, `worker${path.extname(__filename)}`),
    minThreads: 1,
    maxThreads: config().pii.workers,
    idleTimeout: 60_000,
  });
  return pool;
}

/** Redacted text and masked entities for a new ticket, computed on a worker thread. */
export async function intakeOffThread(text: string): Promise<Intake> {
  return (await workers().run({ op: 'intake', text })) as Intake;
}

export async function scrubOffThread(
  text: string,
  strategy: Exclude<Strategy, 'block'> = 'redact',
): Promise<ScrubResult> {
  return (await workers().run({ op: 'scrub', text, strategy })) as ScrubResult;
}

export async function redactOffThread(text: string, strategy: Exclude<Strategy, 'block'> = 'redact'): Promise<string> {
  return (await scrubOffThread(text, strategy)).text;
}

/** Stops the threads (process shutdown, tests). */
export async function closeDetectionPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.destroy();
}
