/** How `ticketctl show` prints a ticket: one labelled line per fact, for a terminal. */
import type { Ticket } from '../client';

export function printState(s: Ticket): void {
  const line = (k: string, v: string | number) => process.stdout.write(`${k.padEnd(12)} ${v}\n`);
  line('ticket', s.ticketId);
  line('status', `${s.status} (queue ${s.queue}${s.awaiting ? `, waiting for ${s.awaiting}` : ''})`);
  if (s.awaitingReason) line('why', s.awaitingReason);
  line('topic', `${s.topic ?? '-'}  urgency ${s.urgency ?? '-'}`);
  if (s.analysis) line('intent', s.analysis.intent);
  if (s.security && s.security.risk_category !== 'none')
    line('risk', `${s.security.risk_category} (${s.security.confidence_score})`);
  if (s.brief) line('brief', s.brief.summary);
  if (s.redactedText) line('text', s.redactedText);
  for (const f of s.findings) line(`finding`, `${f.topic}: ${f.summary}`);
  if (s.draft)
    line(
      `draft v${s.draft.version}`,
      `${s.draft.violation ? `[guardrail: ${s.draft.violation}] ` : ''}${s.draft.text}`,
    );
  if (s.pendingReview)
    line(
      'review',
      `draft v${s.pendingReview.draftVersion}: ${s.pendingReview.actions.join(' | ')}${s.pendingReview.releasable ? ' | release' : ''} (due ${s.pendingReview.dueAt ?? '-'})`,
    );
  for (const r of s.reviewHistory)
    line(
      'decision',
      `${r.at} ${r.action} by ${r.reviewer}${r.draftVersion ? ` on v${r.draftVersion}` : ''}${r.reason ? `: ${r.reason}` : ''}`,
    );
  if (s.reply) line('reply', s.reply.text);
  line('events', `${s.events.length} (last seq ${s.lastSeq})`);
}
