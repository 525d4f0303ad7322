/**
 * The Kafka side: existing brokers when KAFKA_BROKERS is set, otherwise one local Apache Kafka 4.x node in
 * KRaft combined mode (broker + controller), its jars fetched from Maven Central with a small pom into the
 * tools cache, run as `java -cp 'libs/*' kafka.Kafka server.properties`. Ready means metadata answers and
 * the project's topics exist.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { logLevel } from 'kafkajs';
import type { Config } from '../../core/config';
import { createKafka } from '../../core/kafka';
import { aptInstall, canAptInstall } from './apt';
import { requireJava } from './java';
import { repoRoot, type InfraPaths } from './paths';
import { KAFKA_HEAP_PROPS, KAFKA_JVM_FLAGS } from './kafka-runtime';
import type { KafkaTuning } from './server-tuning';
import { pollUntil, portOpen, run, runningPid, spawnDetached, stopProcess, tail, which } from './proc';

export { KAFKA_HEAP_PROPS, KAFKA_JVM_FLAGS, SHORT_LIVED_KAFKA_JVM_FLAGS } from './kafka-runtime';

const MARKER = 'kafka.Kafka';

export interface KafkaInfo {
  brokers: string[];
  external: boolean;
  startedHere: boolean;
  topics: string[];
  logFile?: string;
  pid?: number;
}

function files(cfg: Config, paths: InfraPaths) {
  const home = path.join(paths.toolsDir, `kafka-${cfg.kafka.version}`);
  return {
    home,
    libs: path.join(home, 'libs'),
    complete: path.join(home, 'libs', '.complete'),
    logFile: path.join(paths.logsDir, 'kafka.log'),
    pidFile: path.join(paths.runDir, 'kafka.pid'),
    serverProps: path.join(paths.kafkaConfigDir, 'server.properties'),
    log4j: path.join(paths.kafkaConfigDir, 'log4j2.properties'),
  };
}

/** Downloads kafka_2.13 and its runtime dependencies into the tools cache (once per version). */
export function installKafka(cfg: Config, paths: InfraPaths): string {
  const f = files(cfg, paths);
  if (fs.existsSync(f.complete)) return f.libs;
  let mvn = which('mvn');
  if (!mvn && canAptInstall()) {
    aptInstall(['maven']);
    mvn = which('mvn');
  }
  if (!mvn)
    throw new Error(
      'fetching Kafka needs Maven (mvn) on PATH: install it (e.g. apt-get install maven), or set KAFKA_BROKERS',
    );
  const staging = `${f.libs}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  process.stderr.write(`infra: fetching org.apache.kafka:kafka_2.13:${cfg.kafka.version} with Maven -> ${f.libs}\n`);
  run(mvn, [
    '-B',
    '-q',
    '-f',
    path.join(repoRoot, 'scripts', 'maven', 'pom.xml'),
    `-Dkafka.version=${cfg.kafka.version}`,
    'dependency:copy-dependencies',
    '-DincludeScope=runtime',
    `-DoutputDirectory=${staging}`,
  ]);
  if (!fs.readdirSync(staging).some((j) => j.startsWith('kafka_2.13-')))
    throw new Error(`Maven finished but ${staging} has no kafka_2.13 jar`);
  fs.writeFileSync(path.join(staging, '.complete'), `${new Date().toISOString()}\n`);
  fs.rmSync(f.libs, { recursive: true, force: true });
  fs.renameSync(staging, f.libs);
  return f.libs;
}

function writeConfig(cfg: Config, paths: InfraPaths, tuning: KafkaTuning): void {
  const k = cfg.kafka;
  const f = files(cfg, paths);
  fs.mkdirSync(paths.kafkaConfigDir, { recursive: true });
  fs.mkdirSync(paths.kafkaDataDir, { recursive: true });
  const props = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@${k.host}:${k.controllerPort}`,
    listeners: `PLAINTEXT://${k.host}:${k.port},CONTROLLER://${k.host}:${k.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${k.host}:${k.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': paths.kafkaDataDir,
    'num.partitions': '1',
    // One node: every internal topic has one replica.
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    // Tests create many short-lived groups; a rebalance delay would add seconds to each.
    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': 'true',
    // Sized for a 2-core machine.
    'num.network.threads': '2',
    'num.io.threads': '4',
    'log.retention.hours': '168',
    ...KAFKA_HEAP_PROPS,
    ...tuning.props,
  };
  fs.writeFileSync(
    f.serverProps,
    Object.entries(props)
      .map(([key, v]) => `${key}=${v}`)
      .join('\n') + '\n',
  );
  // Broker logs go to stdout, which the launcher appends to data/logs/kafka.log.
  fs.writeFileSync(
    f.log4j,
    [
      'status = warn',
      'appender.out.type = Console',
      'appender.out.name = STDOUT',
      'appender.out.layout.type = PatternLayout',
      'appender.out.layout.pattern = [%d] %p %m (%c)%n',
      'rootLogger.level = WARN',
      'rootLogger.appenderRef.out.ref = STDOUT',
      'logger.started.name = kafka.server.KafkaRaftServer',
      'logger.started.level = INFO',
      '',
    ].join('\n'),
  );
}

function javaArgs(cfg: Config, paths: InfraPaths, mainClass: string, args: string[], jvm?: string[]): string[] {
  const f = files(cfg, paths);
  return [
    ...(jvm ?? KAFKA_JVM_FLAGS),
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${f.log4j}`,
    '-cp',
    `${f.libs}${path.sep}*`,
    mainClass,
    ...args,
  ];
}

