/**
 * The back-office tables the five newer teams' tools read: SSO and SCIM, self-hosted appliances, webhook
 * deliveries, API limits, git push rejections, runners and queued jobs, Actions caches and minutes, ShotGun seats and
 * plugins, the forum's moderation queue, docs pages and community profiles. Seeded once per table set, so a
 * store created before these tables existed gets them on its next open. Every row is keyed by an org or a
 * user id: the tools look rows up by exact key, never by a pattern.
 */
import type Database from 'better-sqlite3';

export const TEAM_SCHEMA = `
CREATE TABLE IF NOT EXISTS sso_configs (
  org_id TEXT PRIMARY KEY, idp TEXT NOT NULL, protocol TEXT NOT NULL, enforced INTEGER NOT NULL,
  cert_not_after TEXT NOT NULL, acs_url TEXT NOT NULL, expected_acs_url TEXT NOT NULL, last_error TEXT, last_error_at TEXT);
CREATE TABLE IF NOT EXISTS scim_events (
  id INTEGER PRIMARY KEY, org_id TEXT NOT NULL, at TEXT NOT NULL, action TEXT NOT NULL, target_login TEXT NOT NULL,
  status TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS scim_org_at ON scim_events(org_id, at);
CREATE TABLE IF NOT EXISTS appliances (
  org_id TEXT PRIMARY KEY, hostname TEXT NOT NULL, version TEXT NOT NULL, latest_version TEXT NOT NULL,
  license_expires TEXT NOT NULL, health TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL, hook TEXT NOT NULL, event TEXT NOT NULL, at TEXT NOT NULL,
  status_code INTEGER NOT NULL, duration_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS webhook_org_at ON webhook_deliveries(org_id, at);
CREATE TABLE IF NOT EXISTS api_rate_limits (
  user_id TEXT PRIMARY KEY, limit_per_hour INTEGER NOT NULL, used INTEGER NOT NULL, reset_at TEXT NOT NULL,
  secondary_limited_until TEXT);
CREATE TABLE IF NOT EXISTS git_push_rejections (
  id INTEGER PRIMARY KEY, user_id TEXT NOT NULL, at TEXT NOT NULL, repo TEXT NOT NULL, ref TEXT NOT NULL, reason TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS push_user_at ON git_push_rejections(user_id, at);
CREATE TABLE IF NOT EXISTS runners (
  id INTEGER PRIMARY KEY, org_id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
  version TEXT NOT NULL, labels TEXT NOT NULL, last_seen TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS runners_org ON runners(org_id);
CREATE TABLE IF NOT EXISTS queued_jobs (
  id INTEGER PRIMARY KEY, org_id TEXT NOT NULL, workflow TEXT NOT NULL, labels TEXT NOT NULL, queued_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS queued_org ON queued_jobs(org_id);
CREATE TABLE IF NOT EXISTS actions_caches (
  org_id TEXT NOT NULL, repo TEXT NOT NULL, used_mb INTEGER NOT NULL, limit_mb INTEGER NOT NULL, evicted_7d INTEGER NOT NULL,
  PRIMARY KEY (org_id, repo));
CREATE TABLE IF NOT EXISTS minutes_usage (
  org_id TEXT PRIMARY KEY, included_minutes INTEGER NOT NULL, used_minutes INTEGER NOT NULL, period_end TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS shotgun_orgs (
  org_id TEXT PRIMARY KEY, plan TEXT NOT NULL, seats_purchased INTEGER NOT NULL, public_code_filter TEXT NOT NULL,
  content_exclusions INTEGER NOT NULL, proxy TEXT);
CREATE TABLE IF NOT EXISTS shotgun_seats (
  org_id TEXT NOT NULL, user_id TEXT NOT NULL, assigned_at TEXT NOT NULL, last_active_at TEXT,
  PRIMARY KEY (org_id, user_id));
CREATE TABLE IF NOT EXISTS shotgun_plugins (
  user_id TEXT NOT NULL, ide TEXT NOT NULL, version TEXT NOT NULL, last_seen TEXT NOT NULL, PRIMARY KEY (user_id, ide));
CREATE TABLE IF NOT EXISTS moderation_queue (
  id INTEGER PRIMARY KEY, user_id TEXT NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,
  status TEXT NOT NULL, reason TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS moderation_user ON moderation_queue(user_id, at);
CREATE TABLE IF NOT EXISTS docs_pages (
  path TEXT PRIMARY KEY, title TEXT NOT NULL, status TEXT NOT NULL, moved_to TEXT, updated_at TEXT NOT NULL, note TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS community_profiles (
  user_id TEXT PRIMARY KEY, trust_level INTEGER NOT NULL, stars_status TEXT NOT NULL, posts INTEGER NOT NULL,
  silenced_until TEXT);
`;

