/** Workflow tasks and activities a ticket took to reach review, from its history on the server. */
import { Client, Connection } from '@temporalio/client';
import { percentile } from './stats';

export interface PathCounts {
  tickets: number;
  workflowTasks?: number;
  activities?: number;
  localActivities?: number;
}

export async function pathCounts(address: string, namespace: string, ticketIds: string[]): Promise<PathCounts> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const tasks: number[] = [];
  const activities: number[] = [];
  const locals: number[] = [];
  try {
    for (const id of ticketIds) {
      const events = (await client.workflow.getHandle(`ticket-${id}`).fetchHistory()).events ?? [];
      tasks.push(events.filter((e) => e.workflowTaskCompletedEventAttributes).length);
      activities.push(events.filter((e) => e.activityTaskScheduledEventAttributes).length);
      locals.push(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length);
    }
  } finally {
    await connection.close();
  }
  return {
    tickets: ticketIds.length,
    workflowTasks: percentile(tasks, 0.5),
    activities: percentile(activities, 0.5),
    localActivities: percentile(locals, 0.5),
  };
}
