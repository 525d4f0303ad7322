/** The HTTP API from the browser: JSON in and out, errors as ApiFailure with the server's own message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export interface PostOptions {
  /**
   * A person's action or a new ticket: sent with an Idempotency-Key, the same one for the same request until it
   * gets a definite answer. The server answers such a request in bounded time even with no worker running
   * (503, "send it again"), and the resend then joins the first instead of acting twice.
   */
  idempotent?: boolean;
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown, opts?: PostOptions): Promise<T>;
}

const KEYED_ATTEMPTS = 3;
const RESEND_PAUSE_MS = 1_000;

/** Keys of requests still without a definite answer, by path and body. */
const pendingKeys = new Map<string, string>();

export function createApi(token: () => string | null): ApiClient {
  async function call<T>(method: string, path: string, body?: unknown, opts: PostOptions = {}): Promise<T> {
    const intent = opts.idempotent ? `${path}\n${JSON.stringify(body)}` : null;
    const key = intent === null ? undefined : (pendingKeys.get(intent) ?? crypto.randomUUID());
    if (intent !== null && key !== undefined) pendingKeys.set(intent, key);
    try {
      const answer = await sendAgain<T>(method, path, body, key);
      if (intent !== null) pendingKeys.delete(intent);
      return answer;
    } catch (err) {
      // A refusal (4xx) is definite: the same request again is a new attempt. No answer or 5xx keeps the key.
      if (intent !== null && err instanceof ApiFailure && err.status >= 400 && err.status < 500)
        pendingKeys.delete(intent);
      throw err;
    }
  }

  /**
   * A keyed request the service could not take yet (503 upstream_unavailable: no worker took it in time) is
   * sent again, twice at most: with the same key it joins the first, so the person waits instead of retrying.
   */
  async function sendAgain<T>(method: string, path: string, body: unknown, key: string | undefined): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await send<T>(method, path, body, key);
      } catch (err) {
        const retriable = key !== undefined && err instanceof ApiFailure && err.code === 'upstream_unavailable';
        if (!retriable || attempt >= KEYED_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, RESEND_PAUSE_MS));
      }
    }
  }

  async function send<T>(method: string, path: string, body: unknown, idempotencyKey: string | undefined): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const bearer = token();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiFailure(0, 'network', 'The server cannot be reached. Check your connection and try again.');
    }
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // A non-JSON answer (a proxy's error page): reported below with the status.
    }
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiFailure(res.status, err?.code ?? 'error', err?.message ?? `request failed (${res.status})`);
    }
    return json as T;
  }
  return {
    get: (path) => call('GET', path),
    post: (path, body, opts) => call('POST', path, body, opts),
  };
}
