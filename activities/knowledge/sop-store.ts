/**
 * The versioned SOP store: every SOP a person provides is a new version (same title, same id), kept with
 * who and when; nothing is updated or deleted. An approval is its own row, by another agent than the
 * author. The library serves the latest approved version of each SOP; a proposed one serves only the
 * ticket it was given for. SQLite in the data directory by default, PostgreSQL by URL (sop-store-pg.ts),
 * so every worker and the gateway see the same library.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Topic } from '../../core/domain';
import { TicketflowError } from '../../core/errors';

export interface SopVersion {
  sopId: string;
  version: number;
  topic: Topic;
  title: string;
  body: string;
  author: string;
  ticketId: string | null;
  createdAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
}

export interface SopProposal {
  sopId: string;
  topic: Topic;
  title: string;
  body: string;
  author: string;
  ticketId?: string;
}

export interface SopStore {
  /** Adds the next version of `sopId` (version 1 when new). */
  propose(p: SopProposal): Promise<SopVersion>;
  /** Approves a version (the latest when omitted) by someone other than its author; approving twice is a no-op. */
  approve(sopId: string, version: number | undefined, approver: string): Promise<SopVersion>;
  get(sopId: string, version: number): Promise<SopVersion | undefined>;
  versions(sopId: string): Promise<SopVersion[]>;
  /** Every version of every SOP, by SOP then version: the library page's listing. */
  everything(): Promise<SopVersion[]>;
  /** The latest approved version of each SOP. */
  approved(): Promise<SopVersion[]>;
  /** Grows with every approval: readers re-index when it moves. */
  approvalCount(): Promise<number>;
  close(): Promise<void>;
}

export const SOP_SCHEMA = `
CREATE TABLE IF NOT EXISTS sop_versions (
  sop_id TEXT NOT NULL, version INTEGER NOT NULL, topic TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL,
  author TEXT NOT NULL, ticket_id TEXT, created_at TEXT NOT NULL, PRIMARY KEY (sop_id, version));
CREATE TABLE IF NOT EXISTS sop_approvals (
  sop_id TEXT NOT NULL, version INTEGER NOT NULL, approver TEXT NOT NULL, approved_at TEXT NOT NULL, PRIMARY KEY (sop_id, version));
`;

/** Both engines select this shape (snake_case columns, approvals joined). */
export const SELECT_VERSION = `SELECT v.sop_id, v.version, v.topic, v.title, v.body, v.author, v.ticket_id, v.created_at, a.approver, a.approved_at
  FROM sop_versions v LEFT JOIN sop_approvals a ON a.sop_id = v.sop_id AND a.version = v.version`;
export const LATEST_APPROVED = `${SELECT_VERSION} WHERE a.approver IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM sop_approvals b WHERE b.sop_id = v.sop_id AND b.version > v.version) ORDER BY v.sop_id`;

export interface VersionRow {
  sop_id: string;
  version: number | string;
  topic: string;
  title: string;
  body: string;
  author: string;
  ticket_id: string | null;
  created_at: string;
  approver: string | null;
  approved_at: string | null;
}

export function fromRow(r: VersionRow): SopVersion {
  return {
    sopId: r.sop_id,
    version: Number(r.version),
    topic: r.topic as Topic,
    title: r.title,
    body: r.body,
    author: r.author,
    ticketId: r.ticket_id,
    createdAt: r.created_at,
    approvedBy: r.approver,
    approvedAt: r.approved_at,
  };
}

/** The rules of an approval, the same for both engines. */
export function checkApproval(v: SopVersion | undefined, sopId: string, approver: string): SopVersion {
  if (!v) throw new TicketflowError('not_found', `no SOP ${sopId} with that version`);
  if (v.author === approver) throw new TicketflowError('policy', 'an SOP is approved by another agent than its author');
  return v;
}

export function createSqliteSopStore(dataDir: string): SopStore {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'sops.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SOP_SCHEMA);
  const one = db.prepare(`${SELECT_VERSION} WHERE v.sop_id = ? AND v.version = ?`);
  const all = db.prepare(`${SELECT_VERSION} WHERE v.sop_id = ? ORDER BY v.version`);
  const latest = db.prepare('SELECT MAX(version) AS v FROM sop_versions WHERE sop_id = ?');
  const insert = db.prepare(
    'INSERT INTO sop_versions (sop_id, version, topic, title, body, author, ticket_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertApproval = db.prepare(
    'INSERT OR IGNORE INTO sop_approvals (sop_id, version, approver, approved_at) VALUES (?, ?, ?, ?)',
  );
  const approvedAll = db.prepare(LATEST_APPROVED);
  const everything = db.prepare(`${SELECT_VERSION} ORDER BY v.sop_id, v.version`);
  const count = db.prepare('SELECT COUNT(*) AS n FROM sop_approvals');
  const get = (sopId: string, version: number) => {
    const r = one.get(sopId, version) as VersionRow | undefined;
    return r ? fromRow(r) : undefined;
  };

  const propose = db.transaction((p: SopProposal) => {
    const version = ((latest.get(p.sopId) as { v: number | null }).v ?? 0) + 1;
    insert.run(p.sopId, version, p.topic, p.title, p.body, p.author, p.ticketId ?? null, new Date().toISOString());
    return get(p.sopId, version)!;
  });
  const approve = db.transaction((sopId: string, version: number | undefined, approver: string) => {
    const v = checkApproval(get(sopId, version ?? (latest.get(sopId) as { v: number | null }).v ?? 0), sopId, approver);
    insertApproval.run(v.sopId, v.version, approver, new Date().toISOString());
    return get(v.sopId, v.version)!;
  });

  return {
    propose: async (p) => propose(p),
    approve: async (sopId, version, approver) => approve(sopId, version, approver),
    get: async (sopId, version) => get(sopId, version),
    versions: async (sopId) => (all.all(sopId) as VersionRow[]).map(fromRow),
    everything: async () => (everything.all() as VersionRow[]).map(fromRow),
    approved: async () => (approvedAll.all() as VersionRow[]).map(fromRow),
    approvalCount: async () => (count.get() as { n: number }).n,
    close: async () => {
      db.close();
    },
  };
}
