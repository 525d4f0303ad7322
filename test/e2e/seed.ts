/**
 * Many tickets for the list tests, fast: ticket workflows started on a task queue no worker polls, with
 * the search attributes a triaged ticket carries. Visibility lists and counts them exactly as it does real
 * tickets (it answers without a worker); none of them ever runs a step.
 */
import { Client, Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { WORKFLOW_TYPE } from '../../client/ticket-query';
import {
  ticketCustomerKey,
  ticketQueueKey,
  ticketReviewDueKey,
  ticketStatusKey,
  ticketTopicKey,
  ticketUrgencyKey,
} from '../../workflows/search-attributes';
import { workflowIdFor } from '../../workflows/state';
import { testTemporalAddress, testTemporalNamespace, uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';

export const SEED_URGENCIES = ['critical', 'high', 'medium', 'low', 'none'] as const;
export const SEED_TOPICS = ['Billing', 'Workers', 'A&S'] as const;

export interface Seeded {
  customer: string;
  ticketIds: string[];
  stop(): Promise<void>;
}

/**
 * `count` tickets of one new customer; ticket i has urgency i mod 5 and topic i mod 3, all in `queue` (review
 * by default), and `reviewDue(i)` as its pending review's due time (none when it answers undefined).
 */
export async function seedTickets(
  count: number,
  reviewDue?: (i: number) => Date | undefined,
  queue = 'review',
): Promise<Seeded> {
  const connection = await Connection.connect({ address: testTemporalAddress() });
  const client = new Client({ connection, namespace: testTemporalNamespace() });
  const customer = uniqueName('cust');
  const taskQueue = uniqueName('seed-idle-tq');
  const prefix = uniqueName('t-seed');
  const ticketIds = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
  // One after another, so visibility's newest-first order is the seeding order reversed.
  for (const [i, ticketId] of ticketIds.entries()) {
    await client.workflow.start(WORKFLOW_TYPE, {
      workflowId: workflowIdFor(ticketId),
      taskQueue,
      args: [],
      typedSearchAttributes: new TypedSearchAttributes([
        { key: ticketStatusKey, value: 'awaiting_review' },
        { key: ticketQueueKey, value: queue },
        { key: ticketTopicKey, value: SEED_TOPICS[i % SEED_TOPICS.length]! },
        { key: ticketUrgencyKey, value: SEED_URGENCIES[i % SEED_URGENCIES.length]! },
        { key: ticketCustomerKey, value: customer },
        ...dueAttribute(reviewDue?.(i)),
      ]),
    });
  }
  // Visibility indexes a start a moment after it returns (a count 6 of 7 failed the deadline test under
  // load): the tests read the lists only once it counts every seeded ticket.
  await waitFor(
    async () => (await client.workflow.count(`${ticketCustomerKey.name} = '${customer}'`)).count === count,
    { timeoutMs: 30_000, message: `visibility counting the ${count} seeded tickets` },
  );
  return {
    customer,
    ticketIds,
    async stop() {
      for (const id of ticketIds)
        await client.workflow
          .getHandle(workflowIdFor(id))
          .terminate('seeded for a test')
          .catch(() => undefined);
      await connection.close();
    },
  };
}

function dueAttribute(due: Date | undefined) {
  return due ? [{ key: ticketReviewDueKey, value: due }] : [];
}
