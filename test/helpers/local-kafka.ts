/**
 * A second, secured local Kafka for the security tests (never the shared 9092): one KRaft node from the jars
 * infra fetched into the tools cache, on free 127.0.0.1 ports, its own data dir, a bounded heap, stopped by
 * pid. Every listener, the controller's included, takes SASL PLAIN; with `tls`, a SASL_SSL listener is added
 * beside the SASL_PLAINTEXT one, its key and certificate given as PEM, and with `tls.clientCaFile` an SSL
 * listener that wants a client certificate instead of SASL (its CN is the principal). With `authorizer`, the
 * StandardAuthorizer decides every request and only `admin` (the broker's own principal) is a super user.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AclEntry, Admin, ITopicConfig } from 'kafkajs';
import { loadConfig } from '../../core/config';
import { freePorts } from '../../scripts/chaos/ports';
import { requireJava } from '../../scripts/infra/java';
import { formatStorageArgs, installKafka } from '../../scripts/infra/kafka';
import { infraPaths } from '../../scripts/infra/paths';
import { pollUntil, portOpen } from '../../scripts/infra/proc';

export const BROKER_ADMIN = { username: 'admin', password: 'admin-secret' } as const;

export interface LocalKafkaOptions {
  /** SASL PLAIN users besides `admin`: name -> password. */
  users: Record<string, string>;
  /** The StandardAuthorizer with `admin` as the only super user (no ACL: refused). */
  authorizer?: boolean;
  /**
   * A SASL_SSL listener too: one PEM file with the broker's unencrypted private key and its certificate.
   * With `clientCaFile`, also an SSL listener requiring a client certificate that CA signed.
   */
  tls?: { keyAndCertFile: string; clientCaFile?: string };
}

export interface LocalKafka {
  /** `127.0.0.1:<port>` of the SASL_PLAINTEXT listener. */
  saslBroker: string;
  /** `127.0.0.1:<port>` of the SASL_SSL listener (with `tls`). */
  tlsBroker?: string;
  /** `127.0.0.1:<port>` of the mutual-TLS listener (with `tls.clientCaFile`). */
  mtlsBroker?: string;
  /** The authorizer's audit lines for refused requests so far ("Principal = User:x is Denied operation = ..."). */
  denials(): string[];
  /**
   * Creates the topics that are missing and applies the ACLs, retried as a whole until the broker takes them (a
   * listener accepts connections before the broker is registered with its controller, and meanwhile a topic
   * cannot be placed). A failure carries the end of the broker's log.
   */
  prepare(admin: Admin, topics: ITopicConfig[], acls: AclEntry[]): Promise<void>;
  stop(): void;
}

/** The key=value lines of server.properties for the given ports. */
function properties(o: LocalKafkaOptions, dir: string, ports: Record<'sasl' | 'tls' | 'mtls' | 'controller', number>) {
  const users = { [BROKER_ADMIN.username]: BROKER_ADMIN.password, ...o.users };
  const jaas =
    'org.apache.kafka.common.security.plain.PlainLoginModule required ' +
    `username="${BROKER_ADMIN.username}" password="${BROKER_ADMIN.password}" ` +
    Object.entries(users)
      .map(([name, password]) => `user_${name}="${password}"`)
      .join(' ') +
    ';';
  const listeners = [`SASL_PLAINTEXT://127.0.0.1:${ports.sasl}`];
  if (o.tls) listeners.push(`SASL_SSL://127.0.0.1:${ports.tls}`);
  if (o.tls?.clientCaFile) listeners.push(`SSL://127.0.0.1:${ports.mtls}`);
  const names = ['controller', 'sasl_plaintext', ...(o.tls ? ['sasl_ssl'] : [])];
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${ports.controller}`,
    `listeners=${[...listeners, `CONTROLLER://127.0.0.1:${ports.controller}`].join(',')}`,
    `advertised.listeners=${listeners.join(',')}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=SASL_PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL',
    'sasl.enabled.mechanisms=PLAIN',
    'sasl.mechanism.inter.broker.protocol=PLAIN',
    'sasl.mechanism.controller.protocol=PLAIN',
    ...names.map((name) => `listener.name.${name}.plain.sasl.jaas.config=${jaas}`),
    ...(o.authorizer
      ? [
          'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
          `super.users=User:${BROKER_ADMIN.username}`,
          'allow.everyone.if.no.acl.found=false',
        ]
      : []),
    ...(o.tls ? ['ssl.keystore.type=PEM', `ssl.keystore.location=${o.tls.keyAndCertFile}`] : []),
    ...(o.tls?.clientCaFile
      ? [
          'listener.name.ssl.ssl.client.auth=required',
          'ssl.truststore.type=PEM',
          `ssl.truststore.location=${o.tls.clientCaFile}`,
          // The principal is the certificate's CN, so the same ACLs serve SASL and certificate clients.
          'ssl.principal.mapping.rules=RULE:^CN=([^,]*)$/$1/,DEFAULT',
        ]
      : []),
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
}

