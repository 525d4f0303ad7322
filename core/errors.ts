/**
 * One error family. `retriable` says whether trying again can help; activities turn a non-retriable error
 * into `ApplicationFailure.nonRetryable` so Temporal stops retrying bad input or rejected credentials.
 */
export type TicketflowErrorCode =
  | 'bad_input'
  | 'auth'
  | 'rate_limited'
  | 'upstream_unavailable'
  | 'model_output_invalid'
  | 'not_found'
  | 'policy'
  | 'conflict'
  | 'internal';

export class TicketflowError extends Error {
  readonly code: TicketflowErrorCode;
  readonly retriable: boolean;

  constructor(code: TicketflowErrorCode, message: string, opts: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'TicketflowError';
    this.code = code;
    this.retriable = opts.retriable ?? DEFAULT_RETRIABLE[code];
  }
}

const DEFAULT_RETRIABLE: Record<TicketflowErrorCode, boolean> = {
  bad_input: false,
  auth: false,
  rate_limited: true,
  upstream_unavailable: true,
  model_output_invalid: true,
  not_found: false,
  policy: false,
  conflict: false,
  internal: true,
};

export function isRetriable(err: unknown): boolean {
  return err instanceof TicketflowError ? err.retriable : true;
}
