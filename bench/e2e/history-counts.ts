/** Workflow tasks and activities a ticket took to reach review, from its history on the server. */
import { Client, Connection } from '@temporalio/client';
import { percentile } from './stats';

export interface PathCounts {
  tickets: number;
  workflowTasks?: number;
  activities?: number;
  localActivities?: number;
  /** Mean events of each type per ticket (bench/e2e/ab.ts prints them: what the server writes per ticket). */
  eventTypes: Record<string, number>;
}

/** An event's type, named by the one attributes field it has set (`activityTaskScheduled`, ...). */
const typeName = (e: object) =>
  Object.entries(e)
    .find(([k, v]) => k.endsWith('EventAttributes') && v)?.[0]
    .replace(/EventAttributes$/, '') ?? 'unknown';

export async function pathCounts(address: string, namespace: string, ticketIds: string[]): Promise<PathCounts> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const tasks: number[] = [];
  const activities: number[] = [];
  const locals: number[] = [];
  const eventTypes: Record<string, number> = {};
  try {
    for (const id of ticketIds) {
      const events = (await client.workflow.getHandle(`ticket-${id}`).fetchHistory()).events ?? [];
      tasks.push(events.filter((e) => e.workflowTaskCompletedEventAttributes).length);
      activities.push(events.filter((e) => e.activityTaskScheduledEventAttributes).length);
      locals.push(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length);
      for (const e of events) eventTypes[typeName(e)] = (eventTypes[typeName(e)] ?? 0) + 1;
    }
  } finally {
    await connection.close();
  }
  for (const k of Object.keys(eventTypes)) eventTypes[k] = eventTypes[k]! / Math.max(1, ticketIds.length);
  return {
    tickets: ticketIds.length,
    workflowTasks: percentile(tasks, 0.5),
    activities: percentile(activities, 0.5),
    localActivities: percentile(locals, 0.5),
    eventTypes,
  };
}
