/**
 * Who holds a ticket and who is looking at it, shared by every gateway instance (the architecture's shared
 * state): SQLite in the data directory for one machine, PostgreSQL by DESK_DATABASE_URL for many
 * (store-pg.ts). Assignment is durable until released; presence is a heartbeat that lapses after a TTL, so
 * a closed tab stops showing without anyone cleaning up.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DESK_MAX_IDS } from '../../core/desk';
import { TicketflowError } from '../../core/errors';

export interface Assignment {
  ticketId: string;
  agent: string;
  since: string;
  by: string;
  /** Why the ticket was taken from someone else; null for a plain claim or assignment. */
  takeoverReason: string | null;
}

export interface AssignInput {
  ticketId: string;
  /** The agent acting. */
  by: string;
  /** The new holder, or null to release. */
  to: string | null;
  /** Needed to take a ticket that another agent holds. */
  reason?: string;
}

export interface DeskStore {
  /** Claims, assigns or releases; refused (conflict) when another agent holds it and no reason is given. */
  assign(input: AssignInput): Promise<Assignment | null>;
  assignments(ticketIds: readonly string[]): Promise<Map<string, Assignment>>;
  /** The tickets an agent holds, most recently taken first (at most DESK_MAX_IDS). */
  heldBy(agent: string): Promise<Assignment[]>;
  /** Marks `agent` as looking at the ticket now; answers everyone looking at it within the TTL. */
  touch(ticketId: string, agent: string): Promise<string[]>;
  viewers(ticketIds: readonly string[]): Promise<Map<string, string[]>>;
  close(): Promise<void>;
}

/** A viewer not heard from for this long is gone (the console beats every PRESENCE_BEAT_MS). */
export const PRESENCE_TTL_MS = 20_000;

export const DESK_SCHEMA = `
CREATE TABLE IF NOT EXISTS desk_assignments (
  ticket_id TEXT PRIMARY KEY, agent TEXT NOT NULL, since TEXT NOT NULL, assigned_by TEXT NOT NULL, takeover_reason TEXT);
CREATE TABLE IF NOT EXISTS desk_presence (
  ticket_id TEXT NOT NULL, agent TEXT NOT NULL, seen_at BIGINT NOT NULL, PRIMARY KEY (ticket_id, agent));
`;

export interface AssignmentRow {
  ticket_id: string;
  agent: string;
  since: string;
  assigned_by: string;
  takeover_reason: string | null;
}

export function fromAssignmentRow(r: AssignmentRow): Assignment {
  return {
    ticketId: r.ticket_id,
    agent: r.agent,
    since: r.since,
    by: r.assigned_by,
    takeoverReason: r.takeover_reason,
  };
}

/**
 * The one rule, the same for both engines: the holder (or anyone, when nobody holds it) may claim, pass
 * on or release a ticket; taking it from another holder needs a reason, which is kept.
 */
export function decideAssignment(current: Assignment | undefined, input: AssignInput): 'noop' | 'write' {
  const holder = current?.agent;
  if (holder === input.to && input.reason === undefined) return 'noop';
  if (holder === undefined || holder === input.by) return 'write';
  if (!input.reason) {
    throw new TicketflowError(
      'conflict',
      `ticket ${input.ticketId} is assigned to ${holder}; take it over with a reason to work on it`,
    );
  }
  return 'write';
}

/** What a write stores: a takeover keeps its reason, anything else clears it. */
export function nextAssignment(current: Assignment | undefined, input: AssignInput, now: string): Assignment | null {
  if (input.to === null) return null;
  const takeover = current !== undefined && current.agent !== input.by ? (input.reason ?? null) : null;
  return { ticketId: input.ticketId, agent: input.to, since: now, by: input.by, takeoverReason: takeover };
}

export function groupViewers(rows: { ticket_id: string; agent: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.ticket_id, [...(out.get(r.ticket_id) ?? []), r.agent]);
  return out;
}

export function createSqliteDeskStore(dataDir: string, now: () => number = Date.now): DeskStore {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'desk.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(DESK_SCHEMA);
  const one = db.prepare('SELECT * FROM desk_assignments WHERE ticket_id = ?');
  const upsert = db.prepare(
    `INSERT INTO desk_assignments (ticket_id, agent, since, assigned_by, takeover_reason) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (ticket_id) DO UPDATE SET agent = excluded.agent, since = excluded.since,
       assigned_by = excluded.assigned_by, takeover_reason = excluded.takeover_reason`,
  );
  const remove = db.prepare('DELETE FROM desk_assignments WHERE ticket_id = ?');
  const mine = db.prepare('SELECT * FROM desk_assignments WHERE agent = ? ORDER BY since DESC LIMIT ?');
  const beat = db.prepare(
    `INSERT INTO desk_presence (ticket_id, agent, seen_at) VALUES (?, ?, ?)
     ON CONFLICT (ticket_id, agent) DO UPDATE SET seen_at = excluded.seen_at`,
  );
  const sweep = db.prepare('DELETE FROM desk_presence WHERE seen_at < ?');
  const get = (id: string) => {
    const r = one.get(id) as AssignmentRow | undefined;
    return r ? fromAssignmentRow(r) : undefined;
  };
  // Read and write in one immediate transaction, so two agents claiming at once cannot both win.
  const assign = db.transaction((input: AssignInput) => {
    const current = get(input.ticketId);
    if (decideAssignment(current, input) === 'noop') return current ?? null;
    const next = nextAssignment(current, input, new Date(now()).toISOString());
    if (next) upsert.run(next.ticketId, next.agent, next.since, next.by, next.takeoverReason);
    else remove.run(input.ticketId);
    return next;
  });
  const inList = (n: number) => Array.from({ length: n }, () => '?').join(',');
  return {
    assign: async (input) => assign.immediate(input),
    async assignments(ids) {
      if (ids.length === 0) return new Map();
      const rows = db
        .prepare(`SELECT * FROM desk_assignments WHERE ticket_id IN (${inList(ids.length)})`)
        .all(...ids) as AssignmentRow[];
      return new Map(rows.map((r) => [r.ticket_id, fromAssignmentRow(r)]));
    },
    heldBy: async (agent) => (mine.all(agent, DESK_MAX_IDS) as AssignmentRow[]).map(fromAssignmentRow),
    async touch(ticketId, agent) {
      const t = now();
      beat.run(ticketId, agent, t);
      sweep.run(t - PRESENCE_TTL_MS);
      return (await this.viewers([ticketId])).get(ticketId) ?? [];
    },
    async viewers(ids) {
      if (ids.length === 0) return new Map();
      const rows = db
        .prepare(
          `SELECT ticket_id, agent FROM desk_presence WHERE seen_at >= ? AND ticket_id IN (${inList(ids.length)}) ORDER BY agent`,
        )
        .all(now() - PRESENCE_TTL_MS, ...ids) as { ticket_id: string; agent: string }[];
      return groupViewers(rows);
    },
    close: async () => {
      db.close();
    },
  };
}
