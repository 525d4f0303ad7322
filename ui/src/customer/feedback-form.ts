/** The customer's feedback form: whether the reply solved it, a rating and a comment, sent once. */
import type { ApiClient } from '../shared/api';
import { fill, h } from '../shared/dom';
import { formNote, say, sendingForm } from '../shared/form';
import { limits } from '../shared/limits';

export function feedbackForm(api: ApiClient, ticketId: string, onSent: () => void): HTMLElement {
  const yes = h('input', { type: 'radio', name: 'resolved', id: 'fb-yes', value: 'yes' });
  const no = h('input', { type: 'radio', name: 'resolved', id: 'fb-no', value: 'no' });
  const rating = h(
    'select',
    { id: 'fb-rating' },
    h('option', { value: '' }, 'No rating'),
    [5, 4, 3, 2, 1].map((n) => h('option', { value: n }, `${n} of 5`)),
  );
  const comment = h('textarea', { id: 'fb-comment', rows: 3, maxlength: limits.feedbackComment });
  const submit = h('button', { type: 'submit', class: 'btn primary' }, 'Send feedback');
  const note = formNote();
  const form = sendingForm(
    'feedback-form',
    {
      submit,
      note,
      send: async () => {
        const resolved = yes.checked ? true : no.checked ? false : undefined;
        const body: Record<string, unknown> = { comment: comment.value };
        if (resolved !== undefined) body.resolved = resolved;
        if (rating.value) body.rating = Number(rating.value);
        if (resolved === undefined && !rating.value && !comment.value.trim()) {
          say(note, 'Tell us whether it worked, give a rating or write a comment.', 'error');
          return;
        }
        await api.post(`/v1/tickets/${encodeURIComponent(ticketId)}/feedback`, body, { idempotent: true });
        onSent();
        fill(form, h('p', { class: 'action-feedback ok', role: 'status' }, 'Thank you for your feedback.'));
      },
    },
    h(
      'fieldset',
      {},
      h('legend', {}, 'Did this solve your problem?'),
      h('div', { class: 'inline' }, yes, h('label', { for: 'fb-yes' }, 'Yes'), no, h('label', { for: 'fb-no' }, 'No')),
    ),
    h('label', { for: 'fb-rating', class: 'label' }, 'How was our help?'),
    rating,
    h('label', { for: 'fb-comment', class: 'label' }, 'Anything else? (optional)'),
    comment,
    h('div', { class: 'actions' }, submit),
    note,
  );
  return h(
    'section',
    { class: 'panel feedback', 'aria-labelledby': 'fb-title', hidden: true },
    h('h3', { id: 'fb-title' }, 'Your feedback'),
    form,
  );
}
