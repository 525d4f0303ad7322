/**
 * Rules a ticket's history must keep that replay alone does not check.
 *
 * Chained publish: a workflow task whose only news is a publish completing schedules another publish before
 * it accepts any update. A worker starting cold may apply an update that arrived in the same task after that
 * completion, while the replay applies it before; a command caused by the completion alone then sits on the
 * wrong side of the update's acceptance and the history never replays (issue 10: the stuck ticket). The
 * workflow therefore starts a publish only where events are emitted, never because another one finished.
 */
import type { temporal } from '@temporalio/proto';

type Event = temporal.api.history.v1.IHistoryEvent;

/** What an event says of the activity it ends (completed, failed, timed out or cancelled), if it ends one. */
const activityEnd = (e: Event) =>
  e.activityTaskCompletedEventAttributes ??
  e.activityTaskFailedEventAttributes ??
  e.activityTaskTimedOutEventAttributes ??
  e.activityTaskCanceledEventAttributes;

/** Event ids of the publishes scheduled by such a task (empty when the history keeps the rule). */
export function chainedPublishes(events: readonly Event[]): number[] {
  const typeOf = new Map<string, string>();
  const found: number[] = [];
  let news: string[] = [];
  let task: { onlyPublishes: boolean; accepted: boolean } | null = null;
  for (const e of events) {
    const id = String(e.eventId);
    if (e.activityTaskScheduledEventAttributes) {
      const name = e.activityTaskScheduledEventAttributes.activityType?.name ?? '';
      typeOf.set(id, name);
      if (task?.onlyPublishes && !task.accepted && name === 'publishEvents') found.push(Number(id));
      continue;
    }
    if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      if (task) task.accepted = true;
      continue;
    }
    if (e.workflowTaskCompletedEventAttributes) {
      task = { onlyPublishes: news.length > 0 && news.every((n) => n === 'publishEvents'), accepted: false };
      news = [];
      continue;
    }
    const done = activityEnd(e);
    if (done) {
      task = null;
      news.push(typeOf.get(String(done.scheduledEventId)) ?? '?');
    } else if (
      e.timerFiredEventAttributes ||
      e.workflowExecutionSignaledEventAttributes ||
      e.workflowExecutionCancelRequestedEventAttributes
    ) {
      task = null;
      news.push('other');
    }
  }
  return found;
}

/** Events a workflow task writes as its commands (the update's own acceptance and completion are not among them). */
const COMMAND_EVENTS = new Set([
  'activityTaskScheduledEventAttributes',
  'activityTaskCancelRequestedEventAttributes',
  'timerStartedEventAttributes',
  'timerCanceledEventAttributes',
  'upsertWorkflowSearchAttributesEventAttributes',
  'workflowPropertiesModifiedEventAttributes',
  'markerRecordedEventAttributes',
  'startChildWorkflowExecutionInitiatedEventAttributes',
  'signalExternalWorkflowExecutionInitiatedEventAttributes',
  'requestCancelExternalWorkflowExecutionInitiatedEventAttributes',
  'nexusOperationScheduledEventAttributes',
  'nexusOperationCancelRequestedEventAttributes',
]);

/**
 * Command ahead of an update: a workflow task whose news includes a completion (an activity's or a timer's)
 * writes a command before it accepts an update. Replay hands the update to the workflow before that
 * completion whatever the live worker did, so such a task never replays (the chaos run of 2026-12-01: a
 * draft's completion and a review met in a task whose completion had already been applied outside it).
 * Answers the event ids of the acceptances written too late (empty when the history keeps the rule).
 */
export function commandsAheadOfUpdate(events: readonly Event[]): number[] {
  const found: number[] = [];
  let resolvedNews = false;
  let task: { resolved: boolean; commanded: boolean } | null = null;
  for (const e of events) {
    if (e.workflowTaskCompletedEventAttributes) {
      task = { resolved: resolvedNews, commanded: false };
      resolvedNews = false;
      continue;
    }
    if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      if (task?.resolved && task.commanded) found.push(Number(e.eventId));
      continue;
    }
    if (task && Object.keys(e).some((k) => COMMAND_EVENTS.has(k))) {
      task.commanded = true;
      continue;
    }
    if (e.workflowExecutionUpdateCompletedEventAttributes) continue;
    // Anything else is news for the next task: the task's commands are over.
    task = null;
    if (activityEnd(e) || e.timerFiredEventAttributes) resolvedNews = true;
  }
  return found;
}
