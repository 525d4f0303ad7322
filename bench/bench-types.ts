/** The benchmark's options and results: what run.ts passes in and what the report and JSON file get. */
import type { Config } from '../core/config';
import type { PhaseResult } from './phase-io';
import type { MemoryReading, ServerKind } from './server-child';

export const serverKinds: readonly ServerKind[] = ['uws', 'ws', 'raw'];

export const kindLabels: Record<ServerKind, string> = {
  uws: 'uWS gateway (Kafka)',
  ws: 'ws gateway (Kafka)',
  raw: 'uWS raw publish (no Kafka)',
};

export interface BenchOptions {
  kafka: Config['kafka'];
  sizes: number[];
  kinds: readonly ServerKind[];
  perTicket: number;
  clientProcesses: number;
  /** Records in the throughput burst at socket count n. */
  throughputRecords: (sockets: number) => number;
  warmupRecords: number;
  /** Throughput bursts per run; the median (by deliveries/s) is reported, all are kept. */
  throughputRepeats: number;
  burstBatch: number;
  /** Kafka producer lanes (sends in flight; each lane owns a share of the tickets, see pace.ts). */
  producerLanes: number;
  /** Records per event-loop turn on the raw (no-Kafka) path in the burst phase. */
  rawBatch: number;
  /** The latency phase at one socket count, `repeats` times (the median is quoted, the spread shown). */
  fixedRate?: { sockets: number; ratePerSec: number; durationMs: number; repeats: number };
  /** How long a phase may go without a new delivery before it is called finished (and the rest lost). */
  stallMs: number;
  log: (line: string) => void;
}

export interface RunResult {
  kind: ServerKind;
  sockets: number;
  tickets: number;
  connect: { opened: number; refused: Record<string, number>; seconds: number; upgradesPerSec: number };
  memory: { before: MemoryReading; after: MemoryReading; rssPerSocketBytes: number; heapPerSocketBytes: number };
  /** The median of the throughput bursts. */
  throughput: PhaseResult;
  /** deliveries/s of every burst, in run order. */
  throughputSamples: number[];
  /** The fixed-rate phase with the median p99 of its repeats. */
  fixedRate?: PhaseResult;
  /** Every fixed-rate repeat's latencies, in run order. */
  fixedRateSamples?: { p50Ms?: number; p99Ms?: number; maxMs: number }[];
}

export interface BenchResult {
  startedAt: string;
  topic: string;
  options: Omit<BenchOptions, 'log' | 'throughputRecords' | 'kafka'> & { throughputRecords: Record<number, number> };
  runs: RunResult[];
  seconds: number;
}
