/**
 * What the Temporal Web UI shows for a ticket (workflow user metadata). The one-line summary is fixed at the
 * start (client/create.ts) and the current details follow the phase loop (ticket-workflow.ts). Both are
 * readable by anyone with access to the Temporal namespace, so they carry the ticket id and classified fields
 * only, never the ticket's text (the scrubber may have missed a name). No workflow import here: the client
 * builds the summary too.
 */
import type { Phase, Ticket } from './state';

/** The start's summary: id and channel (the topic is not known before triage). */
export function ticketSummary(ticketId: string, channel: string): string {
  return `Ticket ${ticketId} via ${channel}`;
}

/** Where the ticket stands, in Temporal's markdown: the step the phase loop is at and the classified fields. */
export function ticketDetails(s: Pick<Ticket, 'status' | 'queue' | 'topic' | 'urgency'>, step: Phase): string {
  return [
    `**Step:** ${step}`,
    `**Status:** ${s.status}`,
    `**Queue:** ${s.queue}`,
    `**Topic:** ${s.topic ?? 'not triaged'}`,
    `**Urgency:** ${s.urgency ?? 'not triaged'}`,
  ].join('  \n');
}
