/**
 * Serving the built UI: the page paths (/, /console..., /ticket...) answer their HTML with no-cache and a
 * strict CSP, hashed assets are immutable with the right content type, and anything else is a plain 404.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as uWS from 'uWebSockets.js';
import { registerStaticRoutes } from '../../gateway/static/serve';

let listen: uWS.us_listen_socket | undefined;
let base = '';
let dist = '';

function serve(distDir: string): Promise<string> {
  const app = uWS.App();
  registerStaticRoutes(app, { distDir });
  // As in the gateway: whatever no route claims is a 404.
  app.any('/*', (res) => void res.writeStatus('404 Not Found').end('no such route'));
  return new Promise((resolve, reject) =>
    app.listen('127.0.0.1', 0, (socket) => {
      if (!socket) return reject(new Error('listen failed'));
      listen = socket;
      resolve(`http://127.0.0.1:${uWS.us_socket_local_port(socket)}`);
    }),
  );
}

before(async () => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-dist-'));
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<h1>landing</h1>');
  fs.writeFileSync(path.join(dist, 'console.html'), '<h1>console</h1>');
  fs.writeFileSync(path.join(dist, 'customer.html'), '<h1>customer</h1>');
  fs.writeFileSync(path.join(dist, 'assets', 'console-ABC123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dist, 'assets', 'styles-XYZ.css'), 'body{}');
  base = await serve(dist);
});

after(() => {
  if (listen) uWS.us_listen_socket_close(listen);
  fs.rmSync(dist, { recursive: true, force: true });
});

test('pages: landing, console and customer paths, never cached, with a CSP', async () => {
  for (const [p, body] of [
    ['/', 'landing'],
    ['/console', 'console'],
    ['/console/tickets/t-1', 'console'],
    ['/ticket', 'customer'],
    ['/ticket/t-abc', 'customer'],
  ] as const) {
    const res = await fetch(base + p);
    assert.equal(res.status, 200, p);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.match(await res.text(), new RegExp(body));
  }
});

test('hashed assets are immutable with their content type', async () => {
  const js = await fetch(`${base}/assets/console-ABC123.js`);
  assert.equal(js.status, 200);
  assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  const css = await fetch(`${base}/assets/styles-XYZ.css`);
  assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
  const head = await fetch(`${base}/assets/console-ABC123.js`, { method: 'HEAD' });
  assert.equal(head.status, 200);
});

test('unknown files are 404, other methods 405, and the file system is not reachable', async () => {
  assert.equal((await fetch(`${base}/assets/nope.js`)).status, 404);
  assert.equal((await fetch(`${base}/assets/../../etc/passwd`)).status, 404);
  assert.equal((await fetch(`${base}/assets/%2e%2e/%2e%2e/etc/passwd`)).status, 404);
  assert.equal((await fetch(`${base}/console`, { method: 'POST' })).status, 405);
});

test('without a build, pages say how to build instead of 404', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-empty-'));
  const app = uWS.App();
  registerStaticRoutes(app, { distDir: empty });
  const url = await new Promise<{ url: string; socket: uWS.us_listen_socket }>((resolve) =>
    app.listen('127.0.0.1', 0, (socket) =>
      resolve({
        socket: socket,
        url: `http://127.0.0.1:${uWS.us_socket_local_port(socket)}`,
      }),
    ),
  );
  try {
    const res = await fetch(`${url.url}/console`);
    assert.equal(res.status, 503);
    assert.match(await res.text(), /npm run build:ui/);
  } finally {
    uWS.us_listen_socket_close(url.socket);
    fs.rmSync(empty, { recursive: true, force: true });
  }
});
