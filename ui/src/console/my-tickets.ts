/**
 * The tickets this agent holds (claimed, assigned to them, or taken over), from the desk store every
 * gateway shares: the agent's own queue, refreshed when the queue stream says a holder changed (polled with
 * the presence beat only while that stream is down) and after each assignment.
 */
import type { DeskAssignment, QueueFrame } from '../../../core/desk';
import type { ApiClient } from '../shared/api';
import { fill, h } from '../shared/dom';
import { shortId, timeAgo } from '../shared/format';
import { PRESENCE_BEAT_MS } from './desk-bar';
import { coalesce, PollWhileDown } from './live-refresh';

type Held = DeskAssignment & { ticketId: string };

export class MyTickets {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private poll: PollWhileDown | undefined;
  private readonly soon = coalesce(() => void this.refresh(), 200);

  constructor(
    private readonly api: ApiClient,
    private readonly onOpen: (ticketId: string) => void,
  ) {
    this.list = h('ul', { class: 'my-tickets' });
    this.element = h(
      'section',
      { class: 'panel', 'aria-labelledby': 'mine-heading' },
      h('h2', { id: 'mine-heading' }, 'My tickets'),
      this.list,
    );
  }

  start(): void {
    void this.refresh();
    this.poll = new PollWhileDown(() => void this.refresh(), PRESENCE_BEAT_MS);
  }

  setLive(live: boolean): void {
    this.poll?.setLive(live);
    if (live) void this.refresh();
  }

  /** Any holder change may be to or from me: the list is read again (once per burst). */
  applyFrame(frame: QueueFrame): void {
    if (frame.kind === 'desk') this.soon();
  }

  async refresh(): Promise<void> {
    try {
      const { tickets } = await this.api.get<{ tickets: Held[] }>('/v1/desk/mine');
      fill(
        this.list,
        tickets.length === 0
          ? h('li', { class: 'empty' }, 'You hold no tickets. Claim one to keep it yours.')
          : tickets.map((t) =>
              h(
                'li',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn small',
                    'data-ticket-id': t.ticketId,
                    on: { click: () => this.onOpen(t.ticketId) },
                  },
                  shortId(t.ticketId),
                ),
                h('span', { class: 'muted' }, ` since ${timeAgo(t.since)}`),
              ),
            ),
      );
    } catch {
      // The rest of the console works without it; the next beat tries again.
    }
  }
}