/**
 * The arguments of `kafka.tools.StorageTool` that format a node's storage under a new random cluster id. The id
 * is given as `--cluster-id=<id>`: a base64url id starts with '-' once in 64 draws, and given as a separate
 * argument the tool's parser takes it for an option and fails ("expected one argument").
 */
export function formatStorageArgs(configFile: string, clusterId = crypto.randomBytes(16).toString('base64url')) {
  return ['format', '--ignore-formatted', `--cluster-id=${clusterId}`, '-c', configFile];
}

/** KRaft needs its storage formatted once with a cluster id; done only when the data folder is new. */
function formatStorage(java: string, cfg: Config, paths: InfraPaths): void {
  if (fs.existsSync(path.join(paths.kafkaDataDir, 'meta.properties'))) return;
  run(java, javaArgs(cfg, paths, 'kafka.tools.StorageTool', formatStorageArgs(files(cfg, paths).serverProps)));
}

function admin(cfg: Config) {
  // Probing a broker that is still starting fails by design: kafkajs's retry logs would only be noise.
  return createKafka(cfg.kafka, {
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 2_000,
  }).admin();
}

/** Waits until the broker answers metadata, then creates the project's topics that are missing. */
async function waitReadyAndCreateTopics(cfg: Config, timeoutMs: number, alive?: () => boolean): Promise<string[]> {
  const k = cfg.kafka;
  const wanted = [
    { topic: k.ticketEventsTopic, numPartitions: k.partitions },
    { topic: k.alertsTopic, numPartitions: 1 },
  ];
  return pollUntil(
    `Kafka at ${k.brokers.join(',')}`,
    async () => {
      const a = admin(cfg);
      await a.connect();
      try {
        const existing = new Set(await a.listTopics());
        const missing = wanted.filter((t) => !existing.has(t.topic));
        if (missing.length > 0) {
          await a.createTopics({ topics: missing.map((t) => ({ ...t, replicationFactor: 1 })), waitForLeaders: true });
        }
        const metadata = await a.fetchTopicMetadata({ topics: wanted.map((t) => t.topic) });
        const ready = metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
        return ready ? metadata.topics.map((t) => `${t.name}(${t.partitions.length})`) : undefined;
      } finally {
        await a.disconnect();
      }
    },
    { timeoutMs, intervalMs: 500, alive },
  );
}

