/** The finder's search form: the id-or-customer box, the words box, the filters and the sort. */
import { h } from '../shared/dom';
import { queueLabel } from '../shared/format';
import { anyOf, filterSelect, TOPICS } from './filters';

// The API's own lists (core/domain.ts); written out here so the bundle stays free of zod.
const URGENCIES = ['critical', 'high', 'medium', 'low', 'none'];
const QUEUES = ['review', 'security', 'needs_sop', 'human_live', 'reopened', 'enterprise', 'none'];

export function finderForm(onSubmit: () => void) {
  const search = h('input', {
    type: 'search',
    name: 'search',
    placeholder: 'Ticket id or customer',
    autocomplete: 'off',
  });
  // Words of the ticket's text (redacted by triage): the API keeps letters and digits only.
  const text = h('input', {
    type: 'search',
    name: 'text',
    placeholder: 'Words in the ticket',
    autocomplete: 'off',
    maxlength: 200,
  });
  const form = h(
    'form',
    {
      class: 'finder-form',
      role: 'search',
      'aria-label': 'Find tickets',
      on: {
        submit: (ev: Event) => {
          ev.preventDefault();
          onSubmit();
        },
      },
    },
    h('label', { class: 'filter search' }, 'Search tickets', search),
    h('label', { class: 'filter search' }, 'Words in the text', text),
    filterSelect('Queue', 'queue', anyOf('Any queue', QUEUES, queueLabel)),
    filterSelect('Topic', 'topic', anyOf('Any topic', TOPICS)),
    filterSelect('Urgency', 'urgency', anyOf('Any urgency', URGENCIES)),
    filterSelect('Tickets', 'open', [
      ['1', 'Open only'],
      ['0', 'Open and finished'],
    ]),
    filterSelect('Sort by', 'sort', [
      ['newest', 'Newest first'],
      ['urgency', 'Most urgent first'],
      ['deadline', 'Review due soonest (pending reviews)'],
    ]),
  );
  return { form, search, text };
}
