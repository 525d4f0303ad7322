import { generateKeyPairSync } from 'node:crypto';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import jwt from 'jsonwebtoken';
import { loadConfig } from '../../core/config';
import { authorizeTicket } from '../../gateway/auth/authorize';
import { AuthError } from '../../gateway/auth/errors';
import { createMemoryJtiStore } from '../../gateway/auth/jti-store';
import { createJwtAuth } from '../../gateway/auth/jwt';
import { JwtConfigError } from '../../gateway/auth/keys';
import { authenticateStream } from '../../gateway/auth/stream-credentials';

const SECRET = 'unit-test-secret-that-is-long-enough-0123456789';
const cfg = loadConfig({ JWT_SECRET: SECRET }).jwt;
const auth = createJwtAuth(cfg);

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AuthError, `expected AuthError, got ${String(err)}`);
    return err.reason;
  }
  return 'accepted';
}

const base = { sub: 'u1', incident_id: 'T1', role: 'customer' };
const sign = (payload: object, opts: jwt.SignOptions = {}, key: string = SECRET) => {
  const merged: jwt.SignOptions = {
    algorithm: 'HS256',
    audience: cfg.audience,
    issuer: cfg.issuer,
    jwtid: 'j1',
    expiresIn: 60,
    ...opts,
  };
  // An explicit `undefined` means "leave this claim out" (jsonwebtoken rejects undefined option values).
  for (const k of Object.keys(merged) as (keyof jwt.SignOptions)[]) if (merged[k] === undefined) delete merged[k];
  return jwt.sign(payload, key, merged);
};

void test('access tokens: each kind of bad token is refused with its reason', () => {
  const now = Math.floor(Date.now() / 1000);
  assert.equal(
    reason(() => auth.verifyAccessToken('')),
    'missing',
  );
  assert.equal(
    reason(() => auth.verifyAccessToken('garbage')),
    'malformed',
  );
  assert.equal(
    reason(() => auth.verifyAccessToken('a.b.c')),
    'malformed',
  );
  const none = jwt.sign(base, '', {
    algorithm: 'none',
    audience: cfg.audience,
    issuer: cfg.issuer,
    jwtid: 'j',
    expiresIn: 60,
  });
  assert.equal(
    reason(() => auth.verifyAccessToken(none)),
    'wrong_algorithm',
  );
  assert.equal(
    reason(() => auth.verifyAccessToken(sign(base, { algorithm: 'HS512' }))),
    'wrong_algorithm',
  );
  assert.equal(
    reason(() => auth.verifyAccessToken(sign(base, {}, 'another-secret-that-is-long-enough-000000000'))),
    'bad_signature',
  );
  assert.equal(
    reason(() => auth.verifyAccessToken(sign({ ...base, exp: now - 60 }, { expiresIn: undefined }))),
    'expired',
  );
  // Within the 10 s tolerance: accepted.
  assert.equal(
    reason(() => auth.verifyAccessToken(sign({ ...base, exp: now - 5 }, { expiresIn: undefined }))),
    'accepted',
  );
  assert.equal(
    reason(() => auth.verifyAccessToken(sign({ ...base, nbf: now + 120 }))),
    'not_yet_valid',
  );
  assert.equal(
    reason(() => auth.verifyAccessToken(sign(base, { audience: 'other' }))),
    'wrong_audience',
  );
  assert.equal(
    reason(() => auth.verifyAccessToken(sign(base, { issuer: 'evil' }))),
    'wrong_issuer',
  );
  assert.equal(
    reason(() => auth.verifyAccessToken(sign({ role: 'customer' }, { jwtid: undefined }))),
    'missing_claims',
  );
  assert.equal(
    reason(() => auth.verifyAccessToken(sign({ ...base }, { expiresIn: undefined }))),
    'missing_claims',
  );
  assert.equal(
    reason(() => auth.verifyAccessToken(sign({ ...base, pad: 'x'.repeat(5000) }))),
    'too_large',
  );
  assert.equal(
    reason(() => auth.verifyAccessToken(sign({ ...base, role: 'root' }))),
    'missing_claims',
  );
  const p = auth.verifyAccessToken(sign(base));
  assert.deepEqual([p.sub, p.jti, p.role, p.incidentId, p.kind], ['u1', 'j1', 'customer', 'T1', 'access']);
});

