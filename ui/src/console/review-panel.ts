/**
 * The draft in an editor and the review decision. While the draft is being written the editor shows the
 * streamed tokens read-only; once the draft lands it becomes editable. Approve sends the draft as written,
 * Edit and send sends the editor's text, Reject asks for a reason and the workflow writes a new draft.
 * The decision goes through the workflow's update, so a refusal (stale version, not awaiting review) comes
 * back at once and is shown here, in place.
 */
import { ApiFailure, stillApplying, type ApiClient } from '../shared/api';
import { h, fill } from '../shared/dom';
import { limits } from '../shared/limits';
import type { AgentTicketState } from '../shared/types';
import type { StreamEvent } from '../shared/stream';

type Action = 'approve' | 'edit' | 'reject' | 'release';

export class ReviewPanel {
  readonly element: HTMLElement;
  private readonly editor: HTMLTextAreaElement;
  private readonly meta: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly liveStatus: HTMLElement;
  private readonly feedback: HTMLElement;
  private readonly approveBtn: HTMLButtonElement;
  private readonly editBtn: HTMLButtonElement;
  private readonly rejectBtn: HTMLButtonElement;
  private readonly releaseBtn: HTMLButtonElement;
  private readonly reason: HTMLInputElement;
  private state: AgentTicketState | null = null;
  private loadedVersion = 0;
  private loadedText = '';
  private busy = false;
  /** The draft being streamed: its reserved seq and the parts received so far. */
  private streaming: { seq: number; parts: string[] } | null = null;

  constructor(
    private readonly api: ApiClient,
    private readonly ticketId: string,
    private readonly onDone: () => void,
  ) {
    this.meta = h('p', { class: 'draft-meta' });
    this.notice = h('div', { class: 'notice', hidden: true });
    this.editor = h('textarea', {
      id: 'draft-editor',
      class: 'draft-editor',
      rows: 12,
      maxlength: limits.replyText,
      spellcheck: 'true',
      'aria-describedby': 'draft-live',
    });
    this.editor.addEventListener('input', () => this.updateButtons());
    this.liveStatus = h('p', { id: 'draft-live', class: 'draft-live', role: 'status', 'aria-live': 'polite' });
    this.feedback = h('div', { class: 'action-feedback', 'aria-live': 'assertive' });
    this.approveBtn = h(
      'button',
      {
        type: 'button',
        class: 'btn primary',
        'data-shortcut': 'approve',
        on: { click: () => void this.act('approve') },
      },
      'Approve',
    );
    this.editBtn = h(
      'button',
      { type: 'button', class: 'btn', on: { click: () => void this.act('edit') } },
      'Edit and send',
    );
    this.reason = h('input', {
      id: 'reject-reason',
      type: 'text',
      maxlength: limits.reason,
      placeholder: 'What should the next draft do differently?',
    });
    this.rejectBtn = h(
      'button',
      { type: 'button', class: 'btn danger', on: { click: () => void this.act('reject') } },
      'Reject',
    );
    this.releaseBtn = h(
      'button',
      { type: 'button', class: 'btn', hidden: true, on: { click: () => void this.act('release') } },
      'Release to automation',
    );
    this.element = h(
      'section',
      { class: 'panel review', 'aria-labelledby': 'sec-draft' },
      h('h3', { id: 'sec-draft' }, 'Draft reply'),
      this.meta,
      this.notice,
      h('label', { for: 'draft-editor', class: 'label' }, 'Reply to the customer'),
      this.editor,
      this.liveStatus,
      h('div', { class: 'actions' }, this.approveBtn, this.editBtn, this.releaseBtn),
      h(
        'div',
        { class: 'reject-row' },
        h('label', { for: 'reject-reason', class: 'label' }, 'Reason for rejecting'),
        h('div', { class: 'inline' }, this.reason, this.rejectBtn),
      ),
      this.feedback,
    );
    this.updateButtons();
  }

  /** A token event: the live preview of a draft that is being written. */
  onToken(event: StreamEvent): void {
    const text =
      typeof event.data.text === 'string'
        ? event.data.text
        : typeof event.data.token === 'string'
          ? event.data.token
          : '';
    if (!this.streaming || this.streaming.seq !== event.seq) this.streaming = { seq: event.seq, parts: [] };
    this.streaming.parts[event.part ?? this.streaming.parts.length] = text;
    if (this.isDirty()) return; // never overwrite what the agent is typing
    this.editor.value = this.streaming.parts.join('');
    this.editor.readOnly = true;
    this.editor.setAttribute('aria-busy', 'true');
    const words = this.editor.value.trim().split(/\s+/).filter(Boolean).length;
    fill(this.liveStatus, `Writing a new draft… ${words} words so far.`);
    this.updateButtons();
  }

