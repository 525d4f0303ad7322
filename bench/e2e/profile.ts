/**
 * `npx tsx bench/e2e/profile.ts <out dir> [tickets] [concurrency]`: where the worker's CPU goes on the ticket's
 * path. One stack like `npm run bench:e2e`'s, its worker and gateway under `node --cpu-prof` (one profile per
 * JS thread, written at their drain), tickets to review at the given concurrency; then the CPU of each worker
 * thread by name from /proc (the JS main thread, the workflow thread, the SDK core's threads, V8's helpers)
 * and the history counts per ticket. Read the profiles with `bench/e2e/profile-top.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChaosStack } from '../../scripts/chaos/stack';
import { drive, TicketApi } from '../../scripts/driver';
import { pathCounts } from './history-counts';
import { benchStackEnv, WARM_UP_TICKETS } from './levels';

const TICKS_PER_SEC = 100;

/** CPU ms per thread name of `pid` (threads of the same name summed). */
function threadCpu(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const key = tid === String(pid) ? `${name} (main)` : name;
      out[key] = (out[key] ?? 0) + ((Number(rest[11]) + Number(rest[12])) * 1000) / TICKS_PER_SEC;
    } catch {
      // The thread ended while we looked.
    }
  }
  return out;
}

async function main(outDir: string, count: number, concurrency: number): Promise<void> {
  fs.mkdirSync(outDir, { recursive: true });
  const dataDir = path.join(os.tmpdir(), `ticketflow-profile-${process.pid}`);
  const stack = await ChaosStack.create(dataDir, benchStackEnv([{ concurrency, count }]), undefined, [
    '--cpu-prof',
    `--cpu-prof-dir=${path.resolve(outDir)}`,
  ]);
  // Its servers are detached: a run ended by a signal (a `timeout`, Ctrl-C) must stop them, as main.ts does.
  const stop = () => void stack.stop().finally(() => process.exit(130));
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    await stack.start((line) => process.stderr.write(`profile: ${line}\n`));
    const api = new TicketApi(stack.url, stack.cfg.jwt);
    await drive({ api, concurrency: 1, count: WARM_UP_TICKETS, until: 'review', deadline: Date.now() + 120_000 });
    const pid = stack.pid('worker')!;
    const before = threadCpu(pid);
    const outcomes = await drive({ api, concurrency, count, until: 'review', deadline: Date.now() + 300_000 });
    const after = threadCpu(pid);
    const reached = outcomes.filter((o) => o.reachedEnd).map((o) => o.ticketId!);
    const n = Math.max(1, reached.length);
    const rows = Object.entries(after)
      .map(([name, used]) => [name, (used - (before[name] ?? 0)) / n] as const)
      .filter(([, perTicket]) => perTicket > 0)
      .sort((a, b) => b[1] - a[1]);
    process.stdout.write(`${reached.length} tickets to review at concurrency ${concurrency}\n`);
    process.stdout.write('worker CPU ms per ticket by thread:\n');
    for (const [name, perTicket] of rows) process.stdout.write(`  ${name.padEnd(24)} ${perTicket.toFixed(1)}\n`);
    const { address, namespace } = stack.cfg.temporal;
    process.stdout.write(`history per ticket: ${JSON.stringify(await pathCounts(address, namespace, reached))}\n`);
  } finally {
    await stack.stop();
    fs.rmSync(stack.dataDir, { recursive: true, force: true });
  }
}

const [outDir, count, concurrency] = process.argv.slice(2);
if (!outDir) throw new Error('usage: npx tsx bench/e2e/profile.ts <out dir> [tickets] [concurrency]');
main(outDir, Number(count ?? 60), Number(concurrency ?? 10)).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`profile: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
