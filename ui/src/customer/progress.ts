/** The customer's view of where their ticket is, in five plain steps. */
import { h } from '../shared/dom';

export const STEPS = [
  { key: 'received', label: 'Received' },
  { key: 'investigating', label: 'Investigating' },
  { key: 'drafting', label: 'Drafting a reply' },
  { key: 'review', label: 'Waiting for an agent' },
  { key: 'answered', label: 'Answered' },
] as const;

export type StepKey = (typeof STEPS)[number]['key'];

export function stepFor(status: string): StepKey {
  switch (status) {
    case 'received':
    case 'triaging':
      return 'received';
    case 'security_review':
    case 'investigating':
    case 'awaiting_sop':
    case 'reopened':
      return 'investigating';
    case 'drafting':
      return 'drafting';
    case 'awaiting_review':
      return 'review';
    case 'sent':
    case 'verifying':
    case 'resolved':
    case 'closed':
      return 'answered';
    default:
      return 'received';
  }
}

/** What the customer reads under the steps. */
export function sentenceFor(status: string): string {
  switch (status) {
    case 'received':
    case 'triaging':
      return 'We have your request and are reading it.';
    case 'security_review':
      return 'Your request touches account security; a security specialist is looking at it.';
    case 'investigating':
      return 'We are investigating your request.';
    case 'awaiting_sop':
      return 'Your request needs a specialist; we have asked one to take a look.';
    case 'drafting':
      return 'We are writing your reply.';
    case 'awaiting_review':
      return 'A support agent is checking the reply before it is sent.';
    case 'sent':
    case 'verifying':
      return 'We have answered. We will check that everything works again.';
    case 'resolved':
      return 'Resolved. Tell us whether it worked for you.';
    case 'closed':
      return 'This ticket is closed.';
    case 'reopened':
      return 'The problem came back, so we reopened your ticket and are on it again.';
    case 'failed':
      return 'Something went wrong on our side. A support agent will follow up.';
    default:
      return '';
  }
}

/** Once the ticket is resolved or closed, the last step is done too. */
const FINISHED = new Set(['resolved', 'closed']);

export function renderSteps(status: string): HTMLElement {
  const current = STEPS.findIndex((s) => s.key === stepFor(status));
  const finished = FINISHED.has(status);
  return h(
    'ol',
    { class: 'steps', 'aria-label': 'Progress' },
    STEPS.map((s, i) =>
      h(
        'li',
        {
          class: i < current || finished ? 'done' : i === current ? 'current' : 'todo',
          'aria-current': i === current ? 'step' : false,
          'data-step': s.key,
        },
        h('span', { class: 'dot', 'aria-hidden': 'true' }, i < current || finished ? '✓' : String(i + 1)),
        h('span', { class: 'step-label' }, s.label),
        h(
          'span',
          { class: 'visually-hidden' },
          i < current || finished ? ' (done)' : i === current ? ' (current)' : '',
        ),
      ),
    ),
  );
}
