/** The patch ids a run recorded (its `core_patch` markers), read from the run's history on the server. */
import type { Client } from '@temporalio/client';
import { workflowIdFor } from '../../workflows/state';

export async function recordedPatches(client: Client, ticketId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowIdFor(ticketId)).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const data = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
    return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id] : [];
  });
}
