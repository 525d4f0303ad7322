/**
 * One wrapper for every API route, so each handler is a plain async function of (principal, params, body).
 * The uWS rules live in gateway/http/respond.ts: the request is copied before the first await, the abort
 * handler is attached and the body read from the first tick, and answers are corked and dropped once the
 * client is gone.
 */
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { z } from 'zod';
import {
  acceptsAsJson,
  HttpError,
  copyRequest,
  guardResponse,
  parseContentLength,
  readBody,
  sendJson,
  type CopiedRequest,
} from '../http/respond';
import { requestLimits } from '../../client/contract';
import { API_LIMITS, RateLimited } from '../limits/rate-limits';
import type { ApiContext, Principal, Role } from './context';
import { ApiError, toApiError } from './errors';
import { TRACE_HEADERS, startRouteSpan } from './route-span';
import { MAX_BODY_BYTES, describeZodError } from './schemas';
import { jsonErrorWhere } from '../../core/json-error';
import { fingerprint } from '../idempotency/fingerprint';
import { IdempotencyKeyReused } from '../idempotency/guard';

export interface RouteInput<B> {
  principal: Principal;
  params: string[];
  query: URLSearchParams;
  body: B;
  /**
   * On a route that declares `idempotent`, when the caller sent an `Idempotency-Key`: the id of this very
   * request under that key (gateway/idempotency/guard.ts), the same for every retry of it and another for any
   * other request. Temporal's ids are derived from it, never from the key alone.
   */
  requestKey: string | undefined;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

export interface RouteSpec<S extends z.ZodType | undefined> {
  method: 'get' | 'post';
  pattern: string;
  /** Roles allowed to call the route; anyone else gets 403. */
  roles: readonly Role[];
  /** Number of `:param` segments in the pattern, copied from the request in order. */
  params?: number;
  body?: S;
  /**
   * Honours `Idempotency-Key`: the key is bound to this request (route, params, parsed body) until
   * IDEMPOTENCY_KEY_TTL, and the same key with another request is refused 422 before the handler runs.
   */
  idempotent?: boolean;
  handle(input: RouteInput<S extends z.ZodType ? z.infer<S> : undefined>): Promise<RouteResult>;
}

const NO_STORE = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/** Seconds a caller should wait before retrying after a 503 (Temporal unreachable). */
export const RETRY_AFTER_SECONDS = 2;

export function defineRoute<S extends z.ZodType | undefined>(
  app: TemplatedApp,
  ctx: ApiContext,
  spec: RouteSpec<S>,
): void {
  const headerNames = ['authorization', 'content-type', 'content-length', 'idempotency-key'];
  if (ctx.tracer) headerNames.push(...TRACE_HEADERS);
  app[spec.method](spec.pattern, (res: HttpResponse, req: HttpRequest) => {
    guardResponse(res);
    const copied = copyRequest(req, spec.params ?? 0, headerNames);
    // The body must be collected from the first tick on, before auth resolves, or its chunks are lost.
    const body =
      spec.method === 'post'
        ? readBody(res, MAX_BODY_BYTES, parseContentLength(copied.header('content-length')))
        : Promise.resolve(undefined);
    const span = startRouteSpan(ctx.tracer, spec.method, spec.pattern, copied.header);
    const answer = (status: number, payload: unknown, headers: Record<string, string>) => {
      span?.end(status);
      sendJson(res, status, payload, headers);
    };
    const work = () => run(ctx, spec, copied, body);
    void (span ? span.within(work) : work()).then(
      (result) => answer(result.status, result.body, NO_STORE),
      (err: unknown) => {
        if (err instanceof HttpError && err.status === 499) return span?.end(499); // the client left; nobody to answer
        if (err instanceof RateLimited) {
          return answer(
            429,
            { error: { code: 'rate_limited', message: err.message } },
            { ...NO_STORE, 'retry-after': String(err.retryAfterSec) },
          );
        }
        const apiError = err instanceof HttpError ? new ApiError(err.status, err.message, err.code) : toApiError(err);
        if (apiError.status === 503) {
          // An outage, not a bug: one line per request, without a stack.
          ctx.logger.warn('api request refused: upstream unavailable', {
            method: spec.method,
            route: spec.pattern,
            ticketId: copied.params[0],
            cause: (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : undefined,
          });
        } else if (apiError.status >= 500) {
          ctx.logger.error('api request failed', {
            method: spec.method,
            route: spec.pattern,
            ticketId: copied.params[0],
            err: errorSummary(err),
          });
        }
        // Unavailable is the one error where the same request can succeed later: say when to try.
        const headers =
          apiError.status === 503 ? { ...NO_STORE, 'retry-after': String(RETRY_AFTER_SECONDS) } : NO_STORE;
        answer(apiError.status, { error: { code: apiError.code, message: apiError.message } }, headers);
      },
    );
  });
}

async function run<S extends z.ZodType | undefined>(
  ctx: ApiContext,
  spec: RouteSpec<S>,
  req: CopiedRequest,
  bodyPromise: Promise<Buffer | undefined>,
): Promise<RouteResult> {
  // Wait for the body first so an oversized upload is answered 413 even when the token is bad.
  const raw = await bodyPromise;
  const principal = authenticate(ctx, req.header('authorization'));
  if (!spec.roles.includes(principal.role)) {
    throw new ApiError(403, `this action needs the ${spec.roles.join(' or ')} role`);
  }
  refuseRepeatedParams(req.query);
  const limit = API_LIMITS[`${spec.method} ${spec.pattern}`];
  if (limit) await ctx.limits?.consume(limit, principal.sub);
  let body: unknown = undefined;
  if (spec.body) {
    body = parseJson(raw, req.header('content-type'));
    const parsed = spec.body.safeParse(body);
    if (!parsed.success) throw new ApiError(400, describeZodError(parsed.error));
    body = parsed.data;
  }
  const key = idempotencyKey(req.header('idempotency-key'));
  // After validation: a request refused 400 never binds its key, so the caller may correct it and resend.
  const requestKey =
    spec.idempotent && key !== undefined
      ? await admitKey(ctx, { sub: principal.sub, orgId: principal.orgId, key, body }, spec, req.params)
      : undefined;
  return spec.handle({ principal, params: req.params, query: req.query, body: body as never, requestKey });
}

function admitKey(
  ctx: ApiContext,
  r: { sub: string; orgId: string | undefined; key: string; body: unknown },
  spec: RouteSpec<z.ZodType | undefined>,
  params: string[],
): Promise<string> {
  const request = { ...r, route: `${spec.method} ${spec.pattern}`, params };
  if (!ctx.idempotency) return Promise.resolve(fingerprint(request).request);
  return ctx.idempotency.admit(request).catch((err: unknown) => {
    if (err instanceof IdempotencyKeyReused)
      ctx.logger.warn('idempotency key reused for another request: refused 422', {
        route: request.route,
        ticketId: params[0],
      });
    throw err;
  });
}

function authenticate(ctx: ApiContext, header: string): Principal {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1])
    throw new ApiError(401, header ? 'Authorization header must be "Bearer <token>"' : 'missing bearer token');
  try {
    return ctx.auth.verifyAccessToken(match[1]);
  } catch (_err) {
    // The verifier's reason (expired, bad signature...) is not echoed: it helps an attacker more than a user.
    throw new ApiError(401, 'invalid or expired token');
  }
}

