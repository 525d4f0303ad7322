/** The benchmark's options and results: what run.ts passes in and what the report and JSON file get. */
import type { Config } from '../core/config';
import type { PhaseResult } from './phase-io';
import type { FixedOrder } from './fixed-visits';
import type { MemoryReading, ServerKind } from './server-child';

export const serverKinds: readonly ServerKind[] = ['uws', 'ws', 'raw'];

export const kindLabels: Record<ServerKind, string> = {
  uws: 'uWS gateway (Kafka)',
  ws: 'ws gateway (Kafka)',
  raw: 'uWS raw publish (no Kafka)',
};

/**
 * A server kind, or `<kind>+<name>`: the same server with the settings in `BENCH_VARIANT_<name>` added to its
 * environment (`KAFKA_FETCH_MIN_BYTES=4096 KAFKA_FETCH_MAX_WAIT=5ms`), so a setting is measured against the
 * server without it in one run, on one machine load.
 */
export type BenchKind = ServerKind | `${ServerKind}+${string}`;

export function splitKind(k: BenchKind): { kind: ServerKind; variant?: string } {
  const [kind, variant] = k.split('+', 2) as [ServerKind, string | undefined];
  return { kind, variant };
}

export function kindLabel(k: BenchKind): string {
  const { kind, variant } = splitKind(k);
  return variant === undefined ? kindLabels[kind] : `${kindLabels[kind]} [${variant}]`;
}

/** The variant's settings as environment variables (`NAME=value` pairs separated by spaces). */
export function variantEnv(k: BenchKind, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const { variant } = splitKind(k);
  if (variant === undefined) return {};
  const spec = env[`BENCH_VARIANT_${variant}`];
  if (spec === undefined) throw new Error(`--kinds ${k}: set BENCH_VARIANT_${variant} to its settings`);
  const out: Record<string, string> = {};
  for (const pair of spec.split(' ').filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`BENCH_VARIANT_${variant}: "${pair}" is not NAME=value`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

export interface BenchOptions {
  kafka: Config['kafka'];
  sizes: number[];
  kinds: readonly BenchKind[];
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
  /** Also a backlog phase on the Kafka kinds: the burst produced while the server is stopped (backlog.ts). */
  backlog?: boolean;
  /**
   * The latency phase at one socket count, `repeats` times (the median is quoted, the spread shown), each visit's
   * repeats after `warmupMs` at the same rate (not measured); `order` says how the kinds' repeats are placed in
   * the run (fixed-visits.ts; default mirrored).
   */
  fixedRate?: {
    sockets: number;
    ratePerSec: number;
    durationMs: number;
    repeats: number;
    warmupMs: number;
    order?: FixedOrder;
  };
  /** How long a phase may go without a new delivery before it is called finished (and the rest lost). */
  stallMs: number;
  log: (line: string) => void;
}

export interface RunResult {
  kind: BenchKind;
  sockets: number;
  tickets: number;
  connect: { opened: number; refused: Record<string, number>; seconds: number; upgradesPerSec: number };
  memory: { before: MemoryReading; after: MemoryReading; rssPerSocketBytes: number; heapPerSocketBytes: number };
  /** The median of the throughput bursts. */
  throughput: PhaseResult;
  /** deliveries/s of every burst, in run order. */
  throughputSamples: number[];
  /** The backlog phase (`--backlog`, Kafka kinds): deliveries/s draining a burst produced while stopped. */
  backlog?: PhaseResult;
  /** The fixed-rate phase with the median p99 of its repeats. */
  fixedRate?: PhaseResult;
  /** Every fixed-rate repeat's latencies, in run order, with the visit it ran in (fixed-visits.ts). */
  fixedRateSamples?: { p50Ms?: number; p99Ms?: number; maxMs: number; visit?: 1 | 2 }[];
  /** Every fixed-rate repeat's whole phase, in run order. */
  fixedRatePhases?: PhaseResult[];
}

export interface BenchResult {
  startedAt: string;
  topic: string;
  options: Omit<BenchOptions, 'log' | 'throughputRecords' | 'kafka'> & { throughputRecords: Record<number, number> };
  runs: RunResult[];
  /** The fixed-rate phases in the order they ran: `<kind> warm-up`, `<kind> #<repeat>`. */
  fixedRateSchedule?: string[];
  seconds: number;
}
