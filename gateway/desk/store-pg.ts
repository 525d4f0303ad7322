/**
 * The desk's assignments and presence on PostgreSQL (DESK_DATABASE_URL), shared by every gateway instance:
 * the same tables and the same rule as the SQLite store. An assignment reads its row FOR UPDATE (or takes a
 * transaction-scoped advisory lock when there is no row yet), so two agents claiming at once serialize.
 */
import { DESK_MAX_IDS } from '../../core/desk';
import { TicketflowError } from '../../core/errors';
import { openPgStore } from '../../core/pg-store';
import {
  DESK_CHANGES_KEEP_MS,
  DESK_CHANGES_PAGE,
  DESK_SCHEMA,
  PRESENCE_TTL_MS,
  deskChangesSchema,
  toChanges,
  decideAssignment,
  fromAssignmentRow,
  groupViewers,
  nextAssignment,
  type AssignmentRow,
  type DeskBeatRow,
  type DeskStore,
} from './store';

function unavailable(err: unknown): TicketflowError {
  if (err instanceof TicketflowError) return err;
  return new TicketflowError('upstream_unavailable', `desk database: ${(err as Error).message}`, { cause: err });
}

export function createPostgresDeskStore(databaseUrl: string, now: () => number = Date.now): DeskStore {
  const { query, transaction, close } = openPgStore(
    databaseUrl,
    DESK_SCHEMA + deskChangesSchema('BIGSERIAL PRIMARY KEY'),
    unavailable,
  );

  const store: DeskStore = {
    assign: (input) =>
      transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [input.ticketId]);
        const row = (
          await client.query<AssignmentRow>('SELECT * FROM desk_assignments WHERE ticket_id = $1', [input.ticketId])
        ).rows[0];
        const current = row ? fromAssignmentRow(row) : undefined;
        if (decideAssignment(current, input) === 'noop') return current ?? null;
        const t = now();
        const next = nextAssignment(current, input, new Date(t).toISOString());
        if (next) {
          await client.query(
            `INSERT INTO desk_assignments (ticket_id, agent, since, assigned_by, takeover_reason) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (ticket_id) DO UPDATE SET agent = EXCLUDED.agent, since = EXCLUDED.since,
               assigned_by = EXCLUDED.assigned_by, takeover_reason = EXCLUDED.takeover_reason`,
            [next.ticketId, next.agent, next.since, next.by, next.takeoverReason],
          );
        } else {
          await client.query('DELETE FROM desk_assignments WHERE ticket_id = $1', [input.ticketId]);
        }
        await client.query('INSERT INTO desk_changes (ticket_id, at) VALUES ($1, $2)', [input.ticketId, t]);
        await client.query('DELETE FROM desk_changes WHERE at < $1', [t - DESK_CHANGES_KEEP_MS]);
        return next;
      }),
    async assignments(ids) {
      if (ids.length === 0) return new Map();
      const r = await query<AssignmentRow>('SELECT * FROM desk_assignments WHERE ticket_id = ANY($1)', [ids]);
      return new Map(r.rows.map((row) => [row.ticket_id, fromAssignmentRow(row)]));
    },
    async heldBy(agent) {
      const r = await query<AssignmentRow>(
        'SELECT * FROM desk_assignments WHERE agent = $1 ORDER BY since DESC LIMIT $2',
        [agent, DESK_MAX_IDS],
      );
      return r.rows.map(fromAssignmentRow);
    },
    async heldAfter(afterId, limit) {
      const r = await query<AssignmentRow>(
        'SELECT * FROM desk_assignments WHERE ticket_id > $1 ORDER BY ticket_id LIMIT $2',
        [afterId, limit],
      );
      return r.rows.map(fromAssignmentRow);
    },
    async touch(ticketId, agent) {
      const t = now();
      await query(
        `INSERT INTO desk_presence (ticket_id, agent, seen_at) VALUES ($1, $2, $3)
         ON CONFLICT (ticket_id, agent) DO UPDATE SET seen_at = EXCLUDED.seen_at`,
        [ticketId, agent, t],
      );
      // Housekeeping only: a failed sweep leaves stale rows that the reads already ignore.
      void query('DELETE FROM desk_presence WHERE seen_at < $1', [t - PRESENCE_TTL_MS]).catch(() => undefined);
      return (await store.viewers([ticketId])).get(ticketId) ?? [];
    },
    async viewers(ids) {
      if (ids.length === 0) return new Map();
      const r = await query<{ ticket_id: string; agent: string }>(
        'SELECT ticket_id, agent FROM desk_presence WHERE seen_at >= $1 AND ticket_id = ANY($2) ORDER BY agent',
        [now() - PRESENCE_TTL_MS, ids],
      );
      return groupViewers(r.rows);
    },
    async changesAfter(after) {
      if (!after) {
        const r = await query<{ change: string; seen: string }>(
          `SELECT (SELECT COALESCE(MAX(id), 0) FROM desk_changes) AS change,
                  (SELECT COALESCE(MAX(seen_at), 0) FROM desk_presence) AS seen`,
          [],
        );
        const row = r.rows[0]!;
        return { cursor: { change: Number(row.change), seen: Number(row.seen) }, assigned: [], beats: [] };
      }
      const [changes, beats] = await Promise.all([
        query<{ id: string; ticket_id: string }>(
          'SELECT id, ticket_id FROM desk_changes WHERE id > $1 ORDER BY id LIMIT $2',
          [after.change, DESK_CHANGES_PAGE],
        ),
        query<DeskBeatRow>(
          'SELECT ticket_id, agent, seen_at FROM desk_presence WHERE seen_at > $1 ORDER BY seen_at LIMIT $2',
          [after.seen, DESK_CHANGES_PAGE],
        ),
      ]);
      return toChanges(after, changes.rows, beats.rows);
    },
    close,
  };
  return store;
}
