/**
 * One ticket in the console: the state from the API, redrawn whenever the live stream says something
 * happened, plus the stream's own log. The editor and forms are built once per ticket so typing is never
 * interrupted by a redraw.
 */
import { ApiFailure, type ApiClient } from '../shared/api';
import { h, fill } from '../shared/dom';
import { formatTime, queueLabel, statusLabel } from '../shared/format';
import { TicketStream, type StreamEvent, type StreamState } from '../shared/stream';
import type { AgentTicketState, SessionInfo } from '../shared/types';
import { DeskBar } from './desk-bar';
import { ProposalsPanel } from './proposals-panel';
import { ReviewPanel } from './review-panel';
import { briefPanel, customerPanel, describeEvent, findingsPanel, historyPanel } from './sections';
import { triagePanel } from './sections';
import { SopForm } from './sop-form';

const MAX_LOG = 300;
const SLOW_POLL_MS = 10_000;

export class TicketView {
  readonly element: HTMLElement;
  private readonly header: HTMLElement;
  private readonly streamBadge: HTMLElement;
  private readonly info: HTMLElement;
  private readonly history: HTMLElement;
  private readonly log: HTMLOListElement;
  private readonly error: HTMLElement;
  private readonly review: ReviewPanel;
  private readonly sop: SopForm;
  private readonly desk: DeskBar;
  private readonly proposals: ProposalsPanel;
  private stream: TicketStream | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private closed = false;

