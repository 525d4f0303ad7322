/** A verified access token is kept: a second request with it checks no signature, and it expires as jsonwebtoken says. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import jwt from 'jsonwebtoken';
import { loadConfig } from '../../core/config';
import { createJwtAuth, type Principal } from '../../gateway/auth/jwt';
import { VerifiedTokens } from '../../gateway/auth/verified-tokens';

const SECRET = 'unit-test-secret-that-is-long-enough-0123456789';
const cfg = loadConfig({ JWT_SECRET: SECRET }).jwt;

/** Counts jsonwebtoken's signature checks while `fn` runs. */
function countVerifies(fn: () => void): number {
  const original = jwt.verify;
  let calls = 0;
  jwt.verify = ((...args: Parameters<typeof jwt.verify>) => {
    calls++;
    return (original as (...a: unknown[]) => unknown)(...args);
  }) as typeof jwt.verify;
  try {
    fn();
  } finally {
    jwt.verify = original;
  }
  return calls;
}

test('the same access token twice is verified once; each caller gets its own principal', () => {
  const auth = createJwtAuth(cfg);
  const token = auth.signAccessToken({ sub: 'agent-1', role: 'agent' }, 60_000);
  let first!: Principal;
  let second!: Principal;
  const calls = countVerifies(() => {
    first = auth.verifyAccessToken(token);
    first.sub = 'changed by a caller';
    second = auth.verifyAccessToken(token);
  });
  assert.equal(calls, 1, 'the second request checked the signature again');
  assert.equal(second.sub, 'agent-1');
  assert.equal(second.role, 'agent');
  assert.equal(second.kind, 'access');
});

test('a refused token is not kept, and a ws-ticket is verified every time', () => {
  const auth = createJwtAuth(cfg);
  const forged = jwt.sign({ sub: 'x', jti: 'j' }, 'another-secret-that-is-long-enough-0123456789', {
    audience: cfg.audience,
    issuer: cfg.issuer,
    expiresIn: 60,
  });
  for (let i = 0; i < 2; i++) assert.throws(() => auth.verifyAccessToken(forged), /bad_signature|signature/);
  const principal = auth.verifyAccessToken(auth.signAccessToken({ sub: 'c-1', incidentId: 'T1' }, 60_000));
  const { ticket } = auth.mintWsTicket(principal, 'T1', 60_000);
  assert.equal(
    countVerifies(() => [1, 2].forEach(() => auth.verifyWsTicket(ticket))),
    2,
  );
});

test('a kept token expires at the instant jsonwebtoken would refuse it', () => {
  const exp = 2_000_000_000;
  const tolerance = 5;
  const token = jwt.sign({ sub: 'u', jti: 'j', exp }, SECRET);
  const refusedByLibrary = (ms: number) => {
    try {
      jwt.verify(token, SECRET, { clockTimestamp: Math.floor(ms / 1000), clockTolerance: tolerance });
      return false;
    } catch {
      return true;
    }
  };
  for (const ms of [(exp + tolerance) * 1000 - 1, (exp + tolerance) * 1000, (exp + tolerance) * 1000 + 999]) {
    let now = 0;
    const kept = new VerifiedTokens(tolerance, 8, () => now);
    kept.keep(token, { sub: 'u', jti: 'j', role: 'customer', expiresAt: exp * 1000 } as Principal);
    now = ms;
    assert.equal(kept.get(token) === undefined, refusedByLibrary(ms), `at ${ms}`);
  }
});

test('past its bound the oldest kept token goes first', () => {
  const kept = new VerifiedTokens(0, 2, () => 0);
  const p = { sub: 'u', expiresAt: 60_000 } as Principal;
  kept.keep('a', p);
  kept.keep('b', p);
  kept.keep('c', p);
  assert.equal(kept.size, 2);
  assert.equal(kept.get('a'), undefined);
  assert.ok(kept.get('b') && kept.get('c'));
});
