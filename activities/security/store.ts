/**
 * The embedded GitHouse back office: a real SQLite database in the data directory, seeded with demo
 * users, orgs, tokens (stored hashed, shown masked), audit events, an IP reputation list, payments and
 * service health. The security tools, the billing agent and the verifier work on it, so a revoked token
 * stays revoked after a restart. Production adapters would call the real services instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { fingerprint, maskMatch } from '../../core/pii';
import { createHash } from 'node:crypto';
import { seedTeamData, TEAM_SCHEMA } from './team-data';
import { ACCOUNT_SCHEMA, seedAccountData } from './account-data';

export type ToolStore = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS orgs (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, login TEXT NOT NULL UNIQUE, org_id TEXT REFERENCES orgs(id));
CREATE TABLE IF NOT EXISTS tokens (
  id INTEGER PRIMARY KEY, user_id TEXT, kind TEXT NOT NULL, token_sha256 TEXT NOT NULL UNIQUE,
  fingerprint TEXT NOT NULL, masked TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT, revoked_by_ticket TEXT);
CREATE INDEX IF NOT EXISTS tokens_fp ON tokens(fingerprint);
CREATE TABLE IF NOT EXISTS audit_events (id INTEGER PRIMARY KEY, user_id TEXT NOT NULL, at TEXT NOT NULL, action TEXT NOT NULL, ip TEXT, detail TEXT);
CREATE INDEX IF NOT EXISTS audit_user_at ON audit_events(user_id, at);
CREATE TABLE IF NOT EXISTS ip_reputation (
  fingerprint TEXT PRIMARY KEY, masked TEXT NOT NULL, risk_score INTEGER NOT NULL, network TEXT NOT NULL,
  country TEXT, action TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS transactions (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, org_id TEXT, amount_cents INTEGER NOT NULL, currency TEXT NOT NULL,
  description TEXT NOT NULL, created_at TEXT NOT NULL, refunded_at TEXT, refund_ticket TEXT, plan TEXT);
CREATE TABLE IF NOT EXISTS spending_limits (org_id TEXT PRIMARY KEY, limit_cents INTEGER NOT NULL, spent_cents INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS incidents (
  id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, user_id TEXT, org_id TEXT, category TEXT NOT NULL, topic TEXT NOT NULL,
  summary TEXT NOT NULL, brief_json TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS service_health (
  org_id TEXT NOT NULL, service TEXT NOT NULL, healthy INTEGER NOT NULL, detail TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY (org_id, service));
`;

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');
const ago = (now: number, minutes: number) => new Date(now - minutes * 60_000).toISOString();

/** Demo tokens: the shapes customers paste in tickets (see test/fixtures/tickets.jsonl). */
export const DEMO_TOKENS: { user: string; kind: 'github_token' | 'aws_access_key'; value: string }[] = [
  { user: 'mona', kind: 'github_token', value: 'ghp_9Xk2LmQ7vR4tY8wZ1aB3cD5eF6gH0iJ2kL4m' },
  { user: 'mona', kind: 'github_token', value: 'ghp_Lq3Rt8Vx2Zb5Nm7Kp4Jh6Gf1Ds9Aw0Ec3Yu8I' },
  { user: 'hubot', kind: 'github_token', value: 'ghs_Tq8Wm3Zr6Yp1Xn4Vb7Lk2Jh5Gf9Ds0Aq3We6R' },
  { user: 'octo-dev', kind: 'aws_access_key', value: 'AKIAQ3EGT7WXYZ4PLM2K' },
];