  update(state: AgentTicketState): void {
    this.state = state;
    const draft = state.draft;
    if (draft && draft.version !== this.loadedVersion) {
      if (this.isDirty()) {
        fill(
          this.notice,
          `Draft v${draft.version} has arrived; your edits to v${this.loadedVersion} are kept. `,
          h(
            'button',
            { type: 'button', class: 'btn small', on: { click: () => this.load(draft.version, draft.text) } },
            `Load v${draft.version}`,
          ),
        );
        this.notice.hidden = false;
      } else {
        this.load(draft.version, draft.text);
      }
    }
    if (draft && state.status !== 'drafting') {
      this.streaming = null;
      this.editor.readOnly = false;
      this.editor.removeAttribute('aria-busy');
      if (!this.isDirty() && this.editor.value !== this.loadedText) this.editor.value = this.loadedText;
    }
    fill(
      this.meta,
      draft ? `Draft v${draft.version} · ${draft.model}` : 'No draft yet.',
      draft?.violation ? h('span', { class: 'badge bad' }, `Guardrail: ${draft.violation}`) : null,
      state.pendingReview?.dueAt
        ? h('span', { class: 'hint' }, ` · review due ${new Date(state.pendingReview.dueAt).toLocaleTimeString()}`)
        : null,
    );
    if (state.status !== 'drafting' || !this.streaming) {
      fill(this.liveStatus, describeWaiting(state));
    }
    this.updateButtons();
  }

  private load(version: number, text: string): void {
    this.loadedVersion = version;
    this.loadedText = text;
    this.editor.value = text;
    this.editor.readOnly = false;
    this.editor.removeAttribute('aria-busy');
    this.notice.hidden = true;
    this.updateButtons();
  }

  private isDirty(): boolean {
    return !this.editor.readOnly && this.loadedVersion > 0 && this.editor.value !== this.loadedText;
  }

  private allowed(action: Action): boolean {
    const pending = this.state?.pendingReview;
    if (!pending || this.busy) return false;
    if (action === 'release') return pending.releasable;
    return pending.actions.includes(action) && this.state?.draft?.version === pending.draftVersion;
  }

  private updateButtons(): void {
    const dirty = this.isDirty();
    this.approveBtn.disabled =
      !this.allowed('approve') || dirty || this.loadedVersion !== this.state?.pendingReview?.draftVersion;
    this.approveBtn.title = dirty ? 'You changed the text: use "Edit and send"' : '';
    this.editBtn.disabled = !this.allowed('edit') || !dirty || this.editor.value.trim() === '';
    this.rejectBtn.disabled = !this.allowed('reject');
    this.reason.disabled = !this.allowed('reject');
    this.releaseBtn.hidden = !this.state?.pendingReview?.releasable;
    this.releaseBtn.disabled = !this.allowed('release');
  }

  private async act(action: Action): Promise<void> {
    const pending = this.state?.pendingReview;
    if (!pending) return;
    fill(this.feedback);
    this.feedback.className = 'action-feedback';
    let path = `/v1/tickets/${encodeURIComponent(this.ticketId)}/review`;
    let body: Record<string, unknown>;
    if (action === 'approve') body = { action, draftVersion: pending.draftVersion };
    else if (action === 'edit') body = { action, draftVersion: pending.draftVersion, text: this.editor.value };
    else if (action === 'reject') {
      const reason = this.reason.value.trim();
      if (!reason) {
        this.showError('Say why the draft is rejected: the reason guides the next draft.');
        this.reason.focus();
        return;
      }
      body = { action, draftVersion: pending.draftVersion, reason };
    } else {
      path = `/v1/tickets/${encodeURIComponent(this.ticketId)}/release`;
      body = {};
    }
    this.busy = true;
    this.updateButtons();
    try {
      const answer = await this.api.post(path, body, { idempotent: true });
      this.feedback.classList.add('ok');
      fill(this.feedback, stillApplying(answer) ? STILL_APPLYING : DONE[action]);
      if (action === 'reject') this.reason.value = '';
      if (action === 'edit') this.loadedText = this.editor.value;
      this.onDone();
    } catch (err) {
      this.showError(
        err instanceof ApiFailure ? `${err.status === 409 ? 'Refused: ' : ''}${err.message}` : String(err),
      );
    } finally {
      this.busy = false;
      this.updateButtons();
    }
  }

  private showError(message: string): void {
    this.feedback.className = 'action-feedback error';
    this.feedback.setAttribute('role', 'alert');
    fill(this.feedback, message);
  }
}

const STILL_APPLYING =
  'Accepted, and still being applied (a check or a confirmed action is running): ' +
  'this ticket updates here when it is done.';

const DONE: Record<Action, string> = {
  approve: 'Approved: the reply is on its way to the customer.',
  edit: 'Your edited reply is on its way to the customer.',
  reject: 'Rejected: a new draft is being written.',
  release: 'Released: the automation continues.',
};

function describeWaiting(state: AgentTicketState): string {
  if (state.pendingReview)
    return `Waiting for your review${state.pendingReview.reason ? `: ${state.pendingReview.reason}` : ''}.`;
  if (state.reply) return 'The reply has been sent.';
  if (state.status === 'drafting') return 'Writing a draft…';
  if (!state.draft) return 'The draft appears here while it is written.';
  return '';
}
