/**
 * What the HTTP API needs from the rest of the gateway, as narrow types. The gateway passes the real ticket
 * client (client/) and token verifier; keeping the API on these shapes lets it be registered on any uWS app
 * without knowing how Temporal or JWT are wired.
 */
import type { TicketClient } from '../../client';
import type { Config } from '../../core/config';
import type { Logger } from '../../core/logger';
import type { Tracer } from '@opentelemetry/api';
import type { JwtAuth, Principal, Role } from '../auth/jwt';
import type { RateLimits } from '../limits/rate-limits';
import type { IdempotencyGuard } from '../idempotency/guard';
import type { DeskStore } from '../desk/store';
import type { SopLibraryEntry } from '../../activities/knowledge/library';
import type { OutcomeReader } from '../../activities/memory/outcomes';

export type { Principal, Role };
export type { Ticket } from '../../client';

/** The part of gateway/auth/jwt.ts JwtAuth the API uses. */
export type ApiAuth = Pick<JwtAuth, 'verifyAccessToken' | 'signAccessToken' | 'canSign' | 'userIds'>;

/** The calls of the ticket client the API makes. Errors are TicketflowError ('not_found', 'conflict', ...). */
export type TicketApiPort = Pick<
  TicketClient,
  | 'createTicket'
  | 'getState'
  | 'ownerOf'
  | 'listTickets'
  | 'countQueues'
  | 'deskFigures'
  | 'review'
  | 'release'
  | 'provideSop'
  | 'sendFeedback'
  | 'addMessage'
  | 'decideProposal'
  | 'setHolder'
>;

/** The SOP library's approval (activities/knowledge): a provided SOP enters the library once another agent approves it. */
export interface SopApprovals {
  approveSop(id: string, approver: string): Promise<{ id: string; title: string; topic: string }>;
  /** The library page's listing (GET /v1/sops). */
  listSops(): Promise<SopLibraryEntry[]>;
}

export interface ApiContext {
  config: Config;
  /** Absent: the approval route answers 503. */
  sops?: SopApprovals;
  tickets: TicketApiPort;
  /**
   * Finished tickets' outcomes and the queue samples (the memory database) for the analytics; absent: those
   * figures are null.
   */
  outcomes?: Pick<OutcomeReader, 'figures' | 'queueSizes' | 'sopUsage'>;
  /** Assignments and presence; absent: the desk routes answer 503 (and no ticket is told of a holder). */
  desk?: DeskStore;
  auth: ApiAuth;
  logger: Logger;
  /** Told after every desk write, so the queue stream sends it at once (absent: it is read on the next tick). */
  deskChanged?: () => void;
  /** Per-principal budgets (gateway/limits); absent: unlimited. */
  limits?: RateLimits;
  /** Which request each Idempotency-Key was first sent with (gateway/idempotency); absent: no reuse is refused. */
  idempotency?: IdempotencyGuard;
  /** Tracing on: each request is a server span, continuing a caller's `traceparent`. */
  tracer?: Tracer;
  /** A new ticket's first state, read so that its streams opening next need no query (absent: `getState`). */
  firstState?: (ticketId: string) => ReturnType<TicketApiPort['getState']>;
}
