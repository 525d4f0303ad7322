/**
 * A subject that is personal data becomes a pseudonym at the authentication edge (core/user-ids.ts, through
 * gateway/auth/jwt.ts): stable, scoped to the organisation, keyed by USER_ID_SECRET; an opaque subject keeps
 * its id. Tokens the gateway signs for a verified caller (a refresh, a ticket's token, a ws-ticket) come back
 * with the same id, and a subject chosen to look like someone's pseudonym does not get theirs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import jwt from 'jsonwebtoken';
import { ConfigError, loadConfig } from '../../core/config';
import { createUserIds } from '../../core/user-ids';
import { createJwtAuth } from '../../gateway/auth/jwt';
import { JwtConfigError } from '../../gateway/auth/keys';

const SECRET_A = 'user-id-secret-a-that-is-long-enough-0123456789';
const SECRET_B = 'user-id-secret-b-that-is-long-enough-0123456789';
const PSEUDONYM = /^u-[a-z2-7]{26}$/;

const OPAQUE = ['auth0|5f7c8ec7c33c6c004bbafe82', '123e4567-e89b-12d3-a456-426614174000', 'cust-42', 'mona'];
const PERSONAL = ['alice@example.com', '+14155550123', 'sms|+44 20 7946 0958', 'email|bob@example.org'];

describe('createUserIds', () => {
  const ids = createUserIds(SECRET_A);

  test('personal data becomes a pseudonym that holds none of it; an opaque subject stays as it is', () => {
    for (const subject of PERSONAL) {
      const id = ids.ofSubject('acme-corp', subject);
      assert.match(id, PSEUDONYM, subject);
      for (const part of subject.split(/[@|+ .]/).filter((p) => p.length >= 3))
        assert.ok(!id.includes(part.toLowerCase()), `${id} holds ${part}`);
    }
    for (const subject of OPAQUE) assert.equal(ids.ofSubject('acme-corp', subject), subject);
  });

  test('stable, scoped to the organisation, and keyed by the secret', () => {
    const id = ids.ofSubject('acme-corp', 'alice@example.com');
    assert.equal(ids.ofSubject('acme-corp', 'alice@example.com'), id, 'the same person, the same id');
    assert.equal(createUserIds(SECRET_A).ofSubject('acme-corp', 'alice@example.com'), id, 'in another process too');
    assert.notEqual(ids.ofSubject('globex', 'alice@example.com'), id, 'another organisation, another id');
    assert.notEqual(ids.ofSubject('acme-corp', 'alice2@example.com'), id);
    assert.notEqual(createUserIds(SECRET_B).ofSubject('acme-corp', 'alice@example.com'), id, 'another secret');
  });

  test('a subject shaped like a pseudonym is hashed; a name given by an agent or operator keeps an id', () => {
    const alice = ids.ofSubject('acme-corp', 'alice@example.com');
    const chosen = ids.ofSubject('acme-corp', alice);
    assert.match(chosen, PSEUDONYM);
    assert.notEqual(chosen, alice, "a chosen subject never is someone else's id");
    assert.equal(ids.ofGiven('acme-corp', alice), alice);
    assert.equal(ids.ofGiven('acme-corp', 'alice@example.com'), alice);
    assert.equal(ids.ofGiven('acme-corp', 'cust-42'), 'cust-42');
  });

  test('a short secret is refused', () => {
    assert.throws(() => createUserIds('short'), /at least 32 bytes/);
  });
});

describe('the id a verified token gives its caller', () => {
  const JWT_SECRET = 'unit-test-secret-that-is-long-enough-0123456789';
  const cfg = loadConfig({ JWT_SECRET, USER_ID_SECRET: SECRET_A }).jwt;
  const auth = createJwtAuth(cfg);
  const ids = createUserIds(SECRET_A);
  /** A token as the identity provider issues it. */
  const fromProvider = (sub: string, orgId?: string) =>
    jwt.sign({ sub, role: 'customer', ...(orgId ? { org_id: orgId } : {}) }, JWT_SECRET, {
      algorithm: 'HS256',
      audience: cfg.audience,
      issuer: cfg.issuer,
      jwtid: `j-${sub}`,
      expiresIn: 600,
    });

  test("an e-mail subject is the principal's pseudonym, in its organisation or in none", () => {
    const principal = auth.verifyAccessToken(fromProvider('alice@example.com', 'acme-corp'));
    assert.equal(principal.sub, ids.ofSubject('acme-corp', 'alice@example.com'));
    assert.equal(
      auth.verifyAccessToken(fromProvider('alice@example.com')).sub,
      ids.ofSubject('none', 'alice@example.com'),
    );
    assert.equal(auth.verifyAccessToken(fromProvider('cust-42', 'acme-corp')).sub, 'cust-42');
  });

  test('tokens the gateway signs for a verified caller keep the id: a refresh, a ticket token, a ws-ticket', () => {
    const principal = auth.verifyAccessToken(fromProvider('+14155550123', 'acme-corp'));
    assert.match(principal.sub, PSEUDONYM);
    const refreshed = auth.signAccessToken(
      { sub: principal.sub, subjectIsUserId: true, role: 'customer', orgId: 'acme-corp' },
      60_000,
    );
    assert.equal(auth.verifyAccessToken(refreshed).sub, principal.sub);
    const wsTicket = auth.mintWsTicket(principal, 'T1', 60_000).ticket;
    assert.equal(auth.verifyWsTicket(wsTicket).sub, principal.sub);
    assert.doesNotMatch(JSON.stringify(jwt.decode(wsTicket)), /4155550123/);
  });

  test("a provider's subject shaped like someone's pseudonym does not get their id", () => {
    const alice = auth.verifyAccessToken(fromProvider('alice@example.com', 'acme-corp')).sub;
    assert.notEqual(auth.verifyAccessToken(fromProvider(alice, 'acme-corp')).sub, alice);
  });
});

describe('USER_ID_SECRET', () => {
  test('production refuses to start the gateway without it; a short one is a config error', () => {
    const JWT_SECRET = 'unit-test-secret-that-is-long-enough-0123456789';
    assert.throws(
      () => createJwtAuth(loadConfig({ NODE_ENV: 'production', JWT_SECRET }).jwt),
      (err: unknown) => err instanceof JwtConfigError && /USER_ID_SECRET/.test(err.message),
    );
    const auth = createJwtAuth(loadConfig({ NODE_ENV: 'production', JWT_SECRET, USER_ID_SECRET: SECRET_B }).jwt);
    assert.equal(auth.userIds.ofSubject('o', 'a@example.com'), createUserIds(SECRET_B).ofSubject('o', 'a@example.com'));
    assert.throws(() => loadConfig({ USER_ID_SECRET: 'short' }), ConfigError);
  });
});
