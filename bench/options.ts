/**
 * `npm run bench [-- --quick] [--sizes 1000,10000] [--clients 2] [--kinds uws,ws,raw,uws+<variant>] [--per-ticket 10] [--frames 100]
 *   [--bursts 3] [--fixed-repeats 3] [--fixed-order mirrored|given] [--backlog] [--json file]`
 * Full run: N = 1,000 and 10,000 sockets, 10 per ticket, all three servers, 3 throughput bursts, the fixed-rate
 * phase 3 times at 10,000 (each visit after a fixed-rate warm-up; the kinds' repeats in mirrored order, see
 * fixed-visits.ts; `--fixed-order given` runs each kind's repeats back to back, as before issue 15's ninth round).
 * --quick: N = 1,000 only, shorter phases (a couple of minutes at most).
 */
import type { Config } from '../core/config';
import type { BenchOptions } from './harness';
import { splitKind, variantEnv, type BenchKind } from './bench-types';
import type { FixedOrder } from './fixed-visits';

export interface CliOptions {
  quick: boolean;
  jsonPath?: string;
  deadlineMs: number;
  bench: Omit<BenchOptions, 'kafka' | 'log'>;
}

export function parseArgs(argv: string[]): CliOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const [name = '', inline] = a.slice(2).split('=', 2);
    if (name === 'quick' || name === 'backlog') flags.set(name, 'true');
    else flags.set(name, inline ?? argv[++i] ?? '');
  }
  const known = new Set([
    'quick',
    'backlog',
    'sizes',
    'clients',
    'kinds',
    'json',
    'per-ticket',
    'frames',
    'bursts',
    'fixed-repeats',
    'fixed-order',
  ]);
  for (const k of flags.keys())
    if (!known.has(k)) throw new Error(`unknown option --${k} (known: ${[...known].join(', ')})`);
  const quick = flags.has('quick');
  const sizes = (flags.get('sizes') ?? (quick ? '1000' : '1000,10000')).split(',').map(positive('--sizes'));
  const kinds = (flags.get('kinds') ?? 'uws,ws,raw').split(',') as BenchKind[];
  for (const k of kinds) {
    if (!['uws', 'ws', 'raw'].includes(splitKind(k).kind))
      throw new Error(`--kinds: ${k} is not one of uws, ws, raw (or one of them +<variant>)`);
    variantEnv(k);
  }
  const biggest = Math.max(...sizes);
  const perTicket = positive('--per-ticket')(flags.get('per-ticket') ?? '10');
  const framesPerSocket = positive('--frames')(flags.get('frames') ?? (quick ? '20' : '100'));
  return {
    quick,
    jsonPath: flags.get('json'),
    deadlineMs: quick ? 4 * 60_000 : 12 * 60_000,
    bench: {
      sizes,
      kinds,
      perTicket,
      clientProcesses: positive('--clients')(flags.get('clients') ?? '2'),
      // A fixed number of frames per socket: long enough to dwarf start-up, short enough for 8 minutes.
      throughputRecords: (n) => Math.max(quick ? 20_000 : 100_000, framesPerSocket * Math.ceil(n / perTicket)),
      warmupRecords: quick ? 1_000 : 2_000,
      // The machine is shared (other processes' load shows in the numbers): the median of three bursts.
      throughputRepeats: positive('--bursts')(flags.get('bursts') ?? (quick ? '1' : '3')),
      burstBatch: 500,
      // The raw path hands the fan-out this many records of one "partition" (a sixth of the tickets) per
      // event-loop turn: about what one partition's fetch gives the Kafka consumer in a burst (1 MiB at
      // ~150-200 bytes a record), so both see the same batching and uWS coalesces a socket's frames alike.
      rawBatch: 5_000,
      // Four sends in flight, each lane owning a quarter of the tickets so a ticket's records stay in order.
      producerLanes: 4,
      // Repeated like the bursts, so one lucky (or unlucky) run is never the quoted latency.
      fixedRate: {
        sockets: biggest,
        ratePerSec: 1_000,
        durationMs: quick ? 4_000 : 10_000,
        repeats: positive('--fixed-repeats')(flags.get('fixed-repeats') ?? (quick ? '1' : '3')),
        // Each visit's repeats follow this much of the same rate, not measured (fixed-visits.ts says why).
        warmupMs: quick ? 1_000 : 5_000,
        order: fixedOrder(flags.get('fixed-order') ?? 'mirrored'),
      },
      stallMs: 5_000,
      backlog: flags.has('backlog'),
    },
  };
}

function fixedOrder(v: string): FixedOrder {
  if (v !== 'mirrored' && v !== 'given') throw new Error(`--fixed-order: "${v}" is not mirrored or given`);
  return v;
}

function positive(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag}: "${v}" is not a positive whole number`);
    return n;
  };
}

export type KafkaConfig = Config['kafka'];
