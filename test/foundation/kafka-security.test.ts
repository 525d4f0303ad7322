/**
 * Kafka SASL and TLS settings: optional, checked together at start (each problem names its variable), and
 * carried by every kafkajs client core/kafka.ts builds, whatever a caller overrides.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../core/config';
import { problemsOf } from '../helpers/config-problems';
import { createKafka, securityOptions } from '../../core/kafka';
import { testKafkaBrokers } from '../helpers/infra';

describe('Kafka security settings', () => {
  it('are off unless set', () => {
    assert.deepEqual(loadConfig({}).kafka.security, { sasl: undefined, tls: undefined });
    assert.deepEqual(securityOptions(loadConfig({}).kafka.security), { sasl: undefined, ssl: undefined });
  });

  it('pass SASL and TLS (files read) to the client', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-kafka-tls-'));
    const ca = path.join(dir, 'ca.pem');
    fs.writeFileSync(ca, 'CA PEM');
    const cfg = loadConfig({
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'ticketflow-worker',
      KAFKA_SASL_PASSWORD: 'pw',
      KAFKA_TLS_CA_FILE: ca,
    });
    assert.deepEqual(securityOptions(cfg.kafka.security), {
      sasl: { mechanism: 'scram-sha-512', username: 'ticketflow-worker', password: 'pw' },
      ssl: { ca: 'CA PEM', cert: undefined, key: undefined, rejectUnauthorized: true },
    });
    assert.deepEqual(securityOptions(loadConfig({ KAFKA_TLS: 'true' }).kafka.security).ssl, {
      ca: undefined,
      cert: undefined,
      key: undefined,
      rejectUnauthorized: true,
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses settings that do not go together, naming the variables', () => {
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' }, /KAFKA_SASL_PASSWORD/],
      [{ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }, /^KAFKA_SASL_MECHANISM: needed/],
      [{ KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }, /^KAFKA_SASL_MECHANISM/],
      [{ KAFKA_TLS_CERT_FILE: __filename }, /KAFKA_TLS_KEY_FILE/],
      [{ KAFKA_TLS_CA_FILE: '/nonexistent/ca.pem' }, /^KAFKA_TLS_CA_FILE: no file/],
      [{ KAFKA_TLS: 'false', KAFKA_TLS_CA_FILE: __filename }, /^KAFKA_TLS: false/],
      [{ KAFKA_TLS: 'maybe' }, /^KAFKA_TLS: must be true or false/],
    ];
    for (const [env, problem] of cases) {
      const problems = problemsOf(env);
      assert.ok(
        problems.some((p) => problem.test(p)),
        `${JSON.stringify(env)}: ${problems.join('; ')}`,
      );
      assert.ok(!problems.join(' ').includes('"p"'), 'a password is never echoed');
    }
  });

  it('reach every client createKafka builds, whatever the caller overrides (the shared plaintext broker)', async () => {
    const brokers = testKafkaBrokers().join(',');
    const connect = async (env: NodeJS.ProcessEnv) => {
      const kafka = createKafka(loadConfig({ KAFKA_BROKERS: brokers, ...env }).kafka, {
        sasl: undefined,
        ssl: false,
        retry: { retries: 0 },
        connectionTimeout: 5_000,
      });
      const admin = kafka.admin();
      try {
        await admin.connect();
        return 'connected';
      } catch (err) {
        return String(err);
      } finally {
        await admin.disconnect();
      }
    };
    assert.equal(await connect({}), 'connected');
    // A SASL handshake on a plaintext listener is refused: the settings got through the caller's override.
    assert.match(
      await connect({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }),
      /SASL/,
    );
  });
});
