/**
 * uWebSockets.js HTTP helpers that keep the library's rules in one place:
 * - a response that is not answered synchronously needs an abort handler, or uWS terminates the process;
 * - after an abort the response object must not be touched again;
 * - writes made outside the handler's first synchronous tick must be corked;
 * - body chunks are neutered when onData returns, so each one is copied.
 *
 * `guardResponse(res)` attaches the one abort handler and tracks the response's life (`res` only has room for
 * one onAborted handler, so every helper here shares it). Call it, or `readJsonBody`, before the first await.
 *
 * @example
 * app.post('/v1/things', (res, req) => {
 *   const auth = req.getHeader('authorization'); // copy everything from req first
 *   const body = readJsonBody(res, 16 * 1024);   // attaches onAborted + onData in this tick
 *   void body.then((json) => sendJson(res, 201, { ok: true, json }), (err) => sendHttpError(res, err));
 * });
 */
import { STATUS_CODES } from 'node:http';
import type { HttpResponse } from 'uWebSockets.js';

/** An error that carries its HTTP answer; anything else maps to 500 without leaking its message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

interface ResponseLife {
  aborted: boolean;
  answered: boolean;
  onAbort: (() => void)[];
  /** Set for a HEAD request: the answer keeps its status and headers and drops its body. */
  head?: boolean;
}

const LIFE = Symbol('ticketflow.responseLife');

/** Attaches the abort handler once and returns the response's life record (shared by all helpers). */
export function guardResponse(res: HttpResponse): ResponseLife {
  const existing = res[LIFE as unknown as string] as ResponseLife | undefined;
  if (existing) return existing;
  const life: ResponseLife = { aborted: false, answered: false, onAbort: [] };
  res[LIFE as unknown as string] = life;
  res.onAborted(() => {
    life.aborted = true;
    for (const fn of life.onAbort.splice(0)) fn();
  });
  return life;
}

/** True while the response may still be written to. */
export function isOpen(res: HttpResponse): boolean {
  const life = guardResponse(res);
  return !life.aborted && !life.answered;
}

export function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? 'Unknown'}`;
}

/**
 * Answers with a JSON body. Corked (safe from any tick) and a no-op once aborted or already answered;
 * returns whether it wrote.
 */
export function sendJson(
  res: HttpResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): boolean {
  return sendText(res, status, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8', ...headers });
}

/** Nothing the gateway serves needs a camera, microphone, location or payment: refused for every answer. */
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()';

/** Answers with a text body; same rules as sendJson. */
export function sendText(
  res: HttpResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): boolean {
  const life = guardResponse(res);
  if (life.aborted || life.answered) return false;
  life.answered = true;
  res.cork(() => {
    res.writeStatus(statusLine(status));
    res.writeHeader('permissions-policy', PERMISSIONS_POLICY);
    for (const [k, v] of Object.entries(headers)) res.writeHeader(k, v);
    // A HEAD answer has no body; a 413 closes the connection, so the rest of a body we refused is never read.
    res.end(life.head ? '' : body, status === 413);
  });
  return true;
}

/** The error shape every gateway endpoint uses: `{ "error": { "code", "message" } }`. */
export function sendError(
  res: HttpResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): boolean {
  return sendJson(res, status, { error: { code, message } }, headers);
}

/** Answers an HttpError with its status; anything else is a 500 whose detail stays in the logs. */
export function sendHttpError(res: HttpResponse, err: unknown): boolean {
  if (err instanceof HttpError) return sendError(res, err.status, err.code, err.message);
  return sendError(res, 500, 'internal', 'internal error');
}

/**
 * Collects a request body (copying each chunk, since uWS neuters them) and parses it as JSON.
 * Must be called in the handler's first synchronous tick. Rejects with HttpError 413 as soon as the body
 * passes `maxBytes` (declared or received), 400 for invalid JSON, and with HttpError 499 `aborted` if the
 * client goes away (nothing can be answered then; callers just stop).
 */
export function readJsonBody(res: HttpResponse, maxBytes: number, declaredLength?: number): Promise<unknown> {
  return readBody(res, maxBytes, declaredLength).then(parseJsonBody);
}

/** A request's Content-Type says JSON, or says nothing (then the body is read as JSON anyway). */
export function acceptsAsJson(contentType: string): boolean {
  return !contentType || /^application\/json\b/i.test(contentType);
}

/** A collected body as JSON: HttpError 400 when empty or not JSON (the body itself is never quoted). */
export function parseJsonBody(buf: Buffer): unknown {
  if (buf.length === 0) throw new HttpError(400, 'bad_request', 'request body is empty; expected JSON');
  try {
    return JSON.parse(buf.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'bad_json', 'request body is not valid JSON');
  }
}

/** Collects a raw body; same rules as readJsonBody. */
export function readBody(res: HttpResponse, maxBytes: number, declaredLength?: number): Promise<Buffer> {
  const life = guardResponse(res);
  return new Promise<Buffer>((resolve, reject) => {
    if (declaredLength !== undefined && declaredLength > maxBytes) {
      // Refuse before reading a byte; the chunks that still arrive are ignored below.
      reject(new HttpError(413, 'payload_too_large', `request body is larger than ${maxBytes} bytes`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = declaredLength !== undefined && declaredLength > maxBytes;
    life.onAbort.push(() => {
      if (settled) return;
      settled = true;
      reject(new HttpError(499, 'aborted', 'client closed the request'));
    });
    res.onData((chunk, isLast) => {
      if (settled) return;
      size += chunk.byteLength;
      if (size > maxBytes) {
        settled = true;
        reject(new HttpError(413, 'payload_too_large', `request body is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(Buffer.from(chunk.slice(0))); // copy: the ArrayBuffer is neutered after this callback
      if (isLast) {
        settled = true;
        resolve(Buffer.concat(chunks, size));
      }
    });
  });
}

