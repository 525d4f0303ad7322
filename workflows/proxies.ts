/** The activities as the workflow sees them (types only), one proxy per kind of timeout and retry. */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { TicketActivities } from '../activities';
import {
  draftingOptions,
  localLookupOptions,
  modelCallOptions,
  publishingOptions,
  toolOptions,
} from './activity-options';

export const publishing = proxyActivities<TicketActivities>(publishingOptions);

/**
 * The activities a step calls. `beforeCall` runs before each call: the outbox starts publishing what the step
 * emitted so far, so those events travel while the activity runs (one publish for everything a step says
 * between two activities, never one per event). `track` notes when each call settles (task-guard.ts).
 */
export function stepActivities(
  beforeCall: () => void,
  track: <T>(p: Promise<T>, sameTask?: boolean) => Promise<T>,
  localKicks: boolean,
) {
  const wrap = (proxy: TicketActivities, kick = true, local = false): TicketActivities =>
    new Proxy(proxy, {
      get(target, name) {
        const call = target[name as keyof TicketActivities] as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          if (kick) beforeCall();
          return track(call(...args) as Promise<unknown>, local);
        };
      },
    });
  return {
    model: wrap(proxyActivities<TicketActivities>(modelCallOptions)),
    drafting: wrap(proxyActivities<TicketActivities>(draftingOptions)),
    tools: wrap(proxyActivities<TicketActivities>(toolOptions)),
    /** The same tools, starting no publish: the step hands its events to a later activity (`shape7`). */
    quietTools: wrap(proxyActivities<TicketActivities>(toolOptions), false),
    /**
     * Short reads (agent topics, the SOP, the customer's history) run inside the workflow task: no round trip.
     * Without `localKicks` they start no publish: one could not leave before the task completes anyway, and
     * the step's next activity publishes the backlog itself (the `activitiesPublishFirst` patch).
     */
    local: wrap(proxyLocalActivities<TicketActivities>(localLookupOptions), localKicks, true),
  };
}
export type StepActivities = ReturnType<typeof stepActivities>;
