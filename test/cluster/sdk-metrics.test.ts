/**
 * The worker process, started as an operator would with WORKER_SDK_METRICS_PORT, exposes the Temporal SDK's
 * own Prometheus metrics there, beside its ops port's /metrics (the worker's own). Stores on SQLite: nothing
 * here is shared between instances.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freePorts } from '../../scripts/chaos/ports';
import { pollUntil } from '../../scripts/infra/proc';
import { ClusterStack } from './stack';

let stack: ClusterStack;
let sdkPort: number;

before(async () => {
  const [port] = await freePorts(1);
  assert.ok(port !== undefined);
  sdkPort = port;
  stack = new ClusterStack('', { WORKER_SDK_METRICS_PORT: String(sdkPort) });
  await stack.prepare();
  await stack.startWorker('worker');
});

after(async () => {
  await stack.stop();
  stack.removeData();
});

test('the SDK metrics are scraped on their own port; the ops port keeps the worker metrics', async () => {
  // The pollers report once they have polled: waited for, not timed.
  const body = await pollUntil(
    'sdk metrics with pollers',
    async () => {
      const res = await fetch(`http://127.0.0.1:${sdkPort}/metrics`).catch(() => undefined);
      const text = res?.ok ? await res.text() : '';
      return /^temporal_num_pollers\{/m.test(text) ? text : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
  assert.match(body, /^temporal_worker_start\{[^}]*task_queue="[^"]+"/m);
  assert.match(body, new RegExp(`task_queue="${stack.cfg.temporal.taskQueue}"`));

  const app = stack.apps.get('worker');
  const ops = await (await fetch(`${app?.url}/metrics`)).text();
  assert.doesNotMatch(ops, /^temporal_num_pollers/m, 'the SDK metrics are not mixed into the ops port');
});
