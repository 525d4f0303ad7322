/**
 * The ceiling: as many starts of an empty workflow (one no-op activity) as the level sent tickets, at the
 * same concurrency, on the same Temporal server, with a worker in this process on its own task queue.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { percentile } from './stats';

export interface CeilingResult {
  count: number;
  wallMs: number;
  perSec: number;
  p50Ms?: number;
  p99Ms?: number;
}

export interface Ceiling {
  run(count: number, concurrency: number): Promise<CeilingResult>;
  close(): Promise<void>;
}

export async function startCeiling(address: string, namespace: string): Promise<Ceiling> {
  const taskQueue = `bench-ceiling-${crypto.randomBytes(4).toString('hex')}`;
  const native = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: native,
    namespace,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: path.join(__dirname, 'ceiling-workflow.ts'),
      logger: new DefaultLogger('WARN'),
    }),
    activities: { noop: async () => undefined },
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  return {
    async run(count, concurrency) {
      const latencies: number[] = [];
      let next = 0;
      const started = performance.now();
      const one = async () => {
        while (next < count) {
          next++;
          const t0 = performance.now();
          await client.workflow.execute('emptyWorkflow', { taskQueue, workflowId: `ceiling-${crypto.randomUUID()}` });
          latencies.push(performance.now() - t0);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, one));
      const wallMs = performance.now() - started;
      return {
        count,
        wallMs,
        perSec: (count * 1000) / wallMs,
        p50Ms: percentile(latencies, 0.5),
        p99Ms: percentile(latencies, 0.99),
      };
    },
    async close() {
      worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
      await native.close();
    },
  };
}