const DAY = 24 * 60;

function rows(db: Database.Database, sql: string, data: readonly (readonly unknown[])[]): void {
  const stmt = db.prepare(sql);
  for (const r of data) stmt.run(...r);
}

/** Demo rows relative to `now`: the demo users and orgs of store.ts (mona, hubot, octo-dev, demo-user; acme-corp, initech). */
export function seedTeamData(db: Database.Database, now = Date.now()): void {
  const at = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
  // Checked inside a write transaction: two workers opening one new store never seed it twice.
  const seed = db.transaction(() => {
    const has = db.prepare('SELECT COUNT(*) AS n FROM sso_configs').get() as { n: number };
    if (has.n > 0) return;
    rows(db, 'INSERT INTO sso_configs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      [
        'acme-corp',
        'Okta',
        'SAML',
        1,
        at(2 * DAY),
        'https://githouse.com/enterprises/acme-corp/saml/consume',
        'https://githouse.com/enterprises/acme-corp/saml/consume',
        'invalid signature: the response is signed by an unknown certificate',
        at(30),
      ],
      [
        'initech',
        'Entra ID',
        'SAML',
        0,
        at(-200 * DAY),
        'https://githouse.com/orgs/initech-old/saml/consume',
        'https://githouse.com/orgs/initech/saml/consume',
        'recipient mismatch: the response names another ACS URL',
        at(90),
      ],
    ]);
    rows(db, 'INSERT INTO scim_events (org_id, at, action, target_login, status, detail) VALUES (?, ?, ?, ?, ?, ?)', [
      ['acme-corp', at(3 * DAY), 'user.provisioned', 'new-hire-ann', 'ok', 'account linked to the IdP identity'],
      [
        'acme-corp',
        at(DAY),
        'user.deprovisioned',
        'leaver-bob',
        'failed',
        'the account is the last owner of acme-corp/payments; membership kept',
      ],
      ['acme-corp', at(60), 'user.deprovisioned', 'leaver-cy', 'ok', 'membership removed, sessions revoked'],
      ['initech', at(2 * DAY), 'user.provisioned', 'octo-dev', 'ok', 'account linked to the IdP identity'],
    ]);
    rows(db, 'INSERT INTO appliances VALUES (?, ?, ?, ?, ?, ?, ?)', [
      [
        'initech',
        'git.initech.example',
        '3.11.2',
        '3.13.0',
        at(-20 * DAY),
        'degraded',
        'background jobs backlog: 4,200 queued, the replica is 15 minutes behind',
      ],
    ]);
    rows(db, 'INSERT INTO webhook_deliveries VALUES (?, ?, ?, ?, ?, ?, ?)', [
      ['dlv_70001', 'acme-corp', 'ci-trigger', 'push', at(240), 200, 180],
      ['dlv_70002', 'acme-corp', 'ci-trigger', 'push', at(120), 502, 900],
      ['dlv_70003', 'acme-corp', 'ci-trigger', 'pull_request', at(60), 0, 10_000],
      ['dlv_70004', 'acme-corp', 'ci-trigger', 'push', at(10), 0, 10_000],
      ['dlv_80001', 'initech', 'deploy-bot', 'release', at(30), 200, 240],
    ]);
    rows(db, 'INSERT INTO api_rate_limits VALUES (?, ?, ?, ?, ?)', [
      ['mona', 5000, 5000, at(-25), at(-3)],
      ['octo-dev', 5000, 1200, at(-40), null],
      ['hubot', 15_000, 14_990, at(-5), null],
    ]);
    rows(db, 'INSERT INTO git_push_rejections (user_id, at, repo, ref, reason) VALUES (?, ?, ?, ?, ?)', [
      [
        'mona',
        at(45),
        'acme-corp/api',
        'refs/heads/main',
        'protected branch: changes must be made through a pull request with 1 approving review',
      ],
      [
        'mona',
        at(30),
        'acme-corp/media',
        'refs/heads/assets',
        'file assets/intro.mov is 212 MB; the limit is 100 MB (use Git LFS)',
      ],
      [
        'octo-dev',
        at(5 * DAY),
        'initech/tps',
        'refs/heads/release',
        'pre-receive hook declined: commit message must reference a ticket',
      ],
    ]);
    rows(
      db,
      'INSERT INTO runners (org_id, name, kind, status, version, labels, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [
        ['acme-corp', 'build-01', 'self-hosted', 'online', '2.321.0', 'self-hosted,linux,x64', at(1)],
        ['acme-corp', 'gpu-01', 'self-hosted', 'offline', '2.311.0', 'self-hosted,linux,gpu', at(3 * DAY)],
        ['acme-corp', 'mac-01', 'self-hosted', 'offline', '2.320.0', 'self-hosted,macos,arm64', at(50)],
        ['initech', 'hosted-pool', 'hosted', 'online', '2.321.0', 'ubuntu-latest', at(1)],
      ],
    );
    rows(db, 'INSERT INTO queued_jobs (org_id, workflow, labels, queued_at) VALUES (?, ?, ?, ?)', [
      ['acme-corp', 'train-model', 'self-hosted,linux,gpu', at(180)],
      ['acme-corp', 'ios-build', 'self-hosted,macos,arm64', at(45)],
      ['acme-corp', 'lint', 'self-hosted,linux,x64', at(1)],
    ]);
    rows(db, 'INSERT INTO actions_caches VALUES (?, ?, ?, ?, ?)', [
      ['acme-corp', 'acme-corp/api', 10_110, 10_240, 142],
      ['acme-corp', 'acme-corp/web', 800, 10_240, 0],
      ['initech', 'initech/tps', 2_300, 10_240, 0],
    ]);
    rows(db, 'INSERT INTO minutes_usage VALUES (?, ?, ?, ?)', [
      ['acme-corp', 3000, 3000, at(-9 * DAY)],
      ['initech', 50_000, 12_400, at(-20 * DAY)],
    ]);
    rows(db, 'INSERT INTO shotgun_orgs VALUES (?, ?, ?, ?, ?, ?)', [
      ['acme-corp', 'Business', 10, 'blocked', 3, null],
      ['initech', 'Enterprise', 50, 'allowed', 0, 'proxy.initech.example:8080'],
    ]);
    rows(db, 'INSERT INTO shotgun_seats VALUES (?, ?, ?, ?)', [
      ['acme-corp', 'mona', at(40 * DAY), at(60)],
      ['acme-corp', 'hubot', at(40 * DAY), null],
      ['initech', 'octo-dev', at(10 * DAY), at(2 * DAY)],
    ]);
    rows(db, 'INSERT INTO shotgun_plugins VALUES (?, ?, ?, ?)', [
      ['mona', 'vscode', '1.250.0', at(60)],
      ['octo-dev', 'jetbrains', '1.2.0', at(2 * DAY)],
    ]);
    rows(db, 'INSERT INTO moderation_queue (user_id, at, kind, title, status, reason) VALUES (?, ?, ?, ?, ?, ?)', [
      ['demo-user', at(120), 'post', 'Runner keeps going offline', 'held', 'new user posting more than 2 links'],
      [
        'demo-user',
        at(DAY),
        'topic',
        'Free minutes for students?',
        'approved',
        'spam filter false positive, approved by a moderator',
      ],
      ['octo-dev', at(3 * DAY), 'post', 'Selling cheap seats', 'hidden', 'flagged as spam by 3 members'],
    ]);
    rows(db, 'INSERT INTO docs_pages VALUES (?, ?, ?, ?, ?, ?)', [
      [
        '/en/actions/hosting-your-own-runners',
        'Hosting your own runners',
        'moved',
        '/en/workers/self-hosted-runners',
        at(10 * DAY),
        'the Actions docs moved under Workers',
      ],
      [
        '/en/authentication/securing-your-account/recovery-codes',
        'Recovery codes',
        'broken_link_reported',
        null,
        at(30 * DAY),
        'the "download codes" link points to a removed page',
      ],
      ['/en/webhooks/about-webhooks', 'About webhooks', 'ok', null, at(5 * DAY), 'no open reports'],
    ]);
    rows(db, 'INSERT INTO community_profiles VALUES (?, ?, ?, ?, ?)', [
      ['demo-user', 0, 'none', 1, null],
      ['mona', 3, 'member', 420, null],
      ['octo-dev', 1, 'nominated', 37, at(-2 * DAY)],
    ]);
  });
  seed.immediate();
}