/**
 * Every query parameter is single-valued: the routes read them as one object, where `status=a&status=b`
 * silently kept `b` (a caller who meant "either" got one of them with a 200). Refused, naming the parameter.
 */
function refuseRepeatedParams(query: URLSearchParams): void {
  const seen = new Set<string>();
  for (const name of query.keys()) {
    if (seen.has(name)) {
      const shown = name.length > 40 ? `${name.slice(0, 40)}...` : name;
      throw new ApiError(400, `query parameter ${shown} is given more than once; give each parameter once`);
    }
    seen.add(name);
  }
}

function idempotencyKey(header: string): string | undefined {
  if (header === '') return undefined;
  if (header.length > requestLimits.idempotencyKey || !/^[\x21-\x7e]+$/.test(header)) {
    throw new ApiError(400, `Idempotency-Key must be 1 to ${requestLimits.idempotencyKey} visible ASCII characters`);
  }
  return header;
}

function parseJson(raw: Buffer | undefined, contentType: string): unknown {
  if (!raw || raw.length === 0) throw new ApiError(400, 'request body is required (JSON object)');
  if (!acceptsAsJson(contentType)) {
    throw new ApiError(415, 'Content-Type must be application/json');
  }
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    // Not V8's message, which quotes the body: a secret the caller sent would come back in the answer.
    throw new ApiError(400, `body is not valid JSON${jsonErrorWhere(err)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError(400, 'body must be a JSON object');
  }
  return value;
}

function errorSummary(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? err.cause : undefined;
    return {
      name: err.name,
      message: err.message,
      stack: err.stack,
      cause: cause ? { name: cause.name, message: cause.message } : undefined,
    };
  }
  return { value: String(err) };
}
