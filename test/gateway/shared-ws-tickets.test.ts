/**
 * Two gateway instances of one deployment: a ws-ticket minted at A is redeemed once in the whole deployment.
 * The used ids live in the shared store (SQLite in a shared data dir; PostgreSQL by URL, a real throwaway
 * server), and ws-tickets are signed with the configured key, so one minted at A verifies at B even when the
 * gateways hold only the JWT public key.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import jwt from 'jsonwebtoken';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import {
  ev,
  MemorySnapshots,
  startGateway,
  StreamClient,
  streamUrl,
  uniqueName,
  type RunningGateway,
  cleanupsAfterAll,
} from './harness';

const cleanup = cleanupsAfterAll();

async function mint(g: RunningGateway, token: string, ticketId: string): Promise<string> {
  const res = await fetch(`${g.url}/v1/ws-tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ticketId }),
  });
  assert.equal(res.status, 201);
  return ((await res.json()) as { ticket: string }).ticket;
}

async function answer(url: string): Promise<number> {
  const c = new StreamClient(url);
  const status = await c.waitAnswered();
  c.ws.terminate();
  return status;
}

async function pair(env: NodeJS.ProcessEnv): Promise<[RunningGateway, RunningGateway]> {
  const snapshots = new MemorySnapshots();
  const a = await startGateway({ env, snapshots });
  cleanup(() => a.stop());
  const b = await startGateway({ env, snapshots, topic: a.topic });
  cleanup(() => b.stop());
  return [a, b];
}

/** Mints at A, redeems at A, replays at B (refused); a second ticket minted at A opens at B. */
async function usedOnceAcrossInstances(a: RunningGateway, b: RunningGateway, accessToken: string): Promise<void> {
  const t = uniqueName('T');
  a.snapshots.set(t, [ev(t, 1)]);
  const ticket = await mint(a, accessToken, t);
  const query = (wt: string) => `?token=${encodeURIComponent(wt)}`;
  assert.equal(await answer(streamUrl(a, t, query(ticket))), 101, 'first use at A');
  assert.equal(await answer(streamUrl(b, t, query(ticket))), 401, 'the same ws-ticket replayed at B');
  assert.equal(await answer(streamUrl(a, t, query(ticket))), 401, 'and at A');
  const second = await mint(a, accessToken, t);
  assert.equal(await answer(streamUrl(b, t, query(second))), 101, 'a ws-ticket minted at A verifies at B');
}

void describe('ws-tickets across gateway instances', () => {
  void test('SQLite in a shared data dir: a ws-ticket used at A is refused at B', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-jti-'));
    cleanup(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const [a, b] = await pair({ TICKETFLOW_DATA_DIR: dir, WS_TICKET_DATABASE_URL: '' });
    await usedOnceAcrossInstances(a, b, a.gw.auth.signAccessToken({ sub: 'agent-1', role: 'agent' }, 300_000));
  });

  void test('PostgreSQL, gateways holding only the JWT public key: used at A, refused at B', async (t) => {
    const pg: TestPostgres | null = await startTestPostgres();
    if (!pg) return t.skip('no PostgreSQL installed (initdb/pg_ctl not found)');
    cleanup(() => pg.stop());
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const [a, b] = await pair({
      JWT_ALGORITHM: 'RS256',
      JWT_SECRET: '',
      JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      WS_TICKET_SECRET: 'ws-ticket-secret-shared-by-both-gateways',
      WS_TICKET_DATABASE_URL: await pg.database(),
    });
    const access = jwt.sign({ sub: 'agent-1', role: 'agent' }, privateKey, {
      algorithm: 'RS256',
      audience: a.config.jwt.audience,
      issuer: a.config.jwt.issuer,
      jwtid: uniqueName('jti'),
      expiresIn: 300,
    });
    await usedOnceAcrossInstances(a, b, access);
  });
});