  constructor(
    private readonly api: ApiClient,
    private readonly session: SessionInfo,
    readonly ticketId: string,
    private readonly onChanged: () => void,
  ) {
    this.header = h('div', { class: 'ticket-header' });
    this.streamBadge = h('span', { class: 'stream-state', role: 'status', 'aria-live': 'polite' }, 'Connecting…');
    this.error = h('div', { class: 'action-feedback error', role: 'alert', hidden: true });
    this.info = h('div', { class: 'ticket-info' });
    this.history = h('div');
    // A list inside the live region (role=log on the <ol> itself would strip its items of list semantics);
    // focusable because it scrolls, so keyboard users can scroll it too.
    this.log = h('ol', { class: 'event-log', tabindex: 0, 'aria-label': 'Live events' });
    this.review = new ReviewPanel(api, ticketId, () => this.afterAction());
    this.sop = new SopForm(api, ticketId, () => this.afterAction());
    this.desk = new DeskBar(api, session.sub, ticketId, onChanged);
    this.proposals = new ProposalsPanel(api, ticketId, () => this.afterAction());
    this.element = h(
      'article',
      { class: 'ticket', 'aria-labelledby': 'ticket-title' },
      this.header,
      this.desk.element,
      this.error,
      h(
        'div',
        { class: 'ticket-grid' },
        this.info,
        h(
          'div',
          { class: 'ticket-side' },
          this.sop.element,
          this.proposals.element,
          this.review.element,
          this.history,
          h(
            'section',
            { class: 'panel', 'aria-labelledby': 'sec-events' },
            h('h3', { id: 'sec-events' }, 'Live events ', this.streamBadge),
            h('div', { role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions' }, this.log),
          ),
        ),
      ),
    );
  }

  async open(): Promise<void> {
    this.desk.start();
    fill(this.header, h('h2', { id: 'ticket-title', tabindex: -1 }, `Ticket ${this.ticketId}`));
    const state = await this.load();
    if (this.closed) return;
    for (const e of state?.events ?? []) this.appendEvent(e);
    // Resume after what the state already holds: nothing is shown twice, nothing is missed.
    this.stream = new TicketStream(
      this.api,
      this.ticketId,
      {
        onEvent: (e) => {
          this.appendEvent(e);
          this.scheduleRefresh();
        },
        onToken: (e) => this.review.onToken(e),
        onState: (s) => this.showStreamState(s),
      },
      state?.lastSeq ?? 0,
    );
    this.stream.start();
    // A slow poll besides the stream: the page stays current while the stream reconnects or is refused.
    this.pollTimer = setInterval(() => void this.load(), SLOW_POLL_MS);
  }

  /** The queue stream says this ticket's holder changed: the bar asks now instead of at its next beat. */
  deskChanged(): void {
    this.desk.refresh();
  }

  close(): void {
    this.closed = true;
    this.desk.stop();
    this.stream?.stop();
    clearTimeout(this.refreshTimer);
    clearInterval(this.pollTimer);
  }

  focusTitle(): void {
    document.getElementById('ticket-title')?.focus();
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.load(), 150);
  }

  private afterAction(): void {
    void this.load();
    this.onChanged();
  }

  private async load(): Promise<AgentTicketState | undefined> {
    try {
      const state = await this.api.get<AgentTicketState>(`/v1/tickets/${encodeURIComponent(this.ticketId)}`);
      if (this.closed) return state;
      this.error.hidden = true;
      this.render(state);
      return state;
    } catch (err) {
      this.error.hidden = false;
      fill(
        this.error,
        err instanceof ApiFailure && err.status === 404
          ? `Ticket ${this.ticketId} does not exist.`
          : `Could not load the ticket: ${(err as Error).message}`,
      );
      return undefined;
    }
  }

  private render(state: AgentTicketState): void {
    const temporal = this.session.temporal;
    const workflowUrl = temporal
      ? `${temporal.uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/ticket-${encodeURIComponent(this.ticketId)}`
      : null;
    const focused = document.activeElement?.id === 'ticket-title';
    fill(
      this.header,
      h('h2', { id: 'ticket-title', tabindex: -1 }, `Ticket ${this.ticketId}`),
      h(
        'p',
        { class: 'ticket-badges' },
        h('span', { class: `badge status-${state.status}`, 'data-status': state.status }, statusLabel(state.status)),
        // The queue and what the ticket waits for, when the status does not already say it.
        state.queue !== 'none' && queueLabel(state.queue) !== statusLabel(state.status)
          ? h('span', { class: 'badge queue-badge' }, queueLabel(state.queue))
          : null,
        state.awaiting && !(state.awaiting === 'review' && state.status === 'awaiting_review')
          ? h('span', { class: 'badge awaiting' }, `waiting for ${state.awaiting}`)
          : null,
        h('span', { class: 'muted' }, ` opened ${formatTime(state.timestamps.createdAt)} by ${state.userId}`),
        workflowUrl
          ? h(
              'a',
              { href: workflowUrl, target: '_blank', rel: 'noopener noreferrer', class: 'temporal-link' },
              'Open workflow in Temporal UI',
            )
          : null,
      ),
      state.awaitingReason ? h('p', { class: 'notice' }, state.awaitingReason) : null,
    );
    if (focused) this.focusTitle();
    fill(this.info, customerPanel(state), triagePanel(state), briefPanel(state), findingsPanel(state));
    fill(this.history, historyPanel(state));
    this.proposals.update(state.proposals);
    this.review.update(state);
    this.sop.update(state);
  }

  private appendEvent(e: StreamEvent): void {
    if (this.log.querySelector(`[data-seq="${e.seq}"]`)) return;
    this.log.append(
      h(
        'li',
        { 'data-seq': e.seq, 'data-type': e.type },
        h('span', { class: 'seq' }, `#${e.seq}`),
        h('time', { datetime: e.at }, formatTime(e.at)),
        h('span', { class: `etype etype-${e.type}` }, e.type),
        h('span', { class: 'edesc' }, describeEvent(e)),
      ),
    );
    while (this.log.children.length > MAX_LOG) this.log.firstElementChild?.remove();
    this.log.scrollTop = this.log.scrollHeight;
  }

  private showStreamState(s: StreamState): void {
    this.streamBadge.className = `stream-state ${s.kind}`;
    switch (s.kind) {
      case 'connecting':
        fill(this.streamBadge, 'Connecting…');
        break;
      case 'live':
        fill(this.streamBadge, 'Live');
        break;
      case 'reconnecting':
        fill(
          this.streamBadge,
          `Reconnecting${s.inMs ? ` in ${Math.ceil(s.inMs / 1000)} s` : '…'} (resuming after #${s.since})`,
        );
        break;
      case 'ended':
        fill(this.streamBadge, 'Stream ended: ticket closed');
        break;
      case 'failed':
        fill(this.streamBadge, `Stream unavailable: ${s.reason}`);
        break;
    }
  }
}
