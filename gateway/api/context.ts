/**
 * What the HTTP API needs from the rest of the gateway, as narrow interfaces. The gateway passes the real
 * ticket client (core/ticket-client.ts) and token verifier; keeping the API on these shapes lets it be
 * registered on any uWS app without knowing how Temporal or JWT are wired.
 */
import type { Logger } from '../../core/logger';
import type { Config } from '../../core/config';
import type { Queue, ReviewDecision, TicketStatus } from '../../core/domain';
import type { TicketState } from '../../workflows/state';

export type Role = 'agent' | 'customer';

export interface Principal {
  sub: string;
  role: Role;
  orgId?: string;
  /** Set on customer tokens scoped to one ticket: such a token opens that ticket only. */
  incidentId?: string;
}

/** The part of gateway/auth/jwt.ts JwtAuth the API uses. */
export interface ApiAuth {
  /** Verifies a bearer token; throws when it is invalid or expired. */
  verifyAccessToken(token: string): Principal;
  /** Signs an access token; used to hand a customer a token scoped to the ticket they just opened. */
  signAccessToken(claims: { sub: string; role?: Role; orgId?: string; incidentId?: string }, ttlMs: number): string;
  readonly canSign: boolean;
}

export type { TicketState };

export interface TicketListPage {
  tickets: unknown[];
  nextPageToken?: string | null;
}

/** The subset of core/ticket-client.ts the API calls. Errors are TicketflowError ('not_found', 'conflict', ...). */
export interface TicketApiPort {
  createTicket(input: { userId: string; orgId: string; text: string }): Promise<{ ticketId: string; status?: string }>;
  getState(ticketId: string): Promise<TicketState>;
  listTickets(filter: { status?: TicketStatus; queue?: Queue; pageSize?: number; nextPageToken?: string }): Promise<TicketListPage>;
  review(ticketId: string, decision: ReviewDecision): Promise<unknown>;
  /** Lets a ticket held in the security queue continue with the automation. */
  release(ticketId: string, input: { reviewer: string; note?: string }): Promise<unknown>;
  provideSop(ticketId: string, sop: { title: string; body: string; author: string }): Promise<unknown>;
  sendFeedback(ticketId: string, feedback: { resolved?: boolean; rating?: number; comment: string }): Promise<unknown>;
  addMessage(ticketId: string, message: { text: string; author?: string }): Promise<unknown>;
}

/** The SOP library's approval (activities/knowledge): a provided SOP enters the library once another agent approves it. */
export interface SopApprovals {
  approveSop(id: string, approver: string): Promise<{ id: string; title: string; topic: string }>;
}

export interface ApiContext {
  config: Config;
  /** Absent: the approval route answers 503. */
  sops?: SopApprovals;
  tickets: TicketApiPort;
  auth: ApiAuth;
  logger: Logger;
  /** Counts per queue from Temporal visibility (queue-counts.ts); without it the console counts its lists. */
  countQueues?: () => Promise<Record<string, number>>;
}
