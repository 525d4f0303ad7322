/**
 * One secured local Kafka for every security case (test/helpers/local-kafka.ts: the StandardAuthorizer, SASL
 * PLAIN on a plaintext and a SASL_SSL listener, an SSL listener wanting a client certificate, all signed by a
 * CA made at test time), with the README's ACLs applied as written. The project's own modules are the
 * clients: the worker's publisher (activities/events.ts) and the gateway's record consumer
 * (gateway/kafka/consumer.ts), configured only through KAFKA_* settings. Proves: a wrong password is refused;
 * only the worker's principal writes ticket-events; the gateway's principal reads it under its own groups and
 * cannot write; an outsider can do neither; a client connects over TLS with the CA configured and is refused
 * when it trusts another CA; a client certificate's CN is a principal, and no certificate is refused.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { logLevel } from 'kafkajs';
import { loadConfig, type Config } from '../../core/config';
import type { TicketEvent } from '../../core/events';
import { createKafka } from '../../core/kafka';
import { createCapturingLogger } from '../../core/logger';
import { createKafkaPublisher } from '../../activities/events';
import { createRecordConsumer, gatewayGroupId } from '../../gateway/kafka/consumer';
import { brokerErrorNames } from '../../gateway/kafka/error-chain';
import { uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { BROKER_ADMIN, startLocalKafka, type LocalKafka } from '../helpers/local-kafka';
import { readmeAcls } from '../helpers/readme-acls';
import { makeTestCertificates, type TestCertificates } from '../helpers/test-ca';

const users = {
  'ticketflow-worker': 'worker-secret',
  'ticketflow-gateway': 'gateway-secret',
  outsider: 'outsider-secret',
};
type User = keyof typeof users | typeof BROKER_ADMIN.username;
const EVENTS = 'ticket-events';
const ALERTS = 'alerts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-kafka-tls-'));
let broker: LocalKafka | undefined;
let certs: TestCertificates;

/** A process's Kafka settings, as its environment would give them. */
function kafkaFor(user: User, o: { listener?: 'tls' | 'sasl'; caFile?: string; password?: string } = {}) {
  const listener = o.listener ?? 'tls';
  const password = o.password ?? (user === BROKER_ADMIN.username ? BROKER_ADMIN.password : users[user]);
  return settings({
    KAFKA_BROKERS: listener === 'tls' ? broker!.tlsBroker : broker!.saslBroker,
    KAFKA_SASL_MECHANISM: 'plain',
    KAFKA_SASL_USERNAME: user,
    KAFKA_SASL_PASSWORD: password,
    ...(listener === 'tls' ? { KAFKA_TLS_CA_FILE: o.caFile ?? certs.caFile } : {}),
  });
}

/** The worker authenticated by its certificate on the mutual-TLS listener, no SASL (or with no certificate). */
function certificateKafka(withCertificate: boolean) {
  const { certFile, keyFile } = certs.client;
  return settings({
    KAFKA_BROKERS: broker!.mtlsBroker,
    KAFKA_TLS_CA_FILE: certs.caFile,
    ...(withCertificate ? { KAFKA_TLS_CERT_FILE: certFile, KAFKA_TLS_KEY_FILE: keyFile } : {}),
  });
}

function settings(env: NodeJS.ProcessEnv): Config['kafka'] {
  return loadConfig({ KAFKA_BACKOFF_INITIAL: '100ms', KAFKA_BACKOFF_MAX: '1s', ...env }).kafka;
}

/** Why an admin client could not connect (undefined: it did). */
async function connectError(kafka: Config['kafka']): Promise<Error | undefined> {
  const admin = quietAdmin(kafka, 0);
  try {
    await admin.connect();
    return undefined;
  } catch (err) {
    return err as Error;
  } finally {
    await admin.disconnect();
  }
}

function quietAdmin(kafka: Config['kafka'], retries = 5) {
  return createKafka(kafka, { logLevel: logLevel.NOTHING, retry: { retries, initialRetryTime: 300 } }).admin();
}

