/**
 * The API's one error type, and the mapping from the project's error family to HTTP statuses. Input the
 * caller got wrong is always a 4xx; only our own faults (or an unreachable Temporal) are 5xx.
 */
import { TicketflowError } from '../../core/errors';
import { AuthError } from '../auth/errors';
import { IdempotencyKeyReused } from '../idempotency/guard';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string = codeForStatus(status),
    opts: { cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'ApiError';
  }
}

function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 422:
      return 'unprocessable';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'internal' : 'error';
  }
}

const STATUS_BY_CODE: Record<string, number> = {
  bad_input: 400,
  auth: 401,
  not_found: 404,
  conflict: 409,
  policy: 409,
  rate_limited: 429,
  upstream_unavailable: 503,
};

/** Turns anything thrown by a handler into an ApiError; unknown errors become a 500 without their details. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof IdempotencyKeyReused) return new ApiError(422, err.message, 'idempotency_key_reused');
  if (err instanceof AuthError)
    return new ApiError(err.status, err.publicMessage, err.status === 403 ? 'forbidden' : 'unauthorized', {
      cause: err,
    });
  if (err instanceof TicketflowError) {
    const status = STATUS_BY_CODE[err.code] ?? 500;
    return new ApiError(status, status === 500 ? 'internal error' : err.message, err.code, { cause: err });
  }
  return new ApiError(500, 'internal error', 'internal', { cause: err });
}

export const STATUS_TEXT: Record<number, string> = {
  200: '200 OK',
  201: '201 Created',
  202: '202 Accepted',
  204: '204 No Content',
  400: '400 Bad Request',
  401: '401 Unauthorized',
  403: '403 Forbidden',
  404: '404 Not Found',
  405: '405 Method Not Allowed',
  409: '409 Conflict',
  413: '413 Payload Too Large',
  415: '415 Unsupported Media Type',
  422: '422 Unprocessable Content',
  429: '429 Too Many Requests',
  500: '500 Internal Server Error',
  503: '503 Service Unavailable',
};
