/**
 * The desk's outcome figures in the memory database: one row per finished ticket (its reopens, ratings and
 * review times, written by the memory step beside the incident), read back by the gateway for
 * GET /v1/analytics. SQLite in the data directory by default, PostgreSQL by MEMORY_DATABASE_URL: the same
 * table on both, and the arithmetic once (core/outcome-figures.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { outcomeFigures, type OutcomeFigures, type TicketFacts } from '../../core/outcome-figures';
import { classifyPgError } from '../../core/pg-errors';
import { openPgStore } from '../../core/pg-store';
import { QUEUE_SAMPLES_SCHEMA, pgQueueSamples, sqliteQueueSamples, type QueueSamples } from './queue-samples';

const CREATE = `
CREATE TABLE IF NOT EXISTS ticket_outcomes (
  ticket_id TEXT PRIMARY KEY, topic TEXT NOT NULL, at BIGINT NOT NULL, reopens INTEGER NOT NULL,
  ratings TEXT NOT NULL, review_ms TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ticket_outcomes_at ON ticket_outcomes(at);
`;

/** Added after the table first shipped: NULL on rows recorded before (core/outcome-figures.ts skips those). */
const ADDED = ['automated INTEGER', 'confirmed INTEGER', 'sla_breaches INTEGER', 'sops TEXT'] as const;

/** PostgreSQL's schema: it can add a column only when missing. */
export const OUTCOMES_SCHEMA =
  CREATE + ADDED.map((c) => `ALTER TABLE ticket_outcomes ADD COLUMN IF NOT EXISTS ${c};`).join('\n');

/** SQLite has no ADD COLUMN IF NOT EXISTS: the columns the table lacks are added one by one. */
export function migrateSqliteOutcomes(db: Database.Database): void {
  db.exec(CREATE);
  const has = new Set(
    (db.prepare('PRAGMA table_info(ticket_outcomes)').all() as { name: string }[]).map((c) => c.name),
  );
  for (const c of ADDED) if (!has.has(c.split(' ')[0]!)) db.exec(`ALTER TABLE ticket_outcomes ADD COLUMN ${c}`);
}

/** The upsert, with $1..$9 for PostgreSQL (each used once, in order: `forSqlite` makes them `?`). */
export const UPSERT_OUTCOME = `INSERT INTO ticket_outcomes (ticket_id, topic, at, reopens, ratings, review_ms, automated,
  confirmed, sla_breaches, sops) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (ticket_id) DO UPDATE SET
  topic = excluded.topic, at = excluded.at, reopens = excluded.reopens, ratings = excluded.ratings,
  review_ms = excluded.review_ms, automated = excluded.automated, confirmed = excluded.confirmed,
  sla_breaches = excluded.sla_breaches, sops = excluded.sops`;

export const forSqlite = (sql: string) => sql.replace(/\$\d+/g, '?');

export const outcomeParams = (ticketId: string, topic: string, at: number, f: TicketFacts) => [
  ticketId,
  topic,
  at,
  f.reopens,
  JSON.stringify(f.ratings),
  JSON.stringify(f.reviewMs),
  flag(f.automated),
  flag(f.confirmed),
  f.slaBreaches ?? null,
  f.sops ? JSON.stringify(f.sops) : null,
];

const flag = (b: boolean | undefined) => (b === undefined ? null : b ? 1 : 0);

interface OutcomeRow {
  reopens: number;
  ratings: string;
  review_ms: string;
  automated: number | null;
  confirmed: number | null;
  sla_breaches: number | null;
}

const toFacts = (r: OutcomeRow): TicketFacts => ({
  reopens: Number(r.reopens),
  ratings: JSON.parse(r.ratings) as number[],
  reviewMs: JSON.parse(r.review_ms) as number[],
  ...(r.automated === null ? {} : { automated: Number(r.automated) === 1 }),
  ...(r.confirmed === null ? {} : { confirmed: Number(r.confirmed) === 1 }),
  ...(r.sla_breaches === null ? {} : { slaBreaches: Number(r.sla_breaches) }),
});

/** A window of finished tickets: [from, to) in epoch ms, one topic or all. */
export interface OutcomeWindow {
  from: number;
  to: number;
  topic?: string;
}

/** The gateway's side of the memory database: the outcomes it reads, and the queue samples it writes and reads. */
export interface OutcomeReader extends QueueSamples {
  figures(w: OutcomeWindow): Promise<OutcomeFigures>;
  /** Per SOP id as tickets were given it (a provided one's with "@version"): the newest finished tickets. */
  sopUsage(): Promise<SopUsage>;
  close(): Promise<void>;
}

const SELECT = `SELECT reopens, ratings, review_ms, automated, confirmed, sla_breaches FROM ticket_outcomes
  WHERE at >= $1 AND at < $2`;
const BY_TOPIC = `${SELECT} AND topic = $3`;

export type SopUsage = Record<string, string[]>;

/** The newest tickets are enough to see which used a version: a page lists a few per version, not all. */
const USAGE_ROWS = 2000;
export const USAGE_PER_SOP = 20;
const USAGE = `SELECT ticket_id, sops FROM ticket_outcomes WHERE sops IS NOT NULL ORDER BY at DESC LIMIT ${USAGE_ROWS}`;

function toUsage(rows: { ticket_id: string; sops: string }[]): SopUsage {
  const usage: SopUsage = {};
  for (const r of rows)
    for (const id of JSON.parse(r.sops) as string[]) {
      const tickets = (usage[id] ??= []);
      if (tickets.length < USAGE_PER_SOP) tickets.push(r.ticket_id);
    }
  return usage;
}

/** The gateway's reader, on the database the worker's memory writes. */
export function openOutcomeReader(opts: { dataDir: string; databaseUrl?: string }): OutcomeReader {
  const args = (w: OutcomeWindow) => (w.topic ? [w.from, w.to, w.topic] : [w.from, w.to]);
  if (opts.databaseUrl) {
    const store = openPgStore(opts.databaseUrl, OUTCOMES_SCHEMA + QUEUE_SAMPLES_SCHEMA, (err) =>
      classifyPgError(err, 'memory database'),
    );
    return {
      ...pgQueueSamples(store),
      async figures(w) {
        const { rows } = await store.query<OutcomeRow>(w.topic ? BY_TOPIC : SELECT, args(w));
        return outcomeFigures(rows.map(toFacts));
      },
      sopUsage: async () => toUsage((await store.query<{ ticket_id: string; sops: string }>(USAGE)).rows),
      close: store.close,
    };
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const db = new Database(path.join(opts.dataDir, 'memory.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  migrateSqliteOutcomes(db);
  const all = db.prepare(forSqlite(SELECT));
  const byTopic = db.prepare(forSqlite(BY_TOPIC));
  const usage = db.prepare(USAGE);
  return {
    ...sqliteQueueSamples(db),
    sopUsage: async () => Promise.resolve(toUsage(usage.all() as { ticket_id: string; sops: string }[])),
    figures: async (w) => outcomeFigures(((w.topic ? byTopic : all).all(...args(w)) as OutcomeRow[]).map(toFacts)),
    close: async () => {
      db.close();
    },
  };
}
