/**
 * `npx tsx bench/e2e/ab.ts <baseline checkout> [rounds] [tickets a round] [concurrency] [NAME=value | A:x=y |
 * B:x=y...]`: the ticket's path in two versions of the code or of the servers' settings, side by side in one run. Two
 * stacks like `npm run bench:e2e`'s (own dev server and broker each): A runs the worker and gateway of the baseline
 * checkout (a worktree of main, say, with its workflow bundle built), B this checkout's. The same driver sends rounds
 * of tickets to review, alternating A and B (ABBA...), so both meet the same load on a shared machine. Per variant:
 * CPU ms per ticket by process, tickets/s, POST -> review p50, the history events per ticket by type, and each
 * process's idle CPU (both stacks warmed up, nothing sent, before the rounds). Settings (bench/e2e/ab-settings.ts):
 * `NAME=value` goes to both stacks' apps; `A:`/`B:` server settings go to one side's embedded servers, so with `.` as
 * the baseline (this checkout on both sides) the run compares server settings alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChaosStack } from '../../scripts/chaos/stack';
import { drive, TicketApi } from '../../scripts/driver';
import { parseAbSettings, type SideSettings } from './ab-settings';
import { pathCounts, type PathCounts } from './history-counts';
import { benchStackEnv, WARM_UP_TICKETS } from './levels';
import { CpuMeter, ms, percentile } from './stats';

interface Variant {
  name: string;
  stack: ChaosStack;
  api?: TicketApi;
  cpuMs: Record<string, number>;
  wallMs: number;
  reached: string[];
  reviewMs: number[];
  counts?: PathCounts;
  /** Streams that asked for their own snapshot / joined one in flight (gateways that count them). */
  snapshots?: Record<string, number>;
  /** The gateway's calls to Temporal by method (gateways that count them). */
  temporalCalls?: Record<string, number>;
  /** CPU ms a second by process, warmed up and idle. */
  idle?: Record<string, number>;
}

/** Long enough that the servers' periodic work (heartbeats, metadata no-ops, GC) shows in the idle CPU. */
const IDLE_MS = 20_000;

const meterFor = (v: Variant) =>
  new CpuMeter(() => ({
    temporal: v.stack.pid('temporal'),
    kafka: v.stack.pid('kafka'),
    worker: v.stack.pid('worker'),
    gateway: v.stack.pid('gateway'),
  }));

/** Every variant's idle CPU at once: each stack sees the other's idle, as it sees its rounds' load. */
async function measureIdle(variants: Variant[]): Promise<void> {
  const meters = variants.map(meterFor);
  for (const m of meters) m.start();
  await new Promise((r) => setTimeout(r, IDLE_MS));
  for (const [i, m] of meters.entries()) {
    const used = m.stop();
    delete used.load;
    variants[i]!.idle = Object.fromEntries(Object.entries(used).map(([k, n]) => [k, (n * 1000) / IDLE_MS]));
  }
}

/** A gateway counter's values by one label, from its /metrics (empty for a gateway without it). */
async function gatewayCounts(url: string, metric: string, label: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Record<string, number> = {};
  const line = new RegExp(`^${metric}\\{[^}]*${label}="(\\w+)"[^}]*\\} (\\d+)`, 'gm');
  for (const m of text.matchAll(line)) out[m[1]!] = (out[m[1]!] ?? 0) + Number(m[2]);
  return out;
}

const log = (line: string) => process.stderr.write(`ab ${new Date().toISOString().slice(11, 19)} ${line}\n`);

async function round(v: Variant, count: number, concurrency: number, first: number): Promise<void> {
  const meter = meterFor(v);
  meter.start();
  const t0 = performance.now();
  const outcomes = await drive({
    api: v.api!,
    concurrency,
    count,
    until: 'review',
    deadline: Date.now() + 300_000,
    firstNumber: first,
  });
  v.wallMs += performance.now() - t0;
  const used = meter.stop();
  for (const [name, n] of Object.entries(used)) v.cpuMs[name] = (v.cpuMs[name] ?? 0) + n;
  // Per round too: paired rounds (A and B back to back) show the noise that one total hides.
  const reached = Math.max(1, outcomes.filter((x) => x.reachedEnd).length);
  const perSec = ((reached * 1000) / (performance.now() - t0)).toFixed(2);
  log(
    `cpu ${v.name.slice(0, 1)} ${perSec}/s ${Object.entries(used)
      .map(([k, n]) => `${k}=${(n / reached).toFixed(1)}`)
      .join(' ')}`,
  );
  for (const o of outcomes.filter((x) => x.reachedEnd)) {
    v.reached.push(o.ticketId!);
    if (o.reviewMs !== undefined) v.reviewMs.push(o.reviewMs);
  }
}

