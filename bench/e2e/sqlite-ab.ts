/**
 * `npx tsx bench/e2e/sqlite-ab.ts [rounds]`: the dev server's SQLite settings, A/B side by side in one run.
 * Two dev servers on free loopback ports, each with a fresh file: A with SQLite's defaults (what the stack
 * ran before), B with `SQLITE_PRAGMAS`. The ceiling's empty workflow (one no-op activity) at concurrency 1,
 * alternating between A and B in rounds, so both meet the same load on a shared machine. Per variant:
 * start -> result p50/p99, server CPU and bytes written to disk per workflow.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { config } from '../../core/config';
import { freePorts } from '../../scripts/chaos/ports';
import { infraPaths } from '../../scripts/infra/paths';
import { temporalBinary } from '../../scripts/infra/temporal';
import { SQLITE_PRAGMAS } from '../../scripts/infra/temporal-settings';
import { processCpuMs } from '../proc-cpu';
import { startCeiling, type Ceiling } from './ceiling';
import { ms, percentile } from './stats';

interface Variant {
  name: string;
  pragmas: readonly string[];
  proc?: ChildProcess;
  address?: string;
  ceiling?: Ceiling;
  latencies: number[];
  cpuMs: number;
  writeBytes: number;
}

const writtenBytes = (pid: number) =>
  Number(/write_bytes: (\d+)/.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);

async function ready(address: string): Promise<void> {
  for (const until = Date.now() + 90_000; Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
    try {
      const c = await Connection.connect({ address, connectTimeout: 1_000 });
      await c.workflowService.describeNamespace({ namespace: 'default' });
      await c.close();
      return;
    } catch {
      // not up yet
    }
  }
  throw new Error(`dev server at ${address} did not answer`);
}

async function main(rounds: number): Promise<void> {
  const bin = await temporalBinary(config(), infraPaths(config()));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-sqlite-ab-'));
  const variants: Variant[] = [
    { name: 'A: SQLite defaults', pragmas: [], latencies: [], cpuMs: 0, writeBytes: 0 },
    { name: `B: ${SQLITE_PRAGMAS.join(', ')}`, pragmas: SQLITE_PRAGMAS, latencies: [], cpuMs: 0, writeBytes: 0 },
  ];
  try {
    for (const [i, v] of variants.entries()) {
      const [port, uiPort] = (await freePorts(2)) as [number, number];
      v.address = `127.0.0.1:${port}`;
      const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort)];
      args.push('--headless', '--log-level', 'warn', '--db-filename', path.join(dir, `${i}.db`));
      args.push('--dynamic-config-value', 'system.enableActivityEagerExecution=true');
      args.push(...v.pragmas.flatMap((p) => ['--sqlite-pragma', p]));
      v.proc = spawn(bin, args, { stdio: 'ignore' });
      await ready(v.address);
      v.ceiling = await startCeiling(v.address, 'default');
      await v.ceiling.run(5, 1); // warm-up
    }
    for (let r = 0; r < rounds; r++) {
      for (const v of r % 2 === 0 ? variants : [...variants].reverse()) {
        const pid = v.proc!.pid!;
        const [cpu, written] = [processCpuMs(pid) ?? 0, writtenBytes(pid)];
        for (let k = 0; k < 10; k++) v.latencies.push((await v.ceiling!.run(1, 1)).p50Ms!);
        v.cpuMs += (processCpuMs(pid) ?? 0) - cpu;
        v.writeBytes += writtenBytes(pid) - written;
      }
    }
    const n = rounds * 10;
    process.stdout.write(
      '| variant | start -> result p50 / p99 | server CPU ms / workflow | KiB written / workflow |\n',
    );
    process.stdout.write('|---|---:|---:|---:|\n');
    for (const v of variants) {
      const [p50, p99] = [percentile(v.latencies, 0.5), percentile(v.latencies, 0.99)];
      const perWf = `${(v.cpuMs / n).toFixed(1)} | ${(v.writeBytes / 1024 / n).toFixed(1)}`;
      process.stdout.write(`| ${v.name} | ${ms(p50)} / ${ms(p99)} | ${perWf} |\n`);
    }
    const load = os.loadavg().map((l) => l.toFixed(2));
    process.stdout.write(`\n${n} workflows each, concurrency 1, load average ${load.join(' / ')} at the end\n`);
  } finally {
    for (const v of variants) {
      await v.ceiling?.close();
      const proc = v.proc;
      if (proc && proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main(Number(process.argv[2] ?? 6)).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`sqlite-ab: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
