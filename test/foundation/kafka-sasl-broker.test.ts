/**
 * A second local Kafka (own ports on 127.0.0.1, the jars infra fetched) with a SASL_PLAINTEXT PLAIN listener:
 * a client configured through KAFKA_SASL_* with the right password publishes and consumes; a wrong password
 * is refused with kafkajs's authentication error.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { logLevel } from 'kafkajs';
import { loadConfig } from '../../core/config';
import { createKafka } from '../../core/kafka';
import { freePorts } from '../../scripts/chaos/ports';
import { requireJava } from '../../scripts/infra/java';
import { installKafka } from '../../scripts/infra/kafka';
import { infraPaths } from '../../scripts/infra/paths';
import { pollUntil, portOpen } from '../../scripts/infra/proc';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-sasl-kafka-'));
let broker: ChildProcess | undefined;
let port = 0;

before(async () => {
  const base = loadConfig({ TICKETFLOW_DATA_DIR: process.env.TICKETFLOW_DATA_DIR });
  const libs = path.join(installKafka(base, infraPaths(base)), '*');
  const java = requireJava();
  const [p, controller] = await freePorts(2);
  port = p!;
  const jaas =
    'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" ' +
    'user_admin="admin-secret" user_ticketflow-worker="worker-secret";';
  const props = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controller}`,
    `listeners=SASL_PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller}`,
    `advertised.listeners=SASL_PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=SASL_PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
    'sasl.enabled.mechanisms=PLAIN',
    'sasl.mechanism.inter.broker.protocol=PLAIN',
    `listener.name.sasl_plaintext.plain.sasl.jaas.config=${jaas}`,
    `log.dirs=${path.join(dir, 'data')}`,
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'num.network.threads=1',
    'num.io.threads=2',
  ];
  const file = path.join(dir, 'server.properties');
  fs.writeFileSync(file, props.join('\n') + '\n');
  const jvm = ['-Xms64m', '-Xmx256m', '-XX:+UseSerialGC', '-cp', libs];
  const clusterId = crypto.randomBytes(16).toString('base64url');
  const format = spawnSync(java, [...jvm, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', file], {
    encoding: 'utf8',
  });
  assert.equal(format.status, 0, format.stderr);
  const log = fs.openSync(path.join(dir, 'kafka.log'), 'a');
  broker = spawn(java, [...jvm, 'kafka.Kafka', file], { stdio: ['ignore', log, log] });
  await pollUntil('the SASL Kafka listening', async () => ((await portOpen('127.0.0.1', port)) ? true : undefined), {
    timeoutMs: 90_000,
    intervalMs: 500,
  });
});

after(() => {
  broker?.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

function client(password: string) {
  const cfg = loadConfig({
    KAFKA_BROKERS: `127.0.0.1:${port}`,
    KAFKA_SASL_MECHANISM: 'plain',
    KAFKA_SASL_USERNAME: 'ticketflow-worker',
    KAFKA_SASL_PASSWORD: password,
  });
  return createKafka(cfg.kafka, { logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 300 } });
}

describe('Kafka with SASL PLAIN (a second local broker)', () => {
  it('the right password publishes and consumes', async () => {
    const kafka = client('worker-secret');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'ticket-events', numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'ticket-events', messages: [{ key: 't1', value: 'hello' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'sasl-check' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'ticket-events', fromBeginning: true });
    const got = await new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
    });
    await consumer.disconnect();
    assert.equal(got, 'hello');
  });

  it('a wrong password is refused with an authentication error', async () => {
    const admin = client('wrong-secret').admin();
    const err = await admin.connect().then(
      () => undefined,
      (e: Error) => e,
    );
    await admin.disconnect();
    assert.ok(err, 'connected with a wrong password');
    assert.match(`${err.name}: ${err.message}`, /SASL PLAIN authentication failed|Authentication failed/i);
  });
});
