/**
 * A throwaway PostgreSQL server for tests, from the machine's own PostgreSQL (Debian's `postgresql`
 * package): initdb into a temp folder, start on a free port on 127.0.0.1, a fresh database per call of
 * `database()`, stopped at the end. As root it runs as the `postgres` user (PostgreSQL refuses root).
 * `null` when no PostgreSQL is installed, so the caller can skip with that reason.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../scripts/chaos/ports';

export interface TestPostgres {
  /** A connection URL to a new, empty database. */
  database(): Promise<string>;
  stop(): Promise<void>;
}

function findBin(name: string): string | null {
  const candidates = [...(process.env.PATH ?? '').split(':').map((d) => path.join(d, name))];
  const lib = '/usr/lib/postgresql';
  if (fs.existsSync(lib))
    for (const v of fs.readdirSync(lib).sort().reverse()) candidates.push(path.join(lib, v, 'bin', name));
  return candidates.find((c) => fs.existsSync(c)) ?? null;
}

export async function startTestPostgres(): Promise<TestPostgres | null> {
  const initdb = findBin('initdb');
  const pgCtl = findBin('pg_ctl');
  if (!initdb || !pgCtl) return null;
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-pg-'));
  const run = (bin: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], { stdio: 'pipe' })
      : execFileSync(bin, args, { stdio: 'pipe' });
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  const data = path.join(dir, 'data');
  run(initdb, ['-D', data, '-A', 'trust', '-U', 'ticketflow', '--no-sync']);
  const port = await freePort();
  run(pgCtl, [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
  const base = `postgres://ticketflow@127.0.0.1:${port}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  let n = 0;
  return {
    async database() {
      const name = `t${process.pid}_${++n}`;
      await admin.query(`CREATE DATABASE ${name}`);
      return `${base}/${name}`;
    },
    async stop() {
      await admin.end().catch(() => undefined);
      try {
        run(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
