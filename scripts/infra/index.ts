/**
 * Brings up what the project runs on (Temporal, Kafka) and what its tests need (the time-skipping server,
 * Chromium), reusing whatever already runs, and says which of it this call started so the caller can stop
 * exactly that.
 */
import path from 'node:path';
import type { Config } from '../../core/config';
import { ensureChromium, findChromium } from './chromium';
import { ensureKafka, kafkaLogFile, kafkaStatus, stopKafka, type KafkaInfo } from './kafka';
import { withLock } from './lock';
import { prepareEmbeddingModel } from './model';
import { infraPaths } from './paths';
import { ensureTemporal, stopTemporal, temporalLogFile, temporalStatus, type TemporalInfo } from './temporal';
import { ensureTimeSkippingServer, findTimeSkippingServer } from './test-server';

export interface InfraWanted {
  temporal?: boolean;
  kafka?: boolean;
  timeSkippingServer?: boolean;
  chromium?: boolean;
  /** The semantic triage's model files (a warning, not a failure, when they cannot be had). */
  embeddingModel?: boolean;
}

export interface InfraState {
  temporal?: TemporalInfo;
  kafka?: KafkaInfo;
  timeSkippingServerBin?: string;
  chromiumPath?: string;
  embeddingModelDir?: string;
}

export async function startInfra(
  cfg: Config,
  wanted: InfraWanted = { temporal: true, kafka: true },
): Promise<InfraState> {
  const paths = infraPaths(cfg);
  return withLock(path.join(paths.runDir, 'infra.lock'), async () => {
    const state: InfraState = {};
    // Tools first (installs are synchronous), then both servers start and warm up side by side.
    if (wanted.timeSkippingServer) state.timeSkippingServerBin = ensureTimeSkippingServer(cfg, paths);
    if (wanted.chromium) state.chromiumPath = ensureChromium(cfg.chromiumPath);
    if (wanted.embeddingModel)
      state.embeddingModelDir = await prepareEmbeddingModel(cfg, (line) => process.stderr.write(`infra: ${line}\n`));
    const [temporal, kafka] = await Promise.allSettled([
      wanted.temporal ? ensureTemporal(cfg, paths) : Promise.resolve(undefined),
      wanted.kafka ? ensureKafka(cfg, paths) : Promise.resolve(undefined),
    ]);
    if (temporal.status === 'fulfilled') state.temporal = temporal.value;
    if (kafka.status === 'fulfilled') state.kafka = kafka.value;
    const failures = [temporal, kafka].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length > 0) {
      // Leave nothing half-up that this call started.
      await stopStarted(cfg, state);
      throw new Error(
        failures.map((f) => (f.reason instanceof Error ? f.reason.message : String(f.reason))).join('\n\n'),
      );
    }
    return state;
  });
}

/** Stops only the servers that `state` says this process started. */
export async function stopStarted(cfg: Config, state: InfraState): Promise<void> {
  const paths = infraPaths(cfg);
  await Promise.all([
    state.kafka?.startedHere ? stopKafka(cfg, paths) : undefined,
    state.temporal?.startedHere ? stopTemporal(paths) : undefined,
  ]);
}

/** Stops the local servers whatever started them (`npm run infra -- stop`). */
export async function stopInfra(cfg: Config): Promise<{ temporal: boolean; kafka: boolean }> {
  const paths = infraPaths(cfg);
  const [kafka, temporal] = await Promise.all([stopKafka(cfg, paths), stopTemporal(paths)]);
  return { temporal, kafka };
}

export async function infraStatus(cfg: Config) {
  const paths = infraPaths(cfg);
  const [temporal, kafka] = await Promise.all([temporalStatus(cfg, paths), kafkaStatus(cfg, paths)]);
  return {
    temporal,
    kafka,
    timeSkippingServerBin: findTimeSkippingServer(cfg, paths),
    chromiumPath: findChromium(cfg.chromiumPath),
    logs: { temporal: temporalLogFile(paths), kafka: kafkaLogFile(cfg, paths) },
  };
}

/** The environment a test run or a child process gets (only the values that are known). */
export function infraEnv(cfg: Config, state: InfraState = {}): Record<string, string> {
  const paths = infraPaths(cfg);
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: state.temporal?.address ?? cfg.temporal.address,
    TEMPORAL_NAMESPACE: cfg.temporal.namespace,
    KAFKA_BROKERS: (state.kafka?.brokers ?? cfg.kafka.brokers).join(','),
  };
  const testServer = state.timeSkippingServerBin ?? findTimeSkippingServer(cfg, paths);
  if (testServer) env.TEMPORAL_TEST_SERVER_BIN = testServer;
  const chromium = state.chromiumPath ?? findChromium(cfg.chromiumPath);
  if (chromium) env.CHROMIUM_PATH = chromium;
  return env;
}

export function logFiles(cfg: Config): string[] {
  const paths = infraPaths(cfg);
  return [temporalLogFile(paths), kafkaLogFile(cfg, paths)];
}
