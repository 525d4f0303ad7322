/**
 * The consumer reports each partition's lag after every batch; the gauge is written only when a value
 * changes (prom-client sorts and hashes the labels on every write), and it still reads the last value
 * reported for every partition. (The writes are counted; no timing.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGatewayMetrics, lagReporter } from '../../gateway/metrics';

test('the lag gauge holds the last lag of each partition and is written only on a change', async () => {
  const metrics = createGatewayMetrics({ instanceId: 'lag-gauge' });
  const set = metrics.consumerLag.set.bind(metrics.consumerLag);
  let writes = 0;
  metrics.consumerLag.set = ((...args: Parameters<typeof set>) => {
    writes++;
    return set(...args);
  }) as typeof set;
  const report = lagReporter(metrics);
  for (let i = 0; i < 100; i++) report('t', 0, 0);
  report('t', 1, 5);
  report('t', 1, 5);
  report('t', 1, 3);
  report('u', 0, 7);
  report('t', 0, 0);
  assert.equal(writes, 4, 'one write per changed value (t/0 once, t/1 twice, u/0 once)');

  const values = (await metrics.consumerLag.get()).values.map(
    (v) => `${v.labels.topic}/${v.labels.partition}=${v.value}`,
  );
  assert.deepEqual(values.sort(), ['t/0=0', 't/1=3', 'u/0=7']);
});
