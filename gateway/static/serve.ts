/**
 * Serves the built UI (ui/dist) from memory. The files are few and small, so they are read once at start:
 * no disk I/O per request, and a missing build is reported once, clearly, instead of as 404s.
 *
 * Paths: `/` the landing page, `/console` (and below) the agents' console, `/ticket` (and below, e.g.
 * `/ticket/<id>`) the customer page, `/assets/*` the hashed bundles. HTML is never cached (it names the
 * current bundles); hashed assets are immutable for a year.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { Logger } from '../../core/logger';
import { PERMISSIONS_POLICY } from '../http/respond';

export const DEFAULT_UI_DIST = path.resolve(__dirname, '..', '..', 'ui', 'dist');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Same-origin only, no inline scripts, no third parties: the UI needs nothing else. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

interface StaticFile {
  body: Buffer;
  contentType: string;
  cacheControl: string;
}

export interface StaticSite {
  /** False when ui/dist has not been built; pages then answer 503 with how to build. */
  readonly built: boolean;
  readonly files: ReadonlyMap<string, StaticFile>;
}

export function loadStaticSite(distDir: string = DEFAULT_UI_DIST): StaticSite {
  const files = new Map<string, StaticFile>();
  if (!fs.existsSync(path.join(distDir, 'index.html'))) return { built: false, files };
  for (const rel of walk(distDir)) {
    const urlPath = '/' + rel.split(path.sep).join('/');
    const immutable = urlPath.startsWith('/assets/');
    files.set(urlPath, {
      body: fs.readFileSync(path.join(distDir, rel)),
      contentType: CONTENT_TYPES[path.extname(rel).toLowerCase()] ?? 'application/octet-stream',
      cacheControl: immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  }
  return { built: true, files };
}

function walk(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(root, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** Which file answers a page path; undefined for paths that are not pages. */
export function pageFor(urlPath: string): string | undefined {
  if (urlPath === '/' || urlPath === '/index.html') return '/index.html';
  if (urlPath === '/console' || urlPath.startsWith('/console/')) return '/console.html';
  if (urlPath === '/ticket' || urlPath.startsWith('/ticket/')) return '/customer.html';
  return undefined;
}

export function registerStaticRoutes(app: TemplatedApp, opts: { distDir?: string; logger?: Logger } = {}): StaticSite {
  const site = loadStaticSite(opts.distDir);
  if (!site.built) {
    opts.logger?.warn('ui not built: pages will answer 503 (run `npm run build:ui`)', {
      distDir: opts.distDir ?? DEFAULT_UI_DIST,
    });
  }
  const handler = (res: HttpResponse, req: HttpRequest) => {
    const method = req.getMethod();
    const urlPath = req.getUrl();
    const page = pageFor(urlPath);
    const file = site.files.get(page ?? urlPath);
    if (method !== 'get' && method !== 'head') {
      res
        .writeStatus('405 Method Not Allowed')
        .writeHeader('Allow', 'GET, HEAD')
        .writeHeader('Content-Type', 'text/plain; charset=utf-8')
        .end('method not allowed');
      return;
    }
    if (!file) {
      if (page && !site.built) {
        res
          .writeStatus('503 Service Unavailable')
          .writeHeader('Content-Type', 'text/plain; charset=utf-8')
          .end('The UI is not built yet: run `npm run build:ui`.');
        return;
      }
      res
        .writeStatus('404 Not Found')
        .writeHeader('Content-Type', 'text/plain; charset=utf-8')
        .writeHeader('Cache-Control', 'no-store')
        .end('not found');
      return;
    }
    res
      .writeStatus('200 OK')
      .writeHeader('Content-Type', file.contentType)
      .writeHeader('Cache-Control', file.cacheControl)
      .writeHeader('X-Content-Type-Options', 'nosniff');
    if (file.contentType.startsWith('text/html')) {
      res
        .writeHeader('Content-Security-Policy', CSP)
        .writeHeader('Referrer-Policy', 'no-referrer')
        .writeHeader('X-Frame-Options', 'DENY')
        .writeHeader('Permissions-Policy', PERMISSIONS_POLICY);
    }
    // uWS answers HEAD from end() (headers and length, no body); endWithoutBody(length) aborts the process
    // in this uWS build, so it is never used.
    res.end(file.body);
  };
  for (const pattern of [
    '/',
    '/index.html',
    '/console',
    '/console/*',
    '/ticket',
    '/ticket/*',
    '/assets/*',
    '/favicon.svg',
  ]) {
    app.any(pattern, handler);
  }
  return site;
}