void test('authorizeTicket: customers only their incident, agents any, ws-tickets their bound ticket', () => {
  const customer = auth.verifyAccessToken(auth.signAccessToken({ sub: 'c', incidentId: 'T1' }, 60_000));
  assert.doesNotThrow(() => authorizeTicket(customer, 'T1'));
  assert.equal(
    reason(() => authorizeTicket(customer, 'T2')),
    'forbidden',
  );
  const noIncident = auth.verifyAccessToken(auth.signAccessToken({ sub: 'c' }, 60_000));
  assert.equal(
    reason(() => authorizeTicket(noIncident, 'T1')),
    'missing_claims',
  );
  const agent = auth.verifyAccessToken(auth.signAccessToken({ sub: 'a', role: 'agent' }, 60_000));
  assert.doesNotThrow(() => authorizeTicket(agent, 'T2'));
  const wt = auth.verifyWsTicket(auth.mintWsTicket(agent, 'T3', 60_000).ticket);
  assert.doesNotThrow(() => authorizeTicket(wt, 'T3'));
  assert.equal(
    reason(() => authorizeTicket(wt, 'T2')),
    'forbidden',
  );
});

async function asyncReason(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return err instanceof AuthError ? err.reason : String(err);
  }
}

void test('ws-tickets are single use and not valid as access tokens (and vice versa)', async () => {
  const jtis = createMemoryJtiStore();
  const agent = auth.verifyAccessToken(auth.signAccessToken({ sub: 'a', role: 'agent' }, 60_000));
  const { ticket } = auth.mintWsTicket(agent, 'T9', 60_000);
  const creds = { authorization: '', protocols: '', queryToken: ticket };
  assert.equal((await authenticateStream(auth, jtis, creds)).principal.incidentId, 'T9');
  assert.equal(await asyncReason(authenticateStream(auth, jtis, creds)), 'replayed');
  assert.equal(
    reason(() => auth.verifyAccessToken(ticket)),
    'wrong_audience',
  );
  const access = auth.signAccessToken({ sub: 'a', role: 'agent' }, 60_000);
  assert.equal(
    await asyncReason(authenticateStream(auth, jtis, { authorization: '', protocols: '', queryToken: access })),
    'wrong_audience',
  );
});

void test('the browser form: token in Sec-WebSocket-Protocol, answered with ticketflow.v1 only', async () => {
  const token = auth.signAccessToken({ sub: 'c', incidentId: 'T1' }, 60_000);
  const r = await authenticateStream(auth, createMemoryJtiStore(), {
    authorization: '',
    protocols: `ticketflow.v1, bearer.${token}`,
    queryToken: '',
  });
  assert.equal(r.protocol, 'ticketflow.v1');
  assert.equal(r.principal.sub, 'c');
});

void test('no key configured -> refuses; RS256 verifies with a public key and rejects HS256 made with it', () => {
  assert.throws(() => createJwtAuth(loadConfig({}).jwt), JwtConfigError);
  assert.throws(() => createJwtAuth(loadConfig({ JWT_SECRET: 'short' }).jwt), /too short/);
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pub = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  // A public key alone cannot sign ws-tickets, and a key made per process would not verify at another instance.
  assert.throws(
    () => createJwtAuth(loadConfig({ JWT_ALGORITHM: 'RS256', JWT_PUBLIC_KEY: pub }).jwt),
    /WS_TICKET_SECRET is not set/,
  );
  const rsEnv = {
    JWT_ALGORITHM: 'RS256',
    JWT_PUBLIC_KEY: pub,
    WS_TICKET_SECRET: 'ws-ticket-secret-shared-by-every-gateway',
  } as NodeJS.ProcessEnv;
  const rsCfg = loadConfig(rsEnv).jwt;
  const rs = createJwtAuth(rsCfg);
  assert.equal(rs.canSign, false);
  const good = jwt.sign(base, privateKey, {
    algorithm: 'RS256',
    audience: rsCfg.audience,
    issuer: rsCfg.issuer,
    jwtid: 'j',
    expiresIn: 60,
  });
  assert.equal(rs.verifyAccessToken(good).sub, 'u1');
  const confused = jwt.sign(base, pub, {
    algorithm: 'HS256',
    audience: rsCfg.audience,
    issuer: rsCfg.issuer,
    jwtid: 'j',
    expiresIn: 60,
  });
  assert.equal(
    reason(() => rs.verifyAccessToken(confused)),
    'wrong_algorithm',
  );
  // ws-tickets use the configured secret: one minted here verifies at another instance.
  const wt = rs.mintWsTicket(rs.verifyAccessToken(good), 'T1', 60_000).ticket;
  assert.equal(createJwtAuth(loadConfig(rsEnv).jwt).verifyWsTicket(wt).incidentId, 'T1');
});
