/** The ticket workflow's signature, for typed handles, without importing the workflow's code. */
import type { TicketInput, TicketOutcome } from '../workflows/state';

export type TicketWorkflow = (input: TicketInput) => Promise<TicketOutcome>;
