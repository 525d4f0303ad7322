/**
 * Shared pieces of the workflow tests: one workflow bundle per test file, a worker per case (each case in
 * worker.runUntil), a publisher tap over the real Kafka publisher, and state assertions.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type NativeConnection,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { createActivities } from '../../../activities';
import type { EventPublisher } from '../../../activities/events';
import type { Intelligence } from '../../../activities/ports';
import type { Alert, TicketEvent } from '../../../core/events';
import type { Ticket } from '../../../workflows/state';
import { proposalSinks } from '../../../worker-ops/metrics';
import { WORKFLOW_PRELOAD_MODULES } from '../../../worker-ops/preload';
import { waitFor } from '../../helpers/wait';

export const workflowsPath = path.resolve(__dirname, '../../../workflows');

let runtimeInstalled = false;
/** Temporal's own logs only at WARN: test output stays readable. */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by another helper in this process
  }
}

export async function bundleOnce(): Promise<WorkflowBundleWithSourceMap> {
  quietRuntime();
  return bundleWorkflowCode({
    workflowsPath,
    preloadModules: WORKFLOW_PRELOAD_MODULES,
    logger: new DefaultLogger('WARN'),
  });
}

/** Records what the real publisher accepted (after Kafka acknowledged it). */
export function tapPublisher(inner: EventPublisher) {
  const events: TicketEvent[] = [];
  const alerts: Alert[] = [];
  const publisher: EventPublisher = {
    async publishEvents(batch) {
      await inner.publishEvents(batch);
      events.push(...batch);
    },
    async publishAlert(alert) {
      await inner.publishAlert(alert);
      alerts.push(alert);
    },
    close: () => inner.close(),
  };
  return { publisher, events, alerts };
}

export async function createTestWorker(opts: {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  bundle: WorkflowBundleWithSourceMap;
  intelligence: Intelligence;
  publisher: EventPublisher;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue,
    workflowBundle: opts.bundle,
    activities: createActivities({ intelligence: opts.intelligence, publisher: opts.publisher }),
    sinks: proposalSinks(),
    // Tests finish cases quickly; a short grace keeps shutdown fast.
    shutdownGraceTime: '1s',
  });
}

/** seq is 1..n without gaps or repeats, in order. */
export function assertGapFree(events: readonly TicketEvent[]): void {
  const seqs = events.map((e) => e.seq);
  assert.deepEqual(
    seqs,
    Array.from({ length: seqs.length }, (_, i) => i + 1),
    `seqs not gap-free: ${seqs.join(',')}`,
  );
}

export function typesOf(state: Ticket): string[] {
  return state.events.map((e) => e.type);
}

export async function waitForState(
  get: () => Promise<Ticket>,
  pred: (s: Ticket) => boolean,
  message: string,
  timeoutMs = 15_000,
): Promise<Ticket> {
  let last: Ticket | undefined;
  try {
    return await waitFor(
      async () => {
        last = await get();
        return pred(last) ? last : undefined;
      },
      { timeoutMs, intervalMs: 50, message },
    );
  } catch (err) {
    const brief = last
      ? ` (last: status=${last.status} queue=${last.queue} awaiting=${last.awaiting} events=${last.events.map((e) => e.type).join(',')})`
      : '';
    throw new Error(`${(err as Error).message}${brief}`);
  }
}
