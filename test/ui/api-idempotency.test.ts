/**
 * The browser's API client (ui/src/shared/api.ts) against a real local HTTP server: a person's action is sent
 * with an Idempotency-Key, the same key while the same request has no definite answer (no answer, 5xx), and a
 * new one after an answer (2xx, 4xx) or for another request. With it the server bounds the wait for a worker
 * (client/accept-deadline.ts) and a resend after its 503 joins the first instead of acting twice.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ApiFailure, createApi, KEPT_KEY_MS, stillApplying } from '../../ui/src/shared/api';

/** Answers each request with the next status of its path's script (200 once the script is spent). */
const scripts = new Map<string, number[]>();
const keys: { path: string; key: string | undefined }[] = [];
let base = '';
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const path = req.url ?? '';
    keys.push({ path, key: req.headers['idempotency-key'] as string | undefined });
    const status = scripts.get(path)?.shift() ?? 200;
    res.writeHead(status, { 'content-type': 'application/json' });
    // 503s on /v1/e come as the API's own "retry" answer; the others as a proxy's. A 202 is "still applying".
    const code = path === '/v1/e' ? 'upstream_unavailable' : 'x';
    const ok = status === 202 ? { accepted: true, applied: false, result: null } : { accepted: true, applied: true };
    res.end(JSON.stringify(status < 400 ? ok : { error: { code, message: `status ${status}` } }));
  });
});

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise((r) => server.close(r)));

const api = createApi(() => 'token');
const keysOf = (path: string) => keys.filter((k) => k.path === path).map((k) => k.key);
const post = (path: string, body: unknown) =>
  api.post(`${base}${path}`, body, { idempotent: true }).then(
    () => 200,
    (err: unknown) => (err instanceof ApiFailure ? err.status : -1),
  );

describe('the browser API client: Idempotency-Key on actions', () => {
  test('a resend after 503 carries the first key; after success the same request is a new one', async () => {
    scripts.set('/v1/a', [503, 503]);
    assert.deepEqual(
      [await post('/v1/a', { x: 1 }), await post('/v1/a', { x: 1 }), await post('/v1/a', { x: 1 })],
      [503, 503, 200],
    );
    await post('/v1/a', { x: 1 });
    const [first, second, third, fourth] = keysOf('/v1/a');
    assert.ok(first && first.length >= 16, 'a key is sent');
    assert.equal(second, first);
    assert.equal(third, first, 'the attempt that succeeds still joins the first');
    assert.notEqual(fourth, first, 'the same request after its answer is a new action');
  });

  test('a refusal (4xx) ends the key; another body is another action', async () => {
    scripts.set('/v1/b', [503, 409]);
    const answers = [];
    for (const text of ['one', 'one', 'one', 'two']) answers.push(await post('/v1/b', { text }));
    assert.deepEqual(answers, [503, 409, 200, 200]);
    const [first, refused, afterRefusal, other] = keysOf('/v1/b');
    assert.equal(refused, first, 'the resend after 503 joins the first');
    assert.notEqual(afterRefusal, first, 'after a refusal the same request is a new attempt');
    assert.ok(other && other !== afterRefusal, 'another body, another key');
  });

  test("the API's own 503 is sent again with the same key, twice at most", async () => {
    scripts.set('/v1/e', [503, 503, 503, 503]);
    assert.equal(await post('/v1/e', { n: 1 }), 503, 'three sends, then the 503');
    assert.equal(await post('/v1/e', { n: 1 }), 200, 'the fourth 503, then the answer');
    const sent = keysOf('/v1/e');
    assert.equal(sent.length, 5);
    assert.equal(new Set(sent).size, 1, 'one key for all five');
  });

  test('an action still being applied (202) keeps its key: the same click again joins it', async () => {
    scripts.set('/v1/f', [202, 202]);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await api.post(`${base}/v1/f`, { a: 1 }, { idempotent: true }));
    assert.deepEqual(
      answers.map((a) => stillApplying(a)),
      [true, true, false, false],
    );
    const [first, second, applied, next] = keysOf('/v1/f');
    assert.equal(second, first, 'the second click joins the action still being applied');
    assert.equal(applied, first, 'and so does the one that gets its answer');
    assert.notEqual(next, first, 'after the answer the same request is a new action');
  });

  test('a kept key ends with its time: the same request much later is a new action', async () => {
    let clock = 1_000_000;
    const timed = createApi(
      () => 'token',
      () => clock,
    );
    scripts.set('/v1/g', [202, 202]);
    await timed.post(`${base}/v1/g`, { text: 'Any news?' }, { idempotent: true });
    clock += KEPT_KEY_MS - 1;
    await timed.post(`${base}/v1/g`, { text: 'Any news?' }, { idempotent: true });
    clock += KEPT_KEY_MS + 1;
    await timed.post(`${base}/v1/g`, { text: 'Any news?' }, { idempotent: true });
    const [first, soon, later] = keysOf('/v1/g');
    assert.equal(soon, first, 'within its time the key joins the first');
    assert.notEqual(later, first, 'past it the same words are a new message');
  });

  test('reads and other posts carry no key', async () => {
    await api.post(`${base}/v1/c`, {});
    await api.get(`${base}/v1/d`);
    assert.deepEqual([...keysOf('/v1/c'), ...keysOf('/v1/d')], [undefined, undefined]);
  });
});
