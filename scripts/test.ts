/**
 * `npm test [-- filter...]`: typecheck and lint (full runs) while bringing up what the tests need (reusing
 * servers that already run), build the UI, run every test/**\/*.test.ts file (or those whose path contains a
 * filter) with Node's test runner in two lanes, one file at a time each (scripts/test-lanes.ts), stop what this
 * run started, then (full runs) the short chaos run on servers of its own, and close with a line CI can read:
 * `N passed, N failed`.
 *
 * Flags: --static / --no-static force the typecheck+lint step on or off (default: on unless filtered);
 * --chaos / --no-chaos the same for the chaos run (counted as one test).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { config } from '../core/config';
import { ensureChromium } from './infra/chromium';
import { ensureComposeClient } from './infra/compose-client';
import { ensureNginx } from './infra/nginx';
import { infraEnv, logFiles, startInfra, stopStarted, type InfraState } from './infra';
import { repoRoot } from './infra/paths';
import { buildUiIfPresent } from './infra/ui-build';
import { runLanes, splitLanes } from './test-lanes';
import { UNIT_TIER, UNREACHABLE_SERVERS, findTestFiles, runChaosTier, unitTestFiles } from './test-tiers';

/** Whether full runs fail on type or lint errors. One switch, so it is easy to relax. */
const STATIC_CHECKS_ON_FULL_RUN = true;

function log(line: string): void {
  process.stderr.write(`test: ${line}\n`);
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

/**
 * tsc, eslint and prettier at once, while the servers start: on a fresh machine the infra's downloads and the
 * servers' start wait on the network and disk, not the cores, and the checks used to run before them (~50 s
 * each on CI). Resolves whether all three passed.
 */
async function staticChecks(): Promise<boolean> {
  const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);
  const check = (name: string, args: string[]) =>
    new Promise<boolean>((resolve) => {
      const started = Date.now();
      const child = spawn(bin(name), args, { cwd: repoRoot, stdio: 'inherit' });
      child.on('error', (err) => {
        log(`${name} could not start: ${err.message}`);
        resolve(false);
      });
      child.on('close', (code) => {
        log(`${name} ${code === 0 ? 'clean' : 'failed'} (${seconds(started)})`);
        resolve(code === 0);
      });
    });
  const results = await Promise.all([
    check('tsc', ['--noEmit', '-p', '.']),
    check('eslint', ['.']),
    check('prettier', ['--check', '--log-level', 'warn', '.']),
  ]);
  return results.every(Boolean);
}

async function main(argv: string[]): Promise<number> {
  const started = Date.now();
  const unit = argv.includes(UNIT_TIER);
  const filters = argv.filter((a) => !a.startsWith('--') && a !== UNIT_TIER);
  const fullRun = filters.length === 0 && !unit;
  const wantStatic =
    argv.includes('--static') || (!argv.includes('--no-static') && filters.length === 0 && STATIC_CHECKS_ON_FULL_RUN);
  const wantChaos = argv.includes('--chaos') || (!argv.includes('--no-chaos') && fullRun);
  const found = findTestFiles(path.join(repoRoot, 'test'), filters);
  const files = unit ? unitTestFiles(found, repoRoot) : found;
  if (files.length === 0) {
    log(`no test files match ${filters.join(' ')}`);
    process.stdout.write('0 passed, 0 failed\n');
    return 1;
  }
  // Awaited once the servers are up (below); a failure still fails the run before any test.
  const checks = wantStatic ? staticChecks() : Promise.resolve(true);

  const cfg = config();
  let state: InfraState = {};
  const cleanup = async () => {
    const started = state;
    state = {};
    await stopStarted(cfg, started);
  };
  let interrupted = false;
  const onSignal = () => {
    // Ctrl-C arrives twice (terminal and npm/tsx relaying it): clean up once, and never die halfway.
    if (interrupted) return;
    interrupted = true;
    void cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);

  try {
    const infraStarted = Date.now();
    // The unit tier starts no server; the model files are local and the triage tests need them.
    state = await startInfra(
      cfg,
      unit
        ? { temporal: false, kafka: false, embeddingModel: true }
        : { temporal: true, kafka: true, timeSkippingServer: true, embeddingModel: true },
    );
    if (unit) log(`unit tier: ${files.length} file(s), no server (${seconds(infraStarted)})`);
    else {
      try {
        state.chromiumPath = ensureChromium(cfg.chromiumPath);
      } catch (err) {
        // Only the browser tests need it; they fail with this reason, the rest still run.
        log(`warning: ${(err as Error).message}`);
      }
      try {
        // For validating temporal-docker-compose.yml; its test skips, saying why, when there is none.
        if (!ensureComposeClient())
          log('warning: no Docker Compose client (docker compose / docker-compose); the compose test will skip');
      } catch (err) {
        log(`warning: could not install docker-compose: ${(err as Error).message}`);
      }
      try {
        // For running the compose file's load balancer (test/gateway/balancer.test.ts).
        ensureNginx();
      } catch (err) {
        log(`warning: ${(err as Error).message}; the load-balancer test will fail saying so`);
      }
      const what = (s?: { startedHere: boolean; external: boolean }) =>
        s?.external ? 'external' : s?.startedHere ? 'started' : 'reused';
      log(
        `Temporal ${what(state.temporal)} at ${state.temporal?.address}, Kafka ${what(state.kafka)} at ${state.kafka?.brokers.join(',')} (${seconds(infraStarted)})`,
      );
    }

    if (!(await checks)) {
      process.stdout.write('0 passed, 1 failed\n');
      return 1;
    }

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...infraEnv(cfg, state),
      ...(unit ? UNREACHABLE_SERVERS : {}),
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    };
    const uiMs = buildUiIfPresent(env);
    if (uiMs !== undefined) log(`UI built (${(uiMs / 1000).toFixed(1)}s)`);
    log(`running ${files.length} test file(s)`);
    const { code, counts, failures, slowest } = await runLanes(unit ? [files] : splitLanes(files), env, log);
    for (const { file, seconds: s } of slowest) log(`slow file: ${s.toFixed(1).padStart(6)}s ${file}`);
    if (wantChaos) {
      // On its own servers: this run's are stopped first, which leaves the machine to it.
      await cleanup();
      const chaosStarted = Date.now();
      log('chaos tier: npm run chaos -- --short');
      const passed = await runChaosTier();
      log(`chaos tier ${passed ? 'passed' : 'FAILED'} (${seconds(chaosStarted)})`);
      counts[passed ? 'pass' : 'fail']++;
    }
    const failed = counts.fail + counts.cancelled;
    const skipped = counts.skipped + counts.todo;
    if (failures.length > 0) process.stdout.write(`\nfailures:\n${failures.join('\n')}\n\n`);
    log(`finished in ${seconds(started)}`);
    process.stdout.write(`${counts.pass} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
    return code !== 0 || failed > 0 ? 1 : 0;
  } catch (err) {
    log((err as Error).message);
    log(`server logs: ${logFiles(cfg).join(' ')}`);
    process.stdout.write('0 passed, 1 failed\n');
    return 1;
  } finally {
    await cleanup();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`test: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