/** Reads a Content-Length header value; undefined when absent or not a number. */
export function parseContentLength(value: string): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The request data a handler may keep past its first tick (uWS's HttpRequest dies with the callback). */
export interface CopiedRequest {
  method: string;
  url: string;
  query: URLSearchParams;
  params: string[];
  header(name: string): string;
}

/** Copies method, url, query, the first `paramCount` route parameters and the named headers out of `req`. */
export function copyRequest(
  req: {
    getMethod(): string;
    getUrl(): string;
    getQuery(): string;
    getParameter(i: number): string;
    getHeader(k: string): string;
  },
  paramCount: number,
  headerNames: readonly string[],
): CopiedRequest {
  const headers = new Map<string, string>();
  for (const name of headerNames) headers.set(name, req.getHeader(name));
  const params: string[] = [];
  for (let i = 0; i < paramCount; i++) params.push(safeDecode(req.getParameter(i)));
  return {
    method: req.getMethod(),
    url: req.getUrl(),
    query: new URLSearchParams(req.getQuery() ?? ''),
    params,
    header: (name) => headers.get(name) ?? '',
  };
}

/** A URL part decoded, or as written when it is not valid percent-encoding (the schema then refuses it). */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Registers an async handler with the uWS rules applied: request copied first, abort handler attached,
 * errors answered (HttpError with its status, anything else 500 and reported to `onError`).
 */
export function asyncRoute(
  handler: (res: HttpResponse, req: CopiedRequest) => Promise<void>,
  opts: { params?: number; headers?: readonly string[]; onError?: (err: unknown, req: CopiedRequest) => void } = {},
) {
  return (res: HttpResponse, rawReq: Parameters<typeof copyRequest>[0]): void => {
    guardResponse(res);
    const req = copyRequest(
      rawReq,
      opts.params ?? 0,
      opts.headers ?? ['authorization', 'content-type', 'content-length'],
    );
    handler(res, req).catch((err: unknown) => {
      if (err instanceof HttpError && err.status === 499) return;
      if (!(err instanceof HttpError)) opts.onError?.(err, req);
      sendHttpError(res, err);
    });
  };
}
