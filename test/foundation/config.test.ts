/** Config: defaults parse; a bad value is refused with the variable's name; the process stops on it. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../core/config';
import { problemsOf } from '../helpers/config-problems';

describe('config', () => {
  it('gives every address and port a default', () => {
    const cfg = loadConfig({});
    assert.equal(cfg.temporal.address, '127.0.0.1:7233');
    assert.deepEqual(cfg.kafka.brokers, ['127.0.0.1:9092']);
    assert.equal(cfg.gateway.port, 8080);
    assert.equal(cfg.temporal.external, false);
  });

  it('uses configured servers', () => {
    const cfg = loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233', KAFKA_BROKERS: 'k1:9092, k2:9092' });
    assert.equal(cfg.temporal.external, true);
    assert.deepEqual(cfg.kafka.brokers, ['k1:9092', 'k2:9092']);
  });

  it('treats the local default addresses, as `infra env` exports them, as the local servers', () => {
    const cfg = loadConfig({ TEMPORAL_ADDRESS: '127.0.0.1:7233', KAFKA_BROKERS: '127.0.0.1:9092' });
    assert.equal(cfg.temporal.external, false);
    assert.equal(cfg.kafka.external, false);
    const moved = loadConfig({
      TEMPORAL_PORT: '17233',
      TEMPORAL_ADDRESS: '127.0.0.1:17233',
      KAFKA_PORT: '19092',
      KAFKA_BROKERS: '127.0.0.1:19092',
    });
    assert.equal(moved.temporal.external, false);
    assert.equal(moved.kafka.external, false);
    assert.equal(loadConfig({ KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.1:9094' }).kafka.external, true);
  });

  it("gives the gateway consumer's fetch kafkajs's answer-at-once defaults, and refuses a zero minimum", () => {
    assert.deepEqual(loadConfig({}).kafka.fetch, { minBytes: 1, maxWaitMs: 500, maxBytesPerPartition: 1_048_576 });
    const held = loadConfig({ KAFKA_FETCH_MIN_BYTES: '8192', KAFKA_FETCH_MAX_WAIT: '5ms' }).kafka.fetch;
    assert.deepEqual(held, { minBytes: 8192, maxWaitMs: 5, maxBytesPerPartition: 1_048_576 });
    const problems = problemsOf({ KAFKA_FETCH_MIN_BYTES: '0', KAFKA_FETCH_MAX_WAIT: 'soon' }).join('\n');
    assert.match(problems, /KAFKA_FETCH_MIN_BYTES: must be > 0/);
    assert.match(problems, /KAFKA_FETCH_MAX_WAIT.*"soon" is not a duration/);
  });

  it('refuses a port out of range, naming the variable', () => {
    const problems = problemsOf({ GATEWAY_PORT: '99999' });
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^GATEWAY_PORT: .*65535/);
  });

  it('refuses a broker list that is not host:port', () => {
    assert.match(problemsOf({ KAFKA_BROKERS: 'nonsense' }).join('\n'), /KAFKA_BROKERS.*host:port/);
  });

  it('refuses an empty required value and a bad duration, naming each', () => {
    const problems = problemsOf({ TEMPORAL_NAMESPACE: '', REVIEW_SLA: 'soon' }).join('\n');
    assert.match(problems, /TEMPORAL_NAMESPACE/);
    assert.match(problems, /REVIEW_SLA.*"soon" is not a duration/);
  });

  it('stops the process with a message naming the variable', () => {
    const root = path.resolve(__dirname, '..', '..');
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', "require('./core/config').config(); console.log('started')"],
      {
        cwd: root,
        env: { ...process.env, KAFKA_PORT: 'ninety' },
        encoding: 'utf8',
      },
    );
    assert.equal(result.status, 78, result.stderr);
    assert.match(result.stderr, /KAFKA_PORT: must be a number/);
    assert.doesNotMatch(result.stdout, /started/);
  });
});