function seed(db: ToolStore): void {
  const now = Date.now();
  const insOrg = db.prepare('INSERT INTO orgs (id, name) VALUES (?, ?)');
  const insUser = db.prepare('INSERT INTO users (id, login, org_id) VALUES (?, ?, ?)');
  const insToken = db.prepare(
    'INSERT INTO tokens (user_id, kind, token_sha256, fingerprint, masked, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insAudit = db.prepare('INSERT INTO audit_events (user_id, at, action, ip, detail) VALUES (?, ?, ?, ?, ?)');
  const insIp = db.prepare(
    'INSERT INTO ip_reputation (fingerprint, masked, risk_score, network, country, action) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insTxn = db.prepare(
    'INSERT INTO transactions (id, user_id, org_id, amount_cents, currency, description, created_at, plan) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insLimit = db.prepare('INSERT INTO spending_limits (org_id, limit_cents, spent_cents) VALUES (?, ?, ?)');
  db.transaction(() => {
    insOrg.run('acme-corp', 'Acme Corp');
    insOrg.run('initech', 'Initech');
    for (const [id, org] of [
      ['mona', 'acme-corp'],
      ['hubot', 'acme-corp'],
      ['octo-dev', 'initech'],
      ['demo-user', 'acme-corp'],
    ] as const)
      insUser.run(id, id, org);
    for (const t of DEMO_TOKENS)
      insToken.run(
        t.user,
        t.kind,
        sha256(t.value),
        fingerprint(t.value),
        maskMatch(t.kind, t.value),
        ago(now, 60 * 24 * 30),
      );
    const events: [string, number, string, string | null, string][] = [
      ['mona', 2, 'ssh_key.added', '185.220.101.4', 'key "laptop-new" (ed25519)'],
      ['mona', 10, 'two_factor.disabled', '185.220.101.4', 'two-factor authentication turned off'],
      ['mona', 11, 'login.new_ip', '185.220.101.4', 'sign-in from a new IP'],
      ['mona', 60 * 24 * 3, 'login', '203.0.113.42', 'sign-in'],
      ['mona', 60 * 24 * 9, 'personal_access_token.created', '203.0.113.42', 'token "ci"'],
      ['mona', 60 * 24 * 20, 'password.changed', '203.0.113.42', 'password changed'],
      ['hubot', 30, 'oauth_app.authorized', '45.83.64.12', 'app "deploy-helper"'],
      ['hubot', 60 * 5, 'login', '198.51.100.7', 'sign-in'],
      ['octo-dev', 15, 'login.new_ip', '45.83.64.12', 'sign-in from a new IP'],
      ['demo-user', 60, 'login', '203.0.113.42', 'sign-in'],
    ];
    for (const [u, min, action, ip, detail] of events) insAudit.run(u, ago(now, min), action, ip, detail);
    const ips: [string, number, string, string, string][] = [
      ['185.220.101.4', 95, 'tor', 'DE', 'block'],
      ['45.83.64.12', 70, 'vpn', 'NL', 'challenge'],
      ['198.51.100.7', 40, 'datacenter', 'US', 'review'],
      ['203.0.113.42', 5, 'residential', 'US', 'allow'],
    ];
    for (const [ip, score, network, country, action] of ips)
      insIp.run(fingerprint(ip), maskMatch('ipv4', ip), score, network, country, action);
    insTxn.run('txn_48213', 'mona', 'acme-corp', 400, 'USD', 'Pro plan, monthly', ago(now, 60 * 24 * 5), 'pro-monthly');
    insTxn.run(
      'txn_48214',
      'mona',
      'acme-corp',
      400,
      'USD',
      'Pro plan, monthly',
      ago(now, 60 * 24 * 5 - 1),
      'pro-monthly',
    );
    insTxn.run(
      'txn_50001',
      'demo-user',
      'acme-corp',
      1900,
      'USD',
      'ShotGun Business, yearly',
      ago(now, 60 * 24),
      'shotgun-business-yearly',
    );
    insTxn.run(
      'txn_61002',
      'octo-dev',
      'initech',
      2100,
      'USD',
      'Team plan, monthly',
      ago(now, 60 * 24 * 2),
      'team-monthly',
    );
    insLimit.run('acme-corp', 50_000, 49_000);
    insLimit.run('initech', 20_000, 5_000);
  })();
}

/** Opens (and on first use creates and seeds) the tool store in `dataDir`. */
export function openToolStore(dataDir: string, file = 'githouse.sqlite'): ToolStore {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, file));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  // Stores created before transactions had a plan: duplicates then compare descriptions (COALESCE in billing-tools).
  if (!(db.prepare('PRAGMA table_info(transactions)').all() as { name: string }[]).some((c) => c.name === 'plan'))
    db.exec('ALTER TABLE transactions ADD COLUMN plan TEXT');
  db.exec(TEAM_SCHEMA);
  db.exec(ACCOUNT_SCHEMA);
  const seeded = db.prepare('SELECT COUNT(*) AS n FROM orgs').get() as { n: number };
  if (seeded.n === 0) seed(db);
  seedTeamData(db);
  seedAccountData(db);
  return db;
}
