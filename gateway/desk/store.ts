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
  /** Every assignment, by ticket id after `afterTicketId` ('' from the start), `limit` at a time. */
  heldAfter(afterTicketId: string, limit: number): Promise<Assignment[]>;
  /** Marks `agent` as looking at the ticket now; answers everyone looking at it within the TTL. */
  touch(ticketId: string, agent: string): Promise<string[]>;
  viewers(ticketIds: readonly string[]): Promise<Map<string, string[]>>;
  /** What changed after `after` (a cursor this answered; null: nothing yet, only where now is), for the queue stream. */
  changesAfter(after: DeskCursor | null): Promise<DeskChanges>;
  close(): Promise<void>;
}

/** Where a reader of the changes stands: the last assignment change and the latest presence beat it saw. */
export interface DeskCursor {
  change: number;
  seen: number;
}

export interface DeskChanges {
  cursor: DeskCursor;
  /** Tickets whose holder changed (each once). */
  assigned: string[];
  /** Presence beats, oldest first. */
  beats: { ticketId: string; agent: string; seenAt: number }[];
}

/** Assignment changes kept for readers that lag (a gateway polls every fraction of a second). */
export const DESK_CHANGES_KEEP_MS = 10 * 60_000;
/** Rows one read of the changes answers at most; a reader that far behind reads again at once. */
export const DESK_CHANGES_PAGE = 500;

/** A viewer not heard from for this long is gone (the console beats every PRESENCE_BEAT_MS). */
export const PRESENCE_TTL_MS = 20_000;

export const DESK_SCHEMA = `
CREATE TABLE IF NOT EXISTS desk_assignments (
  ticket_id TEXT PRIMARY KEY, agent TEXT NOT NULL, since TEXT NOT NULL, assigned_by TEXT NOT NULL, takeover_reason TEXT);
CREATE TABLE IF NOT EXISTS desk_presence (
  ticket_id TEXT NOT NULL, agent TEXT NOT NULL, seen_at BIGINT NOT NULL, PRIMARY KEY (ticket_id, agent));
`;

/** The change log's table, per engine (an id that only grows: SQLite AUTOINCREMENT, PostgreSQL BIGSERIAL). */
export const deskChangesSchema = (idType: string) =>
  `CREATE TABLE IF NOT EXISTS desk_changes (id ${idType}, ticket_id TEXT NOT NULL, at BIGINT NOT NULL);`;

export interface DeskBeatRow {
  ticket_id: string;
  agent: string;
  seen_at: number | string;
}

/** Folds rows of both tables into the changes and the cursor after them. */
export function toChanges(
  from: DeskCursor,
  changes: { id: number | string; ticket_id: string }[],
  beats: DeskBeatRow[],
): DeskChanges {
  const last = changes.at(-1);
  const lastBeat = beats.at(-1);
  return {
    cursor: {
      change: last ? Number(last.id) : from.change,
      seen: lastBeat ? Number(lastBeat.seen_at) : from.seen,
    },
    assigned: [...new Set(changes.map((c) => c.ticket_id))],
    beats: beats.map((b) => ({ ticketId: b.ticket_id, agent: b.agent, seenAt: Number(b.seen_at) })),
  };
}

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
  db.exec(deskChangesSchema('INTEGER PRIMARY KEY AUTOINCREMENT'));
  const one = db.prepare('SELECT * FROM desk_assignments WHERE ticket_id = ?');
  const upsert = db.prepare(
    `INSERT INTO desk_assignments (ticket_id, agent, since, assigned_by, takeover_reason) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (ticket_id) DO UPDATE SET agent = excluded.agent, since = excluded.since,
       assigned_by = excluded.assigned_by, takeover_reason = excluded.takeover_reason`,
  );
  const remove = db.prepare('DELETE FROM desk_assignments WHERE ticket_id = ?');
  const mine = db.prepare('SELECT * FROM desk_assignments WHERE agent = ? ORDER BY since DESC LIMIT ?');
  const page = db.prepare('SELECT * FROM desk_assignments WHERE ticket_id > ? ORDER BY ticket_id LIMIT ?');
  const beat = db.prepare(
    `INSERT INTO desk_presence (ticket_id, agent, seen_at) VALUES (?, ?, ?)
     ON CONFLICT (ticket_id, agent) DO UPDATE SET seen_at = excluded.seen_at`,
  );
  const sweep = db.prepare('DELETE FROM desk_presence WHERE seen_at < ?');
  const logChange = db.prepare('INSERT INTO desk_changes (ticket_id, at) VALUES (?, ?)');
  const pruneChanges = db.prepare('DELETE FROM desk_changes WHERE at < ?');
  const lastChange = db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM desk_changes');
  const lastBeat = db.prepare('SELECT COALESCE(MAX(seen_at), 0) AS seen FROM desk_presence');
  const changesAfter = db.prepare('SELECT id, ticket_id FROM desk_changes WHERE id > ? ORDER BY id LIMIT ?');
  const beatsAfter = db.prepare(
    'SELECT ticket_id, agent, seen_at FROM desk_presence WHERE seen_at > ? ORDER BY seen_at LIMIT ?',
  );
  const get = (id: string) => {
    const r = one.get(id) as AssignmentRow | undefined;
    return r ? fromAssignmentRow(r) : undefined;
  };
  // Read and write in one immediate transaction, so two agents claiming at once cannot both win.
  const assign = db.transaction((input: AssignInput) => {
    const current = get(input.ticketId);
    if (decideAssignment(current, input) === 'noop') return current ?? null;
    const t = now();
    const next = nextAssignment(current, input, new Date(t).toISOString());
    if (next) upsert.run(next.ticketId, next.agent, next.since, next.by, next.takeoverReason);
    else remove.run(input.ticketId);
    logChange.run(input.ticketId, t);
    pruneChanges.run(t - DESK_CHANGES_KEEP_MS);
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
    heldAfter: async (afterId, limit) => (page.all(afterId, limit) as AssignmentRow[]).map(fromAssignmentRow),
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
    async changesAfter(after) {
      if (!after) {
        const start = {
          change: (lastChange.get() as { id: number }).id,
          seen: (lastBeat.get() as { seen: number }).seen,
        };
        return { cursor: start, assigned: [], beats: [] };
      }
      const changes = changesAfter.all(after.change, DESK_CHANGES_PAGE) as { id: number; ticket_id: string }[];
      const beats = beatsAfter.all(after.seen, DESK_CHANGES_PAGE) as DeskBeatRow[];
      return toChanges(after, changes, beats);
    },
    close: async () => {
      db.close();
    },
  };
}