/**
 * Kafka creates its internal topics (consumer offsets, transaction state) on first use, and clients that
 * come first get "coordinator loading" errors meanwhile. Touching both once here keeps that out of tests.
 */
async function warmUpCoordinators(cfg: Config): Promise<void> {
  const kafka = createKafka(cfg.kafka, { logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 200 } });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  const a = kafka.admin();
  await Promise.all([producer.connect(), a.connect()]);
  try {
    await a.describeGroups(['ticketflow-infra-warmup']);
  } finally {
    await Promise.all([producer.disconnect(), a.disconnect()]);
  }
}

export async function ensureKafka(cfg: Config, paths: InfraPaths, tuning: KafkaTuning = {}): Promise<KafkaInfo> {
  const k = cfg.kafka;
  if (k.external) {
    const topics = await waitReadyAndCreateTopics(cfg, 30_000);
    return { brokers: k.brokers, external: true, startedHere: false, topics };
  }
  const f = files(cfg, paths);
  const base = { brokers: k.brokers, external: false, logFile: f.logFile };
  const existing = runningPid(f.pidFile, MARKER);
  if (existing !== undefined) {
    const topics = await waitReadyAndCreateTopics(cfg, 90_000, () => runningPid(f.pidFile, MARKER) !== undefined);
    return { ...base, startedHere: false, topics, pid: existing };
  }
  if (await portOpen(k.host, k.port)) {
    const topics = await waitReadyAndCreateTopics(cfg, 30_000);
    return { ...base, logFile: undefined, startedHere: false, topics };
  }
  const java = requireJava();
  installKafka(cfg, paths);
  writeConfig(cfg, paths, tuning);
  formatStorage(java, cfg, paths);
  const pid = spawnDetached({
    name: 'kafka',
    command: java,
    args: javaArgs(cfg, paths, MARKER, [f.serverProps], tuning.jvm),
    logFile: f.logFile,
    pidFile: f.pidFile,
    cwd: paths.dataDir,
  });
  try {
    const topics = await waitReadyAndCreateTopics(cfg, 120_000, () => runningPid(f.pidFile, MARKER) !== undefined);
    await warmUpCoordinators(cfg);
    return { ...base, startedHere: true, topics, pid };
  } catch (err) {
    await stopProcess(f.pidFile, MARKER);
    throw new Error(`${(err as Error).message}\nKafka log: ${f.logFile}\n${tail(f.logFile)}`);
  }
}

export async function stopKafka(cfg: Config, paths: InfraPaths): Promise<boolean> {
  return stopProcess(files(cfg, paths).pidFile, MARKER, 30_000);
}

export async function kafkaStatus(cfg: Config, paths: InfraPaths): Promise<{ running: boolean; detail: string }> {
  const k = cfg.kafka;
  const pid = k.external ? undefined : runningPid(files(cfg, paths).pidFile, MARKER);
  const a = admin(cfg);
  try {
    await a.connect();
    const topics = await a.listTopics();
    const who = k.external ? 'external' : pid !== undefined ? `pid ${pid}` : 'not started by us';
    const ours = [k.ticketEventsTopic, k.alertsTopic].map((t) => `${t}${topics.includes(t) ? '' : ' (missing)'}`);
    return { running: true, detail: `${k.brokers.join(',')} (${who}), topics: ${ours.join(', ')}` };
  } catch (err) {
    return {
      running: false,
      detail: `${k.brokers.join(',')} not answering${pid !== undefined ? ` (pid ${pid} alive)` : ''}: ${(err as Error).message}`,
    };
  } finally {
    await a.disconnect().catch(() => undefined);
  }
}

export function kafkaLogFile(cfg: Config, paths: InfraPaths): string {
  return files(cfg, paths).logFile;
}
