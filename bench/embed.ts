/**
 * npm run bench:embed [-- --runs 200] [--variants]
 * The embedding's cost on this machine: the model loaded once, then one 100-word ticket (and a 20-word one)
 * embedded again and again; prints p50/p90/p99 per call and the whole semantic triage of one ticket.
 * --variants compares the runtime's settings side by side on the 100-word ticket instead (embed-variants.ts),
 * --against <folder> with it puts another model's shipped setting first (a candidate read against MiniLM);
 * --models a.onnx,b.onnx compares model files with the shipped one, cost and agreement (embed-models.ts).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { config } from '../core/config';
import { loadEmbedder } from '../core/embedding';
import { triageFromConfig } from '../activities/triage/configured';
import { compareModels } from './embed-models';
import { compareVariants } from './embed-variants';

const HUNDRED_WORDS =
  'Hello support team, since yesterday afternoon our self-hosted runners stopped picking up jobs from the queue. ' +
  'We updated the runner to the latest version on Monday and everything worked until then. The machines are online, ' +
  'the service is running and the logs show the runner listening for jobs, yet every workflow in our organization ' +
  'stays queued for hours. We tried re-registering one runner with a new token and restarting the hosts without luck. ' +
  'Our releases are blocked and the team cannot merge anything. Could you check whether something changed on your ' +
  'side? Thank you very much for your help.';
const TWENTY_WORDS =
  'I was charged twice for my Pro plan this month, could you please refund the duplicate charge on my card?';

function percentiles(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(2);
  return `p50 ${at(0.5)} ms  p90 ${at(0.9)} ms  p99 ${at(0.99)} ms  (n=${s.length})`;
}

/** Wall-clock per call, and the CPU time per call: on a shared, loaded machine the latter is the model's cost. */
async function time(n: number, f: () => Promise<unknown>): Promise<string> {
  for (let i = 0; i < 5; i++) await f(); // warm-up: first runs allocate the session's buffers
  const out: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await f();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const cpu = process.cpuUsage(cpu0);
  return `${percentiles(out)}  cpu ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms/call`;
}

async function main() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '200' },
      variants: { type: 'boolean', default: false },
      models: { type: 'string' },
      against: { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  const cfg = config();
  if (values.models) {
    const files = values.models.split(',');
    const report = await compareModels(cfg.triage.embeddingDir, files, HUNDRED_WORDS, runs, cfg.triage.examples);
    process.stdout.write(`${report}\n`);
    return;
  }
  if (values.variants) {
    process.stdout.write(`${await compareVariants(cfg.triage.embeddingDir, HUNDRED_WORDS, runs, values.against)}\n`);
    return;
  }
  const t0 = Date.now();
  const embedder = await loadEmbedder(cfg.triage.embeddingDir);
  if (!embedder)
    throw new Error(`no embedding model at ${cfg.triage.embeddingDir} (npm run infra -- start installs it)`);
  process.stdout.write(`model load: ${Date.now() - t0} ms (${embedder.id}, one intra-op thread)\n`);
  process.stdout.write(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores\n`,
  );
  process.stdout.write(
    `embed 100 words (${HUNDRED_WORDS.split(/\s+/).length}): ${await time(runs, () => embedder.embed([HUNDRED_WORDS]))}\n`,
  );
  process.stdout.write(`embed 20 words:  ${await time(runs, () => embedder.embed([TWENTY_WORDS]))}\n`);
  // Two intra-op threads: one ticket's latency when it has the machine to itself (CPU per call then rises).
  const two = (await loadEmbedder(cfg.triage.embeddingDir, { threads: 2 }))!;
  process.stdout.write(`embed 100 words, 2 threads: ${await time(runs, () => two.embed([HUNDRED_WORDS]))}\n`);
  const triage = await triageFromConfig({ ...cfg, triage: { ...cfg.triage, model: 'semantic' } });
  const ctx = { ticketId: 'bench', userId: 'bench', orgId: 'bench' };
  process.stdout.write(`semantic triage, 100 words: ${await time(runs, () => triage.triage(ctx, HUNDRED_WORDS))}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:embed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
