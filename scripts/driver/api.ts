/**
 * The ticket API as a customer and an agent use it over HTTP: tokens signed with the gateway's secret, every
 * call bounded by a timeout, a create retried with the same Idempotency-Key, and every answer kept as
 * {status, body} so a caller can count 5xx and 409 instead of throwing on them.
 */
import crypto from 'node:crypto';
import { createJwtAuth, type JwtAuth } from '../../gateway/auth/jwt';
import type { Config } from '../../core/config';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T | undefined;
  ms: number;
  /** Set when no HTTP answer came (refused, reset, timed out). */
  error?: string;
}

export interface CreateAnswer extends Answer<{ ticketId?: string; ticketToken?: string | null; status?: string }> {
  attempts: number;
  idempotencyKey: string;
}

export interface DriverIdentity {
  userId: string;
  orgId: string;
}

export class TicketApi {
  private readonly auth: JwtAuth;
  readonly agentToken: string;

  constructor(
    readonly baseUrl: string,
    jwt: Config['jwt'],
    private readonly timeoutMs = 30_000,
  ) {
    this.auth = createJwtAuth(jwt);
    this.agentToken = this.auth.signAccessToken(
      { sub: 'driver-agent', role: 'agent', orgId: 'acme-corp' },
      24 * 3600_000,
    );
  }

  customerToken(who: DriverIdentity): string {
    return this.auth.signAccessToken({ sub: who.userId, role: 'customer', orgId: who.orgId }, 24 * 3600_000);
  }

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    token: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const started = performance.now();
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.text();
      let parsed: T | undefined;
      try {
        parsed = text ? (JSON.parse(text) as T) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, body: parsed, ms: performance.now() - started };
    } catch (err) {
      return { status: 0, body: undefined, ms: performance.now() - started, error: (err as Error).message };
    }
  }

  /**
   * POST /v1/tickets, retried while the answer is not a decision (no answer, 5xx, 429) with the same key, so a
   * create that reached Temporal before an outage is not made twice. `deadline` bounds the retries.
   */
  async createTicket(
    who: DriverIdentity,
    text: string,
    deadline: number,
    onAttempt?: (a: Answer) => void,
  ): Promise<CreateAnswer> {
    const idempotencyKey = crypto.randomUUID();
    const token = this.customerToken(who);
    let attempts = 0;
    for (;;) {
      attempts++;
      const a = await this.call<CreateAnswer['body'] & object>(
        'POST',
        '/v1/tickets',
        token,
        { text },
        { 'idempotency-key': idempotencyKey },
      );
      onAttempt?.(a);
      const retriable = a.status === 0 || a.status >= 500 || a.status === 429;
      if (!retriable || Date.now() > deadline) return { ...a, attempts, idempotencyKey };
      await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * 2 ** Math.min(attempts, 5))));
    }
  }

  state(ticketId: string): Promise<Answer<Record<string, unknown>>> {
    return this.call('GET', `/v1/tickets/${ticketId}`, this.agentToken);
  }

  agent(ticketId: string, action: 'review' | 'release' | 'sop' | 'proposals', body: unknown): Promise<Answer> {
    return this.call('POST', `/v1/tickets/${ticketId}/${action}`, this.agentToken, body);
  }

  feedback(ticketId: string, customerToken: string, body: unknown): Promise<Answer> {
    return this.call('POST', `/v1/tickets/${ticketId}/feedback`, customerToken, body);
  }
}
