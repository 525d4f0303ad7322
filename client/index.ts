/** The Temporal client for tickets: see ticket-client.ts. */
export {
  connectTicketClient,
  createTicketClient,
  type ConnectedTicketClient,
  type TicketClient,
  type TicketClientOptions,
} from './ticket-client';
export { temporalConnection, type TemporalConnectionOptions } from './connection';
export { createTemporalProbe, type TemporalProbe } from './health';
export { ticketIdForKey, type CreateOptions } from './create';
export { StillApplying } from './accept-deadline';
export { CONSOLE_QUEUES, WORKFLOW_TYPE } from './list';
export { channels, createTicketSchema, limits, type CreateTicketInput, type MessageAck } from './contract';
export type * from './types';
export { snapshotOf } from './types';