async function prepareTopicsAndAcls(admin: Admin, topics: ITopicConfig[], acls: AclEntry[]): Promise<void> {
  await pollUntil(
    'the secured Kafka taking its topics and ACLs',
    async () => {
      await admin.connect();
      try {
        const existing = new Set(await admin.listTopics());
        const missing = topics.filter((t) => !existing.has(t.topic));
        if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
        if (acls.length > 0) await admin.createAcls({ acl: acls });
        const metadata = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) });
        const led = metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
        return led ? true : undefined;
      } finally {
        await admin.disconnect();
      }
    },
    { timeoutMs: 90_000, intervalMs: 500 },
  );
}

/** The broker exited because a port it was given was taken meanwhile. */
class BindFailure extends Error {}

/**
 * Starts the broker and resolves once every listener accepts connections. The ports are picked free just before
 * the JVM binds them, so another process can take one meanwhile: a broker that exits on a bind failure is
 * started once more on fresh ports.
 */
export async function startLocalKafka(o: LocalKafkaOptions): Promise<LocalKafka> {
  try {
    return await startOnce(o);
  } catch (err) {
    if (!(err instanceof BindFailure)) throw err;
    return startOnce(o);
  }
}

async function startOnce(o: LocalKafkaOptions): Promise<LocalKafka> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-secured-kafka-'));
  const base = loadConfig({ TICKETFLOW_DATA_DIR: process.env.TICKETFLOW_DATA_DIR });
  const libs = path.join(installKafka(base, infraPaths(base)), '*');
  const java = requireJava();
  const [sasl, tls, mtls, controller] = (await freePorts(4)) as [number, number, number, number];
  const file = path.join(dir, 'server.properties');
  fs.writeFileSync(file, properties(o, dir, { sasl, tls, mtls, controller }).join('\n') + '\n');
  // Warnings, plus the authorizer's audit lines: each denial is logged at INFO with principal and resource.
  const log4j = path.join(dir, 'log4j2.properties');
  fs.writeFileSync(
    log4j,
    [
      'appender.out.type=Console',
      'appender.out.name=STDOUT',
      'appender.out.layout.type=PatternLayout',
      'appender.out.layout.pattern=[%d] %p %m (%c)%n',
      'rootLogger.level=WARN',
      'rootLogger.appenderRef.out.ref=STDOUT',
      'logger.audit.name=kafka.authorizer.logger',
      'logger.audit.level=INFO',
      '',
    ].join('\n'),
  );
  const jvm = ['-Xms64m', '-Xmx256m', '-XX:+UseSerialGC', `-Dlog4j2.configurationFile=${log4j}`, '-cp', libs];
  const format = spawnSync(java, [...jvm, 'kafka.tools.StorageTool', ...formatStorageArgs(file)], {
    encoding: 'utf8',
  });
  if (format.status !== 0) throw new Error(`formatting the secured Kafka's storage failed: ${format.stderr}`);
  const logFile = path.join(dir, 'kafka.log');
  const log = fs.openSync(logFile, 'a');
  const broker: ChildProcess = spawn(java, [...jvm, 'kafka.Kafka', file], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const stop = () => {
    broker.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const ports = [sasl, ...(o.tls ? [tls] : []), ...(o.tls?.clientCaFile ? [mtls] : [])];
  try {
    await pollUntil(
      'the secured Kafka listening',
      async () => ((await Promise.all(ports.map((p) => portOpen('127.0.0.1', p)))).every(Boolean) ? true : undefined),
      { timeoutMs: 90_000, intervalMs: 500, alive: () => broker.exitCode === null },
    );
  } catch (err) {
    const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-3_000) : '';
    stop();
    const Failure = /BindException|Address already in use/.test(tail) ? BindFailure : Error;
    throw new Failure(`starting the secured Kafka: ${(err as Error).message}\n${tail}`);
  }
  return {
    saslBroker: `127.0.0.1:${sasl}`,
    tlsBroker: o.tls ? `127.0.0.1:${tls}` : undefined,
    mtlsBroker: o.tls?.clientCaFile ? `127.0.0.1:${mtls}` : undefined,
    denials: () =>
      fs
        .readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((line) => line.includes(' is Denied operation = ')),
    prepare: (admin, topics, acls) =>
      prepareTopicsAndAcls(admin, topics, acls).catch((err: Error) => {
        const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-3_000) : '';
        throw new Error(`${err.message}\nthe broker's log ends:\n${tail}`);
      }),
    stop,
  };
}