function report(variants: Variant[]): string {
  const row = (label: string, f: (v: Variant) => string) => `| ${label} | ${variants.map(f).join(' | ')} |`;
  const per = (v: Variant, name: string) => ((v.cpuMs[name] ?? 0) / Math.max(1, v.reached.length)).toFixed(1);
  const procs = ['temporal', 'worker', 'gateway', 'kafka', 'load'];
  const types = [...new Set(variants.flatMap((v) => Object.keys(v.counts?.eventTypes ?? {})))].sort();
  // Counted since the gateway started: the warm-up's tickets too.
  const perTicketOf = (v: Variant) => Math.max(1, v.reached.length + WARM_UP_TICKETS);
  const methods = [...new Set(variants.flatMap((v) => Object.keys(v.temporalCalls ?? {})))].sort();
  const stackMs = (v: Variant) => procs.filter((p) => p !== 'load').reduce((n, p) => n + Number(per(v, p)), 0);
  return [
    `| | ${variants.map((v) => v.name).join(' | ')} |`,
    `|---|${variants.map(() => '---:').join('|')}|`,
    row('tickets to review', (v) => String(v.reached.length)),
    row('tickets/s to review', (v) => ((v.reached.length * 1000) / v.wallMs).toFixed(2)),
    row('POST -> review requested p50', (v) => ms(percentile(v.reviewMs, 0.5))),
    ...procs.map((p) => row(`CPU ms per ticket: ${p}`, (v) => per(v, p))),
    row('CPU ms per ticket: stack (all but load)', (v) => stackMs(v).toFixed(1)),
    ...procs.filter((p) => p !== 'load').map((p) => row(`idle CPU ms/s: ${p}`, (v) => (v.idle?.[p] ?? 0).toFixed(1))),
    row('stream snapshots per ticket: queried / joined a query', (v) => {
      const n = perTicketOf(v);
      const [asked, joined] = [v.snapshots?.asked ?? 0, v.snapshots?.joined ?? 0];
      if (asked + joined === 0) return 'n/a (not counted)';
      return `${(asked / n).toFixed(2)} / ${(joined / n).toFixed(2)}`;
    }),
    ...methods.map((m) =>
      row(`gateway -> Temporal per ticket: ${m}`, (v) =>
        v.temporalCalls?.[m] === undefined ? 'n/a (not counted)' : (v.temporalCalls[m] / perTicketOf(v)).toFixed(2),
      ),
    ),
    row('workflow tasks / activities / local (median)', (v) => {
      const c = v.counts;
      return `${c?.workflowTasks ?? 'n/a'} / ${c?.activities ?? 'n/a'} / ${c?.localActivities ?? 'n/a'}`;
    }),
    ...types.map((t) => row(`events: ${t}`, (v) => (v.counts?.eventTypes[t] ?? 0).toFixed(1))),
  ].join('\n');
}

async function main(
  baseline: string,
  rounds: number,
  count: number,
  concurrency: number,
  settings: NodeJS.ProcessEnv,
  [a, b]: [SideSettings, SideSettings],
): Promise<void> {
  if (!fs.existsSync(path.join(baseline, 'worker.ts'))) throw new Error(`no checkout at ${baseline}`);
  const env = { ...benchStackEnv([{ concurrency, count: rounds * count }]), ...settings };
  const dir = (tag: string) => path.join(os.tmpdir(), `ticketflow-ab-${process.pid}-${tag}`);
  const named = (label: string, side: SideSettings) => [label, ...side.given].join(' ');
  const root = path.resolve(baseline);
  const variants: Variant[] = [
    {
      name: named(`A: ${path.basename(root)}`, a),
      stack: await ChaosStack.create(dir('a'), env, root, [], a.tuning),
    },
    { name: named('B: this checkout', b), stack: await ChaosStack.create(dir('b'), env, undefined, [], b.tuning) },
  ].map((v) => ({ ...v, cpuMs: {}, wallMs: 0, reached: [], reviewMs: [] }));
  const stop = () => void Promise.all(variants.map((v) => v.stack.stop())).finally(() => process.exit(130));
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    for (const v of variants) {
      await v.stack.start((line) => log(`${v.name}: ${line}`));
      v.api = new TicketApi(v.stack.url, v.stack.cfg.jwt);
      await drive({
        api: v.api,
        concurrency: 1,
        count: WARM_UP_TICKETS,
        until: 'review',
        deadline: Date.now() + 120_000,
      });
    }
    await measureIdle(variants);
    for (let r = 0; r < rounds; r++) {
      // ABBA: neither variant always goes first into a machine that the other just warmed or loaded.
      for (const v of r % 2 === 0 ? variants : [...variants].reverse()) {
        log(`round ${r + 1}/${rounds}, ${v.name}: ${count} tickets at concurrency ${concurrency}`);
        await round(v, count, concurrency, 1_000 * (r + 1));
      }
    }
    for (const v of variants) {
      const { address, namespace } = v.stack.cfg.temporal;
      v.counts = await pathCounts(address, namespace, v.reached);
      v.snapshots = await gatewayCounts(v.stack.url, 'ticketflow_gateway_stream_snapshots_total', 'how');
      v.temporalCalls = await gatewayCounts(v.stack.url, 'ticketflow_gateway_temporal_calls_total', 'method');
    }
    const load = os.loadavg().map((l) => l.toFixed(2));
    process.stdout.write(`${report(variants)}\n\n${rounds} rounds of ${count} tickets at concurrency ${concurrency}, `);
    process.stdout.write(`load average ${load.join(' / ')} at the end\n`);
  } finally {
    await Promise.all(variants.map((v) => v.stack.stop()));
    for (const v of variants) fs.rmSync(v.stack.dataDir, { recursive: true, force: true });
  }
}

const [baseline, rounds, count, concurrency, ...pairs] = process.argv.slice(2);
if (!baseline)
  throw new Error(
    'usage: npx tsx bench/e2e/ab.ts <baseline checkout> [rounds] [tickets] [concurrency] [NAME=value | A:x=y | B:x=y ...]',
  );
const { env, sides } = parseAbSettings(pairs);
main(baseline, Number(rounds ?? 4), Number(count ?? 20), Number(concurrency ?? 10), env, sides).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`ab: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
