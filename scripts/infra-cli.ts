/**
 * `npm run infra -- start|stop|status|env`: the local Temporal dev server and Kafka broker, by hand.
 *   start   install what is missing, start (or reuse) both servers, print their addresses and env
 *   stop    stop the local servers (SIGTERM, then SIGKILL after a grace period)
 *   status  say what answers
 *   env     print `export` lines for tests and tools (eval "$(npm run -s infra -- env)")
 */
import { config } from '../core/config';
import { infraEnv, infraStatus, logFiles, startInfra, stopInfra } from './infra';

function printEnv(env: Record<string, string>): void {
  for (const [key, value] of Object.entries(env)) process.stdout.write(`export ${key}=${shellQuote(value)}\n`);
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

async function main(command: string | undefined): Promise<number> {
  const cfg = config();
  switch (command) {
    case 'start': {
      const started = Date.now();
      const state = await startInfra(cfg, {
        temporal: true,
        kafka: true,
        timeSkippingServer: true,
        embeddingModel: true,
      });
      const t = state.temporal;
      const k = state.kafka;
      const verb = (s: { startedHere: boolean; external: boolean } | undefined) =>
        s?.external ? 'using' : s?.startedHere ? 'started' : 'reused';
      process.stderr.write(
        `Temporal ${verb(t)}: ${t?.address} (namespace ${t?.namespace})${t?.uiUrl ? `, Web UI ${t.uiUrl}` : ''}\n`,
      );
      process.stderr.write(`Kafka ${verb(k)}: ${k?.brokers.join(',')} topics ${k?.topics.join(', ')}\n`);
      if (t?.logFile || k?.logFile)
        process.stderr.write(`logs: ${[t?.logFile, k?.logFile].filter(Boolean).join(' ')}\n`);
      process.stderr.write(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
      printEnv(infraEnv(cfg, state));
      return 0;
    }
    case 'stop': {
      const stopped = await stopInfra(cfg);
      process.stderr.write(`Temporal: ${stopped.temporal ? 'stopped' : 'was not running (from this clone)'}\n`);
      process.stderr.write(`Kafka: ${stopped.kafka ? 'stopped' : 'was not running (from this clone)'}\n`);
      return 0;
    }
    case 'status': {
      const s = await infraStatus(cfg);
      process.stdout.write(`Temporal: ${s.temporal.running ? 'up' : 'down'}  ${s.temporal.detail}\n`);
      process.stdout.write(`Kafka:    ${s.kafka.running ? 'up' : 'down'}  ${s.kafka.detail}\n`);
      process.stdout.write(
        `time-skipping server: ${s.timeSkippingServerBin ?? 'not installed (installed by start / npm test)'}\n`,
      );
      process.stdout.write(`chromium: ${s.chromiumPath ?? 'not found (installed by npm test when root)'}\n`);
      process.stdout.write(`logs: ${s.logs.temporal} ${s.logs.kafka}\n`);
      return s.temporal.running && s.kafka.running ? 0 : 1;
    }
    case 'env':
      printEnv(infraEnv(cfg));
      return 0;
    default:
      process.stderr.write('usage: npm run infra -- start|stop|status|env\n');
      return 64;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`infra: ${err instanceof Error ? err.message : String(err)}\n`);
    process.stderr.write(`logs: ${logFiles(config()).join(' ')}\n`);
    process.exit(1);
  },
);
