/**
 * Who holds this ticket and who else is looking at it. While the ticket is open the console beats its
 * presence every few seconds; the answer (holder and viewers, from the store every gateway shares) redraws
 * the bar, so a second agent on the same ticket is flagged before either acts. Claim, release, pass on,
 * and take over (with a reason) go through POST /v1/tickets/:id/assign.
 */
import type { TicketDesk } from '../../../core/desk';
import { ApiFailure, type ApiClient } from '../shared/api';
import { fill, h } from '../shared/dom';
import { formatTime } from '../shared/format';

/** Well inside the server's presence TTL (20 s), so one late beat does not make a viewer vanish. */
export const PRESENCE_BEAT_MS = 5_000;

export class DeskBar {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private readonly actions: HTMLElement;
  private readonly feedback: HTMLElement;
  private readonly reason: HTMLInputElement;
  private readonly assignee: HTMLInputElement;
  private timer: ReturnType<typeof setInterval> | undefined;
  private desk: TicketDesk | undefined;
  private drawn = '';

  constructor(
    private readonly api: ApiClient,
    private readonly me: string,
    private readonly ticketId: string,
    private readonly onChanged: () => void,
  ) {
    this.status = h('div', { class: 'desk-status', role: 'status', 'aria-live': 'polite' }, 'Checking who has it…');
    this.actions = h('div', { class: 'desk-actions' });
    this.feedback = h('div', { class: 'action-feedback', 'aria-live': 'assertive' });
    this.reason = h('input', { type: 'text', id: 'takeover-reason', autocomplete: 'off', maxlength: 2000 });
    this.assignee = h('input', { type: 'text', id: 'assign-to', autocomplete: 'off', maxlength: 200 });
    this.element = h(
      'section',
      { class: 'panel desk-bar', 'aria-label': 'Assignment' },
      this.status,
      this.actions,
      this.feedback,
    );
  }

  start(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), PRESENCE_BEAT_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  refresh(): void {
    void this.beat();
  }

  /** The holder, when someone other than me holds the ticket. */
  get heldByOther(): string | null {
    const agent = this.desk?.assignment?.agent;
    return agent && agent !== this.me ? agent : null;
  }

  private async beat(): Promise<void> {
    try {
      this.show(await this.api.post<TicketDesk>(`/v1/tickets/${encodeURIComponent(this.ticketId)}/presence`, {}));
    } catch {
      // Presence is a courtesy: a missed beat shows nothing new and the next one tries again.
    }
  }

  private async assign(to: string | null, reason?: string): Promise<void> {
    try {
      const body = reason === undefined ? { to } : { to, reason };
      this.show(await this.api.post<TicketDesk>(`/v1/tickets/${encodeURIComponent(this.ticketId)}/assign`, body));
      this.feedback.className = 'action-feedback ok';
      fill(
        this.feedback,
        to === null ? 'Released: anyone may take it.' : `Assigned to ${to === this.me ? 'you' : to}.`,
      );
      this.reason.value = '';
      this.assignee.value = '';
      this.onChanged();
    } catch (err) {
      this.feedback.className = 'action-feedback error';
      fill(this.feedback, err instanceof ApiFailure ? err.message : String(err));
    }
  }

  private show(desk: TicketDesk): void {
    this.desk = desk;
    const holder = desk.assignment;
    const others = desk.viewers.filter((v) => v !== this.me);
    const key = JSON.stringify([holder, others]);
    if (key === this.drawn) return; // unchanged: keep focus and typed text where they are
    this.drawn = key;
    fill(
      this.status,
      holder
        ? h(
            'span',
            { class: `assignee${holder.agent === this.me ? ' mine' : ''}` },
            holder.agent === this.me ? 'Assigned to you' : `Assigned to ${holder.agent}`,
            h('span', { class: 'muted' }, ` since ${formatTime(holder.since)}`),
            holder.takeoverReason ? h('span', { class: 'muted' }, ` · taken over: ${holder.takeoverReason}`) : null,
          )
        : h('span', { class: 'assignee' }, 'Unassigned'),
      others.length > 0
        ? h('span', { class: 'viewers notice' }, `Also viewing now: ${others.join(', ')}`)
        : h('span', { class: 'viewers muted' }, 'Nobody else is viewing'),
    );
    const button = (label: string, onClick: () => void, cls = 'btn small') =>
      h('button', { type: 'button', class: cls, on: { click: onClick } }, label);
    if (holder && holder.agent !== this.me) {
      fill(
        this.actions,
        h('label', { for: 'takeover-reason', class: 'label' }, 'Reason to take it over'),
        this.reason,
        button('Take over', () => {
          const reason = this.reason.value.trim();
          if (reason.length < 3) {
            this.feedback.className = 'action-feedback error';
            fill(this.feedback, `Say why you take it from ${holder.agent}.`);
            this.reason.focus();
            return;
          }
          void this.assign(this.me, reason);
        }),
      );
      return;
    }
    fill(
      this.actions,
      holder
        ? button('Release', () => void this.assign(null))
        : button('Claim', () => void this.assign(this.me), 'btn small primary'),
      h('label', { for: 'assign-to', class: 'label' }, 'Assign to agent'),
      this.assignee,
      button('Assign', () => {
        const to = this.assignee.value.trim();
        if (to) void this.assign(to);
        else this.assignee.focus();
      }),
    );
  }
}
