/**
 * Long-term memory on PostgreSQL (MEMORY_DATABASE_URL): the same tables and rules as the embedded SQLite
 * memory, for many workers sharing one store. The org alert fires once per org, category and window even
 * with concurrent consolidations: they serialise on a transaction-scoped advisory lock per (org, category).
 */
import { redact } from '../../core/pii';
import type { OrgPatternAlert } from '../ports';
import { historyLine, type MemoryImpl, type MemoryOptions } from './index';
import { classifyPgError } from '../../core/pg-errors';
import { openPgStore } from '../../core/pg-store';
import { OUTCOMES_SCHEMA, UPSERT_OUTCOME, outcomeParams } from './outcomes';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS incidents (
  ticket_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, org_id TEXT NOT NULL, topic TEXT NOT NULL, category TEXT NOT NULL,
  resolved BOOLEAN NOT NULL, summary TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS incidents_user ON incidents(user_id, at);
CREATE INDEX IF NOT EXISTS incidents_org ON incidents(org_id, category, at);
CREATE TABLE IF NOT EXISTS org_alerts (org_id TEXT NOT NULL, category TEXT NOT NULL, at BIGINT NOT NULL, distinct_users INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS org_alerts_org ON org_alerts(org_id, category, at);
`;

export function createPostgresMemory(opts: MemoryOptions & { databaseUrl: string }): MemoryImpl {
  const now = opts.now ?? Date.now;
  const store = openPgStore(opts.databaseUrl, SCHEMA + OUTCOMES_SCHEMA, (err) =>
    classifyPgError(err, 'memory database'),
  );

  return {
    async history(ctx, limit = 5) {
      const { rows } = await store.query<{ topic: string; resolved: boolean; summary: string; at: string }>(
        'SELECT topic, resolved, summary, at FROM incidents WHERE user_id = $1 ORDER BY at DESC LIMIT $2',
        [ctx.userId, limit],
      );
      return rows.map((r) => historyLine({ ...r, at: Number(r.at) }, now()));
    },

    consolidate: (ctx, r) =>
      store.transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [ctx.orgId, r.category]);
        const t = now();
        await client.query(
          `INSERT INTO incidents (ticket_id, user_id, org_id, topic, category, resolved, summary, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (ticket_id) DO UPDATE SET resolved = EXCLUDED.resolved, summary = EXCLUDED.summary`,
          [ctx.ticketId, ctx.userId, ctx.orgId, r.topic, r.category, r.resolved, redact(r.summary).slice(0, 500), t],
        );
        if (r.facts) await client.query(UPSERT_OUTCOME, outcomeParams(ctx.ticketId, r.topic, t, r.facts));
        const since = t - opts.orgAlertWindowMs;
        const n = Number(
          (
            await client.query<{ n: string }>(
              'SELECT COUNT(DISTINCT user_id) AS n FROM incidents WHERE org_id = $1 AND category = $2 AND at >= $3',
              [ctx.orgId, r.category, since],
            )
          ).rows[0]!.n,
        );
        const alerted =
          (
            await client.query('SELECT 1 FROM org_alerts WHERE org_id = $1 AND category = $2 AND at >= $3 LIMIT 1', [
              ctx.orgId,
              r.category,
              since,
            ])
          ).rowCount! > 0;
        let orgAlert: OrgPatternAlert | undefined;
        if (n >= opts.orgAlertDistinctUsers && !alerted) {
          await client.query('INSERT INTO org_alerts (org_id, category, at, distinct_users) VALUES ($1, $2, $3, $4)', [
            ctx.orgId,
            r.category,
            t,
            n,
          ]);
          orgAlert = { orgId: ctx.orgId, category: r.category, distinctUsers: n, windowMs: opts.orgAlertWindowMs };
        }
        return orgAlert ? { orgAlert } : {};
      }),

    close: store.close,
  };
}
