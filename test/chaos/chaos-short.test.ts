/**
 * The chaos suite's short variant (`npm run chaos -- --short`): its own Temporal and Kafka, the real worker
 * and gateway, the driver, worker kills, a gateway restart, a Kafka and a Temporal outage; then every goal:
 * nothing stuck, orphaned, missing or doubled, no duplicate side effect, every history replays.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runChaos } from '../../scripts/chaos/main';

describe('chaos (short)', () => {
  it('keeps every ticket and every event through kills and outages', { timeout: 600_000 }, async () => {
    const r = await runChaos('short');
    const f = r.figures[0]!;
    assert.ok(f.faults.workerKills >= 4 && f.faults.gatewayRestarts >= 1 && f.faults.kafkaOutages >= 1 && f.faults.temporalOutages >= 1, JSON.stringify(f.faults));
    assert.ok(f.tickets.created >= 3, `only ${f.tickets.created} tickets`);
    assert.ok(f.subscribers.count >= 2 * f.tickets.created);
    assert.equal(f.replay.runs >= f.tickets.created, true);
    assert.deepEqual(r.failures, [], `\n${r.markdown}\n${r.failures.join('\n')}`);
    assert.equal(r.ok, true);
  });
});
