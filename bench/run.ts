/**
 * `npm run bench`: Producer -> Kafka -> gateway -> N WebSocket clients, for our uWS gateway, a plain `ws`
 * gateway and the raw uWS ceiling, side by side (see harness.ts for the phases, options.ts for the flags).
 * Brings Kafka up through scripts/infra when it is not running (and stops it again only if it started it
 * here); everything stays on 127.0.0.1 and the whole run stops itself at its deadline.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { config } from '../core/config';
import { rootLogger } from '../core/logger';
import { startInfra, stopStarted, type InfraState } from '../scripts/infra';
import { fmtMs, fmtRate, kindLabel, runBench, type BenchResult, type RunResult } from './harness';
import { killChildren } from './ipc';
import { medianBy } from './phase-io';
import { parseArgs } from './options';

function machine(): string {
  const cpu = /model name\s*:\s*(.+)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? '?';
  return `${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
}

export function resultTables(result: BenchResult): string {
  const lines: string[] = [];
  const kb = (b: number) => (b / 1024).toFixed(2);
  lines.push(
    '| server | sockets | tickets | upgrades/s | RSS/socket (KiB) | heap/socket (KiB) | deliveries/s (median) | all bursts | delivered | p50 | p99 | server ELU | CPU s: server / clients / producer / broker |',
  );
  lines.push('|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|');
  for (const r of result.runs) {
    const t = r.throughput;
    const cpu = `${s(t.cpu.serverMs)} / ${s(t.cpu.clientsMs)} / ${s(t.cpu.producerMs)} / ${t.cpu.brokerMs === undefined ? '?' : s(t.cpu.brokerMs)}`;
    lines.push(
      `| ${kindLabel(r.kind)} | ${r.sockets} | ${r.tickets} | ${fmtRate(r.connect.upgradesPerSec)} | ${kb(r.memory.rssPerSocketBytes)} | ${kb(r.memory.heapPerSocketBytes)} | ${fmtRate(t.deliveriesPerSec)} | ${r.throughputSamples.map(fmtRate).join(', ')} | ${t.delivered}/${t.expected} | ${fmtMs(t.p50Ms)} | ${fmtMs(t.p99Ms)} | ${t.serverEventLoopUtilization.toFixed(2)} | ${cpu} |`,
    );
  }
  const fixed = result.runs.filter((r) => r.fixedRate);
  if (fixed.length > 0) {
    const f0 = result.options.fixedRate;
    lines.push('');
    lines.push(
      `Fixed rate: ${f0?.ratePerSec} records/s for ${(f0?.durationMs ?? 0) / 1000} s over ${f0?.sockets} sockets (${result.options.perTicket} per ticket), ${f0?.repeats} times: the median p50 and p99 and every repeat's.`,
    );
    lines.push('');
    lines.push(
      `In the order they ran (each visit after ${(f0?.warmupMs ?? 0) / 1000} s of the same rate, not measured): ${(result.fixedRateSchedule ?? []).filter((x) => !x.endsWith('warm-up')).join(', ')}.`,
    );
    lines.push('');
    lines.push(
      '| server | records | delivered | p50 (median) | p99 (median) | p50 / p99 of each repeat | max | server ELU | CPU s: server / clients / producer / broker |',
    );
    lines.push('|---|---:|---:|---:|---:|---|---:|---:|---|');
    for (const r of fixed) {
      const f = r.fixedRate!;
      const samples = r.fixedRateSamples ?? [];
      const mid = (k: 'p50Ms' | 'p99Ms') =>
        fmtMs(samples.length ? medianBy(samples, (x) => x[k] ?? Infinity)[k] : f[k]);
      const each = samples
        .map((x) => `${fmtMs(x.p50Ms)} / ${fmtMs(x.p99Ms)}${x.visit === 2 ? ' (2nd visit)' : ''}`)
        .join('; ');
      lines.push(
        `| ${kindLabel(r.kind)} | ${f.records} | ${f.delivered}/${f.expected} | ${mid('p50Ms')} | ${mid('p99Ms')} | ${each} | ${fmtMs(f.maxMs)} | ${f.serverEventLoopUtilization.toFixed(2)} | ${s(f.cpu.serverMs)} / ${s(f.cpu.clientsMs)} / ${s(f.cpu.producerMs)} / ${f.cpu.brokerMs === undefined ? '?' : s(f.cpu.brokerMs)} |`,
      );
    }
  }
  lines.push('');
  for (const n of result.options.sizes) {
    const at = (k: RunResult['kind']) =>
      result.runs.find((r) => r.sockets === n && r.kind === k)?.throughput.deliveriesPerSec;
    const [w, raw] = [at('ws'), at('raw')];
    const parts: string[] = [];
    for (const k of result.options.kinds.filter((x) => x.startsWith('uws'))) {
      const u = at(k);
      const name = k === 'uws' ? 'uWS' : k;
      if (u && w) parts.push(`${name} / ws = ${(u / w).toFixed(2)}x`);
      if (u && raw) parts.push(`${name} / raw ceiling = ${((100 * u) / raw).toFixed(0)}%`);
    }
    for (const r of result.runs.filter((x) => x.sockets === n && x.backlog))
      parts.push(
        `${r.kind} backlog ${fmtRate(r.backlog!.deliveriesPerSec)}/s${raw ? ` = ${((100 * r.backlog!.deliveriesPerSec) / raw).toFixed(0)}% of raw` : ''}`,
      );
    if (parts.length) lines.push(`N=${n}: ${parts.join(', ')}`);
  }
  return lines.join('\n');
}

function s(ms: number): string {
  return (ms / 1000).toFixed(2);
}

async function main(): Promise<number> {
  const cli = parseArgs(process.argv.slice(2));
  rootLogger().level = 'warn';
  const deadline = setTimeout(() => {
    process.stderr.write(`bench: deadline of ${cli.deadlineMs / 1000} s passed; stopping\n`);
    killChildren();
    process.exit(3);
  }, cli.deadlineMs);
  deadline.unref();
  const cfg = config();
  const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  log(`machine: ${machine()}`);
  let infra: InfraState = {};
  try {
    infra = await startInfra(cfg, { kafka: true });
    log(`Kafka ${infra.kafka?.startedHere ? 'started' : 'already running'} at ${infra.kafka?.brokers.join(',')}`);
    const result = await runBench({
      ...cli.bench,
      kafka: { ...cfg.kafka, brokers: infra.kafka?.brokers ?? cfg.kafka.brokers },
      log,
    });
    const out = cli.jsonPath ?? path.join(cfg.dataDir, 'bench', `results-${Date.now()}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
      out,
      JSON.stringify(
        { machine: machine(), command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(), ...result },
        null,
        2,
      ),
    );
    process.stdout.write(
      `\n${machine()}\n${result.runs.length} runs in ${result.seconds.toFixed(0)} s; JSON: ${out}\n\n${resultTables(result)}\n`,
    );
    return 0;
  } finally {
    killChildren();
    await stopStarted(cfg, infra);
  }
}

process.on('exit', killChildren);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    killChildren();
    process.exit(130);
  });
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      killChildren();
      process.exit(1);
    },
  );
}
