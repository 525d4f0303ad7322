/**
 * Long-term memory on SQLite: each user's incidents (so the next reply can say "we helped you with a 2FA
 * lockout last month") and per-org analytics. When enough distinct users of one org hit the same category
 * inside the window, consolidate returns an alert for the enterprise queue, once per org, category and window.
 * SQLite (embedded) by default; PostgreSQL when MEMORY_DATABASE_URL is set (postgres.ts), same semantics.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { redact } from '../../core/pii';
import type { Memory, MemoryRecord, OrgPatternAlert, TicketContext } from '../ports';
import { UPSERT_OUTCOME, forSqlite, migrateSqliteOutcomes, outcomeParams } from './outcomes';
import { createPostgresMemory } from './postgres';

export interface MemoryOptions {
  dataDir: string;
  databaseUrl?: string;
  orgAlertDistinctUsers: number;
  orgAlertWindowMs: number;
  /** For tests: the clock. */
  now?: () => number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS incidents (
  ticket_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, org_id TEXT NOT NULL, topic TEXT NOT NULL, category TEXT NOT NULL,
  resolved INTEGER NOT NULL, summary TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS incidents_user ON incidents(user_id, at);
CREATE INDEX IF NOT EXISTS incidents_org ON incidents(org_id, category, at);
CREATE TABLE IF NOT EXISTS org_alerts (org_id TEXT NOT NULL, category TEXT NOT NULL, at INTEGER NOT NULL, distinct_users INTEGER NOT NULL);
`;

export function ageText(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  if (days < 1) return 'today';
  if (days < 2) return 'yesterday';
  if (days < 28) return `${days} days ago`;
  if (days < 60) return 'last month';
  return `${Math.round(days / 30)} months ago`;
}

export interface MemoryImpl extends Memory {
  close(): void | Promise<void>;
}

/** One line of a user's history, as the drafter quotes it. */
export function historyLine(r: { topic: string; resolved: boolean; summary: string; at: number }, now: number): string {
  return `${ageText(now - r.at)}: ${r.summary} (${r.topic}, ${r.resolved ? 'resolved' : 'not resolved'})`;
}

export function createMemory(opts: MemoryOptions): MemoryImpl {
  if (opts.databaseUrl) return createPostgresMemory({ ...opts, databaseUrl: opts.databaseUrl });
  const now = opts.now ?? Date.now;
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const db = new Database(path.join(opts.dataDir, 'memory.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  migrateSqliteOutcomes(db);
  const upsertOutcome = db.prepare(forSqlite(UPSERT_OUTCOME));
  const upsert = db.prepare(
    'INSERT INTO incidents (ticket_id, user_id, org_id, topic, category, resolved, summary, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(ticket_id) DO UPDATE SET resolved = excluded.resolved, summary = excluded.summary',
  );
  const byUser = db.prepare(
    'SELECT topic, category, resolved, summary, at FROM incidents WHERE user_id = ? ORDER BY at DESC LIMIT ?',
  );
  const distinctUsers = db.prepare(
    'SELECT COUNT(DISTINCT user_id) AS n FROM incidents WHERE org_id = ? AND category = ? AND at >= ?',
  );
  const recentAlert = db.prepare('SELECT 1 FROM org_alerts WHERE org_id = ? AND category = ? AND at >= ? LIMIT 1');
  const insertAlert = db.prepare('INSERT INTO org_alerts (org_id, category, at, distinct_users) VALUES (?, ?, ?, ?)');

  const consolidate = db.transaction((ctx: TicketContext, r: MemoryRecord) => {
    const t = now();
    if (r.facts) upsertOutcome.run(...outcomeParams(ctx.ticketId, r.topic, t, r.facts));
    upsert.run(
      ctx.ticketId,
      ctx.userId,
      ctx.orgId,
      r.topic,
      r.category,
      r.resolved ? 1 : 0,
      redact(r.summary).slice(0, 500),
      t,
    );
    const since = t - opts.orgAlertWindowMs;
    const n = (distinctUsers.get(ctx.orgId, r.category, since) as { n: number }).n;
    if (n < opts.orgAlertDistinctUsers || recentAlert.get(ctx.orgId, r.category, since)) return {};
    insertAlert.run(ctx.orgId, r.category, t, n);
    const orgAlert: OrgPatternAlert = {
      orgId: ctx.orgId,
      category: r.category,
      distinctUsers: n,
      windowMs: opts.orgAlertWindowMs,
    };
    return { orgAlert };
  });

  return {
    async history(ctx, limit = 5) {
      const rows = byUser.all(ctx.userId, limit) as {
        topic: string;
        category: string;
        resolved: number;
        summary: string;
        at: number;
      }[];
      return rows.map((r) => historyLine({ ...r, resolved: r.resolved === 1 }, now()));
    },
    async consolidate(ctx, record) {
      return consolidate(ctx, record);
    },
    close: () => {
      db.close();
    },
  };
}
