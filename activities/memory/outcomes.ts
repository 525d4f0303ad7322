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

export const OUTCOMES_SCHEMA = `
CREATE TABLE IF NOT EXISTS ticket_outcomes (
  ticket_id TEXT PRIMARY KEY, topic TEXT NOT NULL, at BIGINT NOT NULL, reopens INTEGER NOT NULL,
  ratings TEXT NOT NULL, review_ms TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ticket_outcomes_at ON ticket_outcomes(at);
`;

/** The upsert, with $1..$6 for PostgreSQL (each used once, in order: `forSqlite` makes them `?`). */
export const UPSERT_OUTCOME = `INSERT INTO ticket_outcomes (ticket_id, topic, at, reopens, ratings, review_ms)
  VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (ticket_id) DO UPDATE SET topic = excluded.topic, at = excluded.at,
  reopens = excluded.reopens, ratings = excluded.ratings, review_ms = excluded.review_ms`;

export const forSqlite = (sql: string) => sql.replace(/\$\d+/g, '?');

export const outcomeParams = (ticketId: string, topic: string, at: number, f: TicketFacts) => [
  ticketId,
  topic,
  at,
  f.reopens,
  JSON.stringify(f.ratings),
  JSON.stringify(f.reviewMs),
];

interface OutcomeRow {
  reopens: number;
  ratings: string;
  review_ms: string;
}

const toFacts = (r: OutcomeRow): TicketFacts => ({
  reopens: Number(r.reopens),
  ratings: JSON.parse(r.ratings) as number[],
  reviewMs: JSON.parse(r.review_ms) as number[],
});

/** A window of finished tickets: [from, to) in epoch ms, one topic or all. */
export interface OutcomeWindow {
  from: number;
  to: number;
  topic?: string;
}

export interface OutcomeReader {
  figures(w: OutcomeWindow): Promise<OutcomeFigures>;
  close(): Promise<void>;
}

const SELECT = 'SELECT reopens, ratings, review_ms FROM ticket_outcomes WHERE at >= $1 AND at < $2';
const BY_TOPIC = `${SELECT} AND topic = $3`;

/** The gateway's reader, on the database the worker's memory writes. */
export function openOutcomeReader(opts: { dataDir: string; databaseUrl?: string }): OutcomeReader {
  const args = (w: OutcomeWindow) => (w.topic ? [w.from, w.to, w.topic] : [w.from, w.to]);
  if (opts.databaseUrl) {
    const store = openPgStore(opts.databaseUrl, OUTCOMES_SCHEMA, (err) => classifyPgError(err, 'memory database'));
    return {
      async figures(w) {
        const { rows } = await store.query<OutcomeRow>(w.topic ? BY_TOPIC : SELECT, args(w));
        return outcomeFigures(rows.map(toFacts));
      },
      close: store.close,
    };
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const db = new Database(path.join(opts.dataDir, 'memory.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(OUTCOMES_SCHEMA);
  const all = db.prepare(forSqlite(SELECT));
  const byTopic = db.prepare(forSqlite(BY_TOPIC));
  return {
    figures: async (w) => outcomeFigures(((w.topic ? byTopic : all).all(...args(w)) as OutcomeRow[]).map(toFacts)),
    close: async () => {
      db.close();
    },
  };
}