async function endOffset(topic: string): Promise<number> {
  const admin = quietAdmin(kafkaFor('admin', { listener: 'sasl' }));
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

before(async () => {
  certs = makeTestCertificates(path.join(dir, 'tls'), 'ticketflow-worker');
  broker = await startLocalKafka({
    users,
    authorizer: true,
    tls: { keyAndCertFile: certs.serverKeyAndCertFile, clientCaFile: certs.caFile },
  });
  await broker.prepare(
    quietAdmin(kafkaFor('admin', { listener: 'sasl' }), 0),
    [
      { topic: EVENTS, numPartitions: 2 },
      { topic: ALERTS, numPartitions: 1 },
    ],
    readmeAcls(),
  );
});

after(() => {
  broker?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function event(ticketId: string, seq: number): TicketEvent {
  return { v: 1, ticketId, seq, type: 'status', at: new Date().toISOString(), data: { status: 'triage' } };
}

/** kafkajs's error types along an error's chain (its `type`, then whatever it wraps). */
function assertNotAuthorized(err: unknown, expected: RegExp): void {
  assert.ok(err, 'the request was allowed');
  const types = brokerErrorNames(err);
  assert.ok(
    types.some((t) => expected.test(t)),
    `expected ${String(expected)}, got ${types.join(' < ') || (err as Error).message}`,
  );
}

/** The worker's publisher under `user`: the error its connect or first send ends with, or undefined. */
async function publishAs(user: User, ticketId: string): Promise<unknown> {
  try {
    const publisher = await createKafkaPublisher(kafkaFor(user));
    try {
      await publisher.publishEvents([event(ticketId, 1)]);
    } finally {
      await publisher.close();
    }
    return undefined;
  } catch (err) {
    return err;
  }
}

/** The gateway's consumer under `user` and `groupId`: the first failure its supervisor reports. */
async function consumerFailure(user: User, groupId: string): Promise<unknown> {
  let records = 0;
  let failed!: (err: unknown) => void;
  const failure = new Promise<unknown>((resolve) => (failed = resolve));
  const consumer = createRecordConsumer({
    kafka: kafkaFor(user),
    topic: EVENTS,
    groupId,
    handle: () => records++,
    logger: createCapturingLogger('gateway').logger,
    onFailure: (err) => failed(err),
  });
  consumer.start();
  const err = await failure;
  await consumer.stop();
  assert.equal(records, 0, `${user} read records under ${groupId}`);
  return err;
}

describe('Kafka with SASL, TLS and the README ACLs (one secured local broker)', () => {
  it('the worker writes ticket-events (TLS and plaintext listeners); the gateway reads them under its group', async () => {
    const ticketId = uniqueName('t');
    const groupBase = gatewayGroupId(uniqueName('gw'));
    const seen: number[] = [];
    const consumer = createRecordConsumer({
      kafka: kafkaFor('ticketflow-gateway'),
      topic: EVENTS,
      groupId: groupBase,
      handle: (key, value) => {
        const parsed = JSON.parse(String(value)) as TicketEvent;
        if (String(key) === ticketId) seen.push(parsed.seq);
      },
      logger: createCapturingLogger('gateway').logger,
    });
    consumer.start();
    try {
      await consumer.waitReady(60_000);
      const overTls = await createKafkaPublisher(kafkaFor('ticketflow-worker'));
      await overTls.publishEvents([event(ticketId, 1)]);
      await overTls.publishAlert({ v: 1, kind: 'ticket_reopened', ticketId, at: new Date().toISOString(), data: {} });
      await overTls.close();
      const plain = await createKafkaPublisher(kafkaFor('ticketflow-worker', { listener: 'sasl' }));
      await plain.publishEvents([event(ticketId, 2)]);
      await plain.close();
      await waitFor(() => seen.length >= 2, { timeoutMs: 30_000, message: "the worker's two events at the gateway" });
      assert.deepEqual(
        [...seen].sort((a, b) => a - b),
        [1, 2],
      );
      assert.equal(await endOffset(ALERTS), 1);
    } finally {
      await consumer.stop();
    }
    // Its positions are committed to its own group for operators' lag tools (gateway/kafka/fetch-session.ts):
    // after the stop, where it stopped, which is the log's end.
    const admin = quietAdmin(kafkaFor('ticketflow-gateway'));
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId: groupBase, topics: [EVENTS] });
      const byPartition = (rows: { partition: number; offset: string }[]) =>
        rows.map((r) => `${r.partition}:${r.offset}`).sort();
      assert.deepEqual(byPartition(committed!.partitions), byPartition(await admin.fetchTopicOffsets(EVENTS)));
    } finally {
      await admin.disconnect();
    }
    // The gateway never deletes a group (the README's ACLs give it no Delete): the broker's admin tidies up.
    const brokerAdmin = quietAdmin(kafkaFor(BROKER_ADMIN.username));
    await brokerAdmin.connect();
    await brokerAdmin.deleteGroups([groupBase]).finally(() => brokerAdmin.disconnect());
  });

  it('the gateway cannot write ticket-events', async () => {
    const before = await endOffset(EVENTS);
    assertNotAuthorized(await publishAs('ticketflow-gateway', uniqueName('t')), /AUTHORIZATION_FAILED/);
    assert.equal(await endOffset(EVENTS), before, 'a record from the gateway landed');
  });

  it('the gateway does not run under a group outside its prefix', async () => {
    const groupId = uniqueName('other');
    // Its first commit of a session is awaited (fetch-session.ts): a group the principal may not use fails the
    // consumer, with the broker's reason; the broker's audit log says which operation it refused.
    const failure = await consumerFailure('ticketflow-gateway', groupId);
    assertNotAuthorized(failure, /GROUP_AUTHORIZATION_FAILED/);
    const named = new RegExp(`Group:LITERAL:${groupId}(?![\\w.-])`);
    const denied = broker!.denials().filter((l) => named.test(l));
    assert.match(denied[0] ?? 'no denial', /^.*User:ticketflow-gateway is Denied operation = (DESCRIBE|READ)\b/);
  });

  it('an outsider can neither write nor read ticket-events', async () => {
    const before = await endOffset(EVENTS);
    assertNotAuthorized(await publishAs('outsider', uniqueName('t')), /AUTHORIZATION_FAILED/);
    assert.equal(await endOffset(EVENTS), before, 'a record from the outsider landed');
    assertNotAuthorized(
      await consumerFailure('outsider', gatewayGroupId(uniqueName('gw'))),
      /TOPIC_AUTHORIZATION_FAILED/,
    );
  });

  it('a wrong password is refused with an authentication error', async () => {
    const err = await connectError(kafkaFor('ticketflow-worker', { listener: 'sasl', password: 'wrong-secret' }));
    assert.ok(err, 'connected with a wrong password');
    assert.match(`${err.name}: ${err.message}`, /SASL PLAIN authentication failed|Authentication failed/i);
  });

  it('over TLS, a client that trusts another CA is refused; the right CA connects', async () => {
    const err = await connectError(kafkaFor('ticketflow-worker', { caFile: certs.otherCaFile }));
    assert.ok(err, 'connected while trusting another CA');
    assert.match(`${err.name}: ${err.message}`, /unable to verify the first certificate|certificate/i);
    const trusted = quietAdmin(kafkaFor('ticketflow-worker'));
    await trusted.connect();
    const cluster = await trusted.describeCluster();
    await trusted.disconnect();
    assert.equal(cluster.brokers.length, 1);
  });

  it('with a client certificate instead of SASL, its CN is the principal: the worker writes; none, no entry', async () => {
    const before = await endOffset(EVENTS);
    const publisher = await createKafkaPublisher(certificateKafka(true));
    await publisher.publishEvents([event(uniqueName('t'), 1)]);
    await publisher.close();
    assert.equal(await endOffset(EVENTS), before + 1);
    const err = await connectError(certificateKafka(false));
    assert.ok(err, 'connected without a client certificate');
    assert.match(err.message, /bad certificate|certificate required/i);
  });
});
