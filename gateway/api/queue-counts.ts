/**
 * Counts per console queue from Temporal visibility (CountWorkflowExecutions over the TicketQueue search
 * attribute): the numbers on the console's columns, cheap enough to poll every few seconds.
 */
import type { Client } from '@temporalio/client';
import { CONSOLE_QUEUES } from './routes/session';

export function createQueueCounter(client: Client): () => Promise<Record<string, number>> {
  return async () => {
    const entries = await Promise.all(
      CONSOLE_QUEUES.map(async (queue) => {
        // Queue names come from a closed list, so quoting them cannot inject into the query.
        const { count } = await client.workflow.count(`WorkflowType = 'ticketWorkflow' AND ExecutionStatus = 'Running' AND TicketQueue = '${queue}'`);
        return [queue, count] as const;
      }),
    );
    return Object.fromEntries(entries);
  };
}
