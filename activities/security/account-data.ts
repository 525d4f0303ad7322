/**
 * The back-office state that account changes act on: each user's two-factor and suspension, each org's owner
 * and plan, and a log of the changes tickets made (so a retried run finds its own change and reports it again
 * rather than "already done"). Seeded once for the demo users and orgs of store.ts; a store created before
 * these tables existed gets them on its next open.
 */
import type Database from 'better-sqlite3';

export const ACCOUNT_SCHEMA = `
CREATE TABLE IF NOT EXISTS account_state (
  user_id TEXT PRIMARY KEY, two_factor INTEGER NOT NULL, suspended_at TEXT);
CREATE TABLE IF NOT EXISTS org_settings (org_id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, plan TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS account_changes (
  ticket_id TEXT NOT NULL, tool TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL, at TEXT NOT NULL,
  PRIMARY KEY (ticket_id, tool, target));
`;

/** The plans an org can be moved to. */
export const PLANS = ['free', 'pro', 'team', 'enterprise'] as const;

export function seedAccountData(db: Database.Database): void {
  db.transaction(() => {
    const has = db.prepare('SELECT COUNT(*) AS n FROM org_settings').get() as { n: number };
    if (has.n > 0) return;
    const state = db.prepare('INSERT OR IGNORE INTO account_state (user_id, two_factor) VALUES (?, 1)');
    for (const { id } of db.prepare('SELECT id FROM users').all() as { id: string }[]) state.run(id);
    const org = db.prepare('INSERT INTO org_settings (org_id, owner_id, plan) VALUES (?, ?, ?)');
    org.run('acme-corp', 'mona', 'pro');
    org.run('initech', 'octo-dev', 'team');
  })();
}
