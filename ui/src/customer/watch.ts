/**
 * Watching one ticket: progress, the reply, the conversation, a follow-up box and, once answered, feedback.
 * State comes from the API; the live stream says when it changed, and its `since` resumes after a reload.
 * Unreviewed drafts never reach this page (every reply is checked by an agent first), so while the reply
 * is being written the page shows that it is, not the words.
 */
import { ApiFailure, type ApiClient } from '../shared/api';
import { fill, h } from '../shared/dom';
import { formatDateTime, statusLabel } from '../shared/format';
import { formNote, say, sendingForm } from '../shared/form';
import { limits } from '../shared/limits';
import { TicketStream, type StreamState } from '../shared/stream';
import type { CustomerTicketState } from '../shared/types';
import { feedbackForm } from './feedback-form';
import { renderSteps, sentenceFor } from './progress';

const ANSWERED = new Set(['sent', 'verifying', 'resolved', 'closed']);
const SLOW_POLL_MS = 10_000;

export class TicketWatch {
  readonly element: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly sentence: HTMLElement;
  private readonly writing: HTMLElement;
  private readonly reply: HTMLElement;
  private readonly conversation: HTMLElement;
  private readonly feedbackSection: HTMLElement;
  private readonly followUp: HTMLElement;
  private readonly streamNote: HTMLElement;
  private readonly error: HTMLElement;
  private stream: TicketStream | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private state: CustomerTicketState | undefined;
  private feedbackSent = false;
  private writingWords = 0;

