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

/**
 * True for an action the server accepted but had not applied when it answered (202, `applied: false`: a long
 * step, or its worker restarting). It is decided; its outcome arrives on the ticket's stream.
 */
export function stillApplying(answer: unknown): boolean {
  return typeof answer === 'object' && answer !== null && (answer as { applied?: unknown }).applied === false;
}

const KEYED_ATTEMPTS = 3;
const RESEND_PAUSE_MS = 1_000;

/**
 * How long a request's key is kept for the same path and body without a definite answer. Long enough for a
 * person's second click or the pages' own resends to join the first; not so long that the same words sent
 * again later (a customer's "Any news?") join an earlier message instead of being a new one.
 */
export const KEPT_KEY_MS = 2 * 60_000;

/** Keys of requests still without a definite answer, by path and body, each until its time is up. */
const pendingKeys = new Map<string, { key: string; until: number }>();

export function createApi(token: () => string | null, now: () => number = Date.now): ApiClient {
  /**
   * A keyed request: one key for this path and body until it gets a definite answer. The API's own 503
   * (upstream_unavailable: no worker took it in time) is sent again with it, twice at most, so the person waits
   * instead of retrying, and the resend joins the first.
   */
  async function sendKeyed<T>(path: string, body: unknown): Promise<T> {
    const intent = `${path}\n${JSON.stringify(body)}`;
    const kept = pendingKeys.get(intent);
    const key = kept && kept.until > now() ? kept.key : crypto.randomUUID();
    pendingKeys.set(intent, { key, until: now() + KEPT_KEY_MS });
    for (let attempt = 1; ; attempt += 1) {
      try {
        const answer = await send<T>('POST', path, body, key);
        // Accepted but still being applied: the same click again must join it, so the key stays.
        if (!stillApplying(answer)) pendingKeys.delete(intent);
        return answer;
      } catch (err) {
        const failure = err instanceof ApiFailure ? err : undefined;
        // A refusal (4xx) is definite: the same request again is a new attempt. No answer or 5xx keeps the key.
        if (failure && failure.status >= 400 && failure.status < 500) pendingKeys.delete(intent);
        if (failure?.code !== 'upstream_unavailable' || attempt >= KEYED_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, RESEND_PAUSE_MS));
      }
    }
  }

  async function send<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
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
    get: (path) => send('GET', path),
    post: (path, body, opts) => (opts?.idempotent ? sendKeyed(path, body) : send('POST', path, body)),
  };
}
