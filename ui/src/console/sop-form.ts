/**
 * When no SOP matches, the workflow waits for a person to provide one; this form sends it (the workflow
 * stores it in the knowledge base and resumes the investigation).
 */
import { ApiFailure, stillApplying, type ApiClient } from '../shared/api';
import { h, fill } from '../shared/dom';
import { limits } from '../shared/limits';
import type { AgentTicketState } from '../shared/types';

export class SopForm {
  readonly element: HTMLElement;
  private readonly intro: HTMLElement;
  private readonly title: HTMLInputElement;
  private readonly body: HTMLTextAreaElement;
  private readonly submit: HTMLButtonElement;
  private readonly feedback: HTMLElement;

  constructor(
    private readonly api: ApiClient,
    private readonly ticketId: string,
    private readonly onDone: () => void,
  ) {
    this.intro = h('p', {});
    this.title = h('input', {
      id: 'sop-title',
      type: 'text',
      required: true,
      maxlength: limits.sopTitle,
      autocomplete: 'off',
    });
    this.body = h('textarea', {
      id: 'sop-body',
      rows: 8,
      required: true,
      maxlength: limits.sopBody,
      placeholder: '1. Verify …\n2. Check …\n3. Reply with …',
    });
    this.submit = h('button', { type: 'submit', class: 'btn primary' }, 'Save SOP and resume');
    this.feedback = h('div', { class: 'action-feedback', 'aria-live': 'assertive' });
    const form = h(
      'form',
      {
        class: 'sop-form',
        novalidate: true,
        on: {
          submit: (ev: Event) => {
            ev.preventDefault();
            void this.send();
          },
        },
      },
      h('label', { for: 'sop-title', class: 'label' }, 'SOP title'),
      this.title,
      h('label', { for: 'sop-body', class: 'label' }, 'Procedure'),
      this.body,
      h('div', { class: 'actions' }, this.submit),
      this.feedback,
    );
    this.element = h(
      'section',
      { class: 'panel sop', 'aria-labelledby': 'sec-sop', hidden: true },
      h('h3', { id: 'sec-sop' }, 'Provide an SOP'),
      this.intro,
      form,
    );
  }

  update(state: AgentTicketState): void {
    const needed = state.awaiting === 'sop' || state.status === 'awaiting_sop';
    this.element.hidden = !needed;
    if (needed)
      fill(
        this.intro,
        `No standard operating procedure was found for ${state.sopNeededFor ?? 'this topic'}. The ticket waits until one is provided; it is saved for the next similar ticket.`,
      );
  }

  private async send(): Promise<void> {
    const title = this.title.value.trim();
    const body = this.body.value.trim();
    if (!title || !body) {
      this.feedback.className = 'action-feedback error';
      fill(this.feedback, 'An SOP needs a title and a procedure.');
      (title ? this.body : this.title).focus();
      return;
    }
    this.submit.disabled = true;
    try {
      const answer = await this.api.post(
        `/v1/tickets/${encodeURIComponent(this.ticketId)}/sop`,
        { title, body },
        { idempotent: true },
      );
      this.feedback.className = 'action-feedback ok';
      fill(
        this.feedback,
        stillApplying(answer)
          ? 'SOP accepted and still being applied: this ticket updates here when the investigation resumes.'
          : 'SOP saved: the investigation resumes.',
      );
      this.title.value = '';
      this.body.value = '';
      this.onDone();
    } catch (err) {
      this.feedback.className = 'action-feedback error';
      fill(this.feedback, err instanceof ApiFailure ? err.message : String(err));
    } finally {
      this.submit.disabled = false;
    }
  }
}