  constructor(
    private readonly api: ApiClient,
    readonly ticketId: string,
  ) {
    this.progress = h('div', { class: 'progress' });
    this.sentence = h('p', { class: 'progress-sentence', role: 'status', 'aria-live': 'polite' });
    this.writing = h('p', { class: 'writing', 'aria-live': 'polite', hidden: true });
    this.reply = h('div', { class: 'reply', 'aria-live': 'polite' });
    this.conversation = h('div');
    this.streamNote = h('p', { class: 'stream-note', role: 'status' });
    this.error = h('div', { class: 'action-feedback error', role: 'alert', hidden: true });
    this.feedbackSection = feedbackForm(this.api, ticketId, () => {
      this.feedbackSent = true;
    });
    this.followUp = this.buildFollowUp();
    this.element = h(
      'article',
      { class: 'watch', 'aria-labelledby': 'watch-title' },
      h('h2', { id: 'watch-title', tabindex: -1 }, 'Your ticket ', h('code', {}, ticketId)),
      this.error,
      h(
        'section',
        { class: 'panel', 'aria-label': 'Progress' },
        this.progress,
        this.sentence,
        this.writing,
        this.streamNote,
      ),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'reply-title' },
        h('h3', { id: 'reply-title' }, 'Our reply'),
        this.reply,
      ),
      this.feedbackSection,
      this.conversation,
      this.followUp,
    );
  }

  async open(): Promise<void> {
    const state = await this.load();
    if (!state) return;
    this.stream = new TicketStream(
      this.api,
      this.ticketId,
      {
        onEvent: () => this.scheduleRefresh(),
        onToken: (e) => this.showWriting(typeof e.data.text === 'string' ? e.data.text : ''),
        onState: (s) => this.showStreamState(s),
      },
      state.lastSeq ?? 0,
    );
    this.stream.start();
    setInterval(() => void this.load(), SLOW_POLL_MS);
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.load(), 150);
  }

  private async load(): Promise<CustomerTicketState | undefined> {
    try {
      const state = await this.api.get<CustomerTicketState>(`/v1/tickets/${encodeURIComponent(this.ticketId)}`);
      this.error.hidden = true;
      this.render(state);
      return state;
    } catch (err) {
      this.error.hidden = false;
      const status = err instanceof ApiFailure ? err.status : 0;
      fill(
        this.error,
        status === 404
          ? 'We cannot find this ticket.'
          : status === 401 || status === 403
            ? 'This link does not give access to this ticket. Open it from the browser you used to submit it.'
            : `We could not load your ticket: ${(err as Error).message}`,
      );
      return undefined;
    }
  }

  private render(state: CustomerTicketState): void {
    const previous = this.state?.status;
    this.state = state;
    fill(this.progress, renderSteps(state.status));
    if (previous !== state.status) fill(this.sentence, sentenceFor(state.status));
    if (state.status !== 'drafting') {
      this.writing.hidden = true;
      this.writingWords = 0;
    }
    if (state.reply) {
      fill(
        this.reply,
        h(
          'p',
          { class: `status-line status-${state.status}`, 'data-status': state.status },
          statusLabel(state.status),
          state.reply.at ? ` · ${formatDateTime(state.reply.at)}` : '',
        ),
        h(
          'div',
          { class: 'reply-text', 'data-testid': 'reply-text' },
          state.reply.text.split(/\n{2,}/).map((p) => h('p', {}, p)),
        ),
      );
    } else {
      fill(
        this.reply,
        h('p', { class: 'muted' }, 'Your reply appears here as soon as a support agent has checked it.'),
      );
    }
    fill(this.conversation, this.renderConversation(state));
    const askFeedback =
      !this.feedbackSent &&
      !state.feedback &&
      (state.awaiting === 'feedback' || (state.reply !== null && ANSWERED.has(state.status)));
    this.feedbackSection.hidden = !askFeedback && !this.feedbackSent;
  }

  private renderConversation(state: CustomerTicketState): HTMLElement {
    return h(
      'section',
      { class: 'panel', 'aria-labelledby': 'conv-title' },
      h('h3', { id: 'conv-title' }, 'Conversation'),
      h(
        'ol',
        { class: 'conversation' },
        h(
          'li',
          { class: 'msg msg-customer' },
          h('span', { class: 'msg-meta' }, `You · ${formatDateTime(state.timestamps?.createdAt)}`),
          h('p', {}, state.text ?? 'Your request (shown once we have processed it; personal data is hidden).'),
        ),
        // The sent reply is shown above; the conversation keeps the other messages.
        state.messages
          .filter((m) => !(m.from === 'agent' && m.text === state.reply?.text))
          .map((m) =>
            h(
              'li',
              { class: `msg msg-${m.from}` },
              h('span', { class: 'msg-meta' }, `${m.from === 'agent' ? 'Support' : 'You'} · ${formatDateTime(m.at)}`),
              h('p', {}, m.text),
            ),
          ),
      ),
    );
  }

  private showWriting(text: string): void {
    this.writingWords += text.trim().split(/\s+/).filter(Boolean).length;
    this.writing.hidden = false;
    fill(this.writing, `Writing your reply… (${this.writingWords} words so far; an agent checks it before it is sent)`);
  }

  private showStreamState(s: StreamState): void {
    this.streamNote.className = `stream-note ${s.kind}`;
    if (s.kind === 'live') fill(this.streamNote, 'Live: this page updates by itself.');
    else if (s.kind === 'reconnecting') fill(this.streamNote, 'Connection lost, reconnecting… nothing will be missed.');
    else if (s.kind === 'connecting') fill(this.streamNote, 'Connecting…');
    else if (s.kind === 'ended') fill(this.streamNote, '');
    else fill(this.streamNote, 'Live updates are unavailable; this page still refreshes every few seconds.');
  }

  private buildFollowUp(): HTMLElement {
    const text = h('textarea', { id: 'followup-text', rows: 3, maxlength: limits.messageText });
    const submit = h('button', { type: 'submit', class: 'btn' }, 'Send');
    const note = formNote();
    const form = sendingForm(
      undefined,
      {
        submit,
        note,
        send: async () => {
          if (!text.value.trim()) {
            say(note, 'Write a message first.', 'error');
            return;
          }
          await this.api.post(
            `/v1/tickets/${encodeURIComponent(this.ticketId)}/messages`,
            { text: text.value },
            { idempotent: true },
          );
          text.value = '';
          say(note, 'Sent. We have added it to your ticket.', 'ok');
          this.scheduleRefresh();
        },
      },
      h('label', { for: 'followup-text', class: 'label' }, 'Add information to your ticket'),
      text,
      h('div', { class: 'actions' }, submit),
      note,
    );
    return h('section', { class: 'panel', 'aria-label': 'Follow up' }, form);
  }
}
