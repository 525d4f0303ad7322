/** The ceiling beside the ticket: a workflow that does nothing but one no-op activity. */
import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '10 seconds' });

export async function emptyWorkflow(): Promise<void> {
  await noop();
}
