/**
 * Finding any ticket: a search box (ticket id or customer), words of the ticket's text, filters, a sort and
 * paging, all answered by the API from Temporal visibility. The board above shows each queue at a glance;
 * this list reaches every ticket. The queue stream keeps it current: a shown ticket's frame updates its row,
 * a ticket that may belong on the page reloads it, holders and viewers update in place.
 * Previous pages are kept as the tokens that opened them, since visibility pages only forward.
 */
import type { DeskView, QueueFrame } from '../../../core/desk';
import type { ApiClient } from '../shared/api';
import { fill, h } from '../shared/dom';
import { queueLabel, reviewDueLabel, shortId, statusLabel, timeAgo } from '../shared/format';
import type { TicketSummary } from '../shared/types';
import { PRESENCE_BEAT_MS } from './desk-bar';
import { DeskState } from './desk-state';
import { finderForm } from './finder-form';
import { setFilters } from './filters';
import { coalesce, PollWhileDown } from './live-refresh';

export const FINDER_PAGE_SIZE = 20;
const SEARCH_DELAY_MS = 300;
/** Visibility may answer a moment after the event that announced a ticket: a page that lacks it is read again. */
const ARRIVAL_RETRIES = 3;
const ARRIVAL_RETRY_MS = 1_000;
interface Page {
  tickets: TicketSummary[];
  nextPageToken: string | null;
  total?: number;
}

export class TicketFinder {
  readonly element: HTMLElement;
  readonly searchInput: HTMLInputElement;
  private readonly textInput: HTMLInputElement;
  private readonly form: HTMLFormElement;
  private readonly list: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  /** The token of every page shown so far; the last is the current page's. */
  private tokens: (string | undefined)[] = [undefined];
  private nextToken: string | null = null;
  private rows: TicketSummary[] = [];
  private selected: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  private readonly desk = new DeskState((id) => this.redrawDesk(id));
  private poll: PollWhileDown | undefined;
  /** Tickets announced by the stream that the page should show once visibility has them. */
  private arriving = new Set<string>();
  private arrivalTries = 0;
  private readonly soon = coalesce(() => void this.load(), 300);
  // Reads for announced tickets only while one is still missing: a frame that came while the read that finds
  // it was in flight, or a retry timer set before, would read the page (and the desk) again for nothing.
  private readonly arrivalRead = coalesce(() => {
    if (this.arriving.size > 0) void this.load();
  }, 300);

  constructor(
    private readonly api: ApiClient,
    private readonly onOpen: (ticketId: string) => void,
  ) {
    ({ form: this.form, search: this.searchInput, text: this.textInput } = finderForm(() => this.reload()));
    this.form.addEventListener('change', () => this.reload());
    for (const input of [this.searchInput, this.textInput]) {
      input.addEventListener('input', () => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.reload(), SEARCH_DELAY_MS);
      });
    }
    this.summary = h('p', { class: 'finder-summary', role: 'status', 'aria-live': 'polite' });
    this.list = h('ul', { class: 'finder-list', 'aria-label': 'Found tickets' });
    this.prev = h('button', { type: 'button', class: 'btn', on: { click: () => this.turn(-1) } }, 'Previous page');
    this.next = h('button', { type: 'button', class: 'btn', on: { click: () => this.turn(1) } }, 'Next page');
    this.element = h(
      'section',
      { class: 'panel finder', 'aria-labelledby': 'finder-heading' },
      h('h2', { id: 'finder-heading', tabindex: -1 }, 'Find tickets'),
      this.form,
      this.summary,
      this.list,
      h('nav', { class: 'pager', 'aria-label': 'Pages' }, this.prev, this.next),
    );
  }

  /** The tickets on the page shown, in order (for the keyboard's next and previous). */
  get visibleIds(): string[] {
    return this.rows.map((r) => r.ticketId);
  }

  select(ticketId: string | null): void {
    this.selected = ticketId;
    this.render();
  }

  /** Who holds and who views the tickets shown: polled only while the queue stream is down. */
  watchDesk(): void {
    this.poll = new PollWhileDown(() => void this.loadDesk(), PRESENCE_BEAT_MS);
  }

  /** The queue stream is (again) live: frames keep the page current from the fresh read made now. */
  setLive(live: boolean): void {
    this.poll?.setLive(live);
    if (live) void this.load();
  }

  applyFrame(frame: QueueFrame): void {
    if (frame.kind !== 'ticket') {
      const changed = this.desk.apply(frame);
      if (changed) this.redrawDesk(changed);
      return;
    }
    const row = this.rows.find((r) => r.ticketId === frame.ticketId);
    if (row) {
      Object.assign(row, {
        status: frame.status,
        queue: frame.queue,
        urgency: frame.urgency ?? 'none',
        topic: frame.topic ?? 'none',
      });
      this.render();
      // Newest first and still within the filters: the row in place is the truth. Otherwise it may have left
      // the filters or moved in the order: the page is read again.
      if (!this.mayShow(frame) || this.sortBy() !== 'newest') this.soon();
    } else if (this.tokens.length === 1 && this.mayShow(frame)) {
      this.arriving.add(frame.ticketId);
      this.arrivalTries = 0;
      this.arrivalRead();
    }
  }

  private filter(name: string): HTMLSelectElement | null {
    return this.form.querySelector<HTMLSelectElement>(`select[name="${name}"]`);
  }

  private field(name: string): string {
    return this.filter(name)?.value ?? '';
  }

  private sortBy(): string {
    return this.field('sort') || 'newest';
  }

  /** False when a filter the frame can be checked against rules the ticket out (the rest is the server's). */
  private mayShow(frame: Extract<QueueFrame, { kind: 'ticket' }>): boolean {
    const want = (name: string, got: string) => this.field(name) === '' || this.field(name) === got;
    return (
      want('queue', frame.queue) && want('topic', frame.topic ?? 'none') && want('urgency', frame.urgency ?? 'none')
    );
  }

  private redrawDesk(ticketId: string): void {
    const cell = this.list.querySelector(`.finder-row[data-ticket-id="${CSS.escape(ticketId)}"] .desk-cell`);
    cell?.replaceWith(this.deskCell(ticketId));
  }

  private async loadDesk(): Promise<void> {
    if (this.rows.length === 0) return;
    const ids = this.rows.map((r) => r.ticketId);
    try {
      this.desk.load(ids, await this.api.get<DeskView>(`/v1/desk?ids=${encodeURIComponent(ids.join(','))}`));
      this.render();
    } catch {
      // The list stays useful without it; the next refresh tries again.
    }
  }

  /**
   * Every open ticket of one queue, from the board's "list all": the other filters cleared, newest first and
   * paged with the total, so the oldest the board's page leaves out are on the last pages. (Not by review due:
   * that order lists only reviews with a due time, and runs from before `reviewDueAttribute` have none.)
   */
  showQueue(queue: string): void {
    this.searchInput.value = '';
    this.textInput.value = '';
    const set = (name: string, value: string) => {
      const select = this.filter(name);
      if (select) select.value = value;
    };
    for (const name of ['topic', 'urgency']) set(name, '');
    set('queue', queue);
    set('open', '1');
    set('sort', 'newest');
    this.reload();
    this.element.scrollIntoView({ block: 'start' });
    this.element.querySelector<HTMLElement>('h2')?.focus();
  }

  /** From the first page again, with the form as it stands. */
  reload(): void {
    clearTimeout(this.timer);
    this.tokens = [undefined];
    void this.load();
  }

  private turn(step: 1 | -1): void {
    if (step === 1 && this.nextToken) this.tokens.push(this.nextToken);
    else if (step === -1 && this.tokens.length > 1) this.tokens.pop();
    else return;
    void this.load();
  }

  private query(): string {
    const params = setFilters(this.form, new URLSearchParams({ pageSize: String(FINDER_PAGE_SIZE), total: '1' }));
    const token = this.tokens.at(-1);
    if (token) params.set('pageToken', token);
    return params.toString();
  }

  private async load(): Promise<void> {
    const generation = ++this.generation;
    try {
      const page = await this.api.get<Page>(`/v1/tickets?${this.query()}`);
      if (generation !== this.generation) return; // a newer search answered first
      this.rows = page.tickets;
      this.nextToken = page.nextPageToken;
      const first = (this.tokens.length - 1) * FINDER_PAGE_SIZE;
      const range = page.tickets.length ? `${first + 1}–${first + page.tickets.length}` : '0';
      fill(this.summary, `${range} of ${page.total ?? '?'} tickets · page ${this.tokens.length}`);
      this.summary.classList.remove('error');
      void this.loadDesk();
      this.awaitArrivals();
    } catch (err) {
      if (generation !== this.generation) return;
      this.rows = [];
      this.nextToken = null;
      fill(this.summary, `Could not search: ${(err as Error).message}`);
      this.summary.classList.add('error');
    }
    this.render();
  }

  /** Announced tickets still missing from a page they may belong on: read it again a few times. */
  private awaitArrivals(): void {
    for (const id of this.visibleIds) this.arriving.delete(id);
    if (this.arriving.size === 0 || this.arrivalTries >= ARRIVAL_RETRIES) {
      this.arriving.clear();
      return;
    }
    this.arrivalTries += 1;
    setTimeout(() => this.arrivalRead(), ARRIVAL_RETRY_MS);
  }

  private deskCell(ticketId: string): HTMLElement {
    const holder = this.desk.holder(ticketId);
    const viewers = this.desk.viewers(ticketId);
    return h(
      'span',
      { class: 'desk-cell', 'data-assignee': holder ?? '' },
      holder ? `held by ${holder}` : 'unassigned',
      viewers.length > 0 ? ` · viewing: ${viewers.join(', ')}` : '',
    );
  }

  private render(): void {
    // Redrawn rows must not take the keyboard's place away: the focused row is focused again after.
    const focused = document.activeElement?.closest('.finder-row')?.getAttribute('data-ticket-id');
    this.draw();
    if (focused) this.list.querySelector<HTMLElement>(`.finder-row[data-ticket-id="${CSS.escape(focused)}"]`)?.focus();
  }

  private draw(): void {
    this.prev.disabled = this.tokens.length <= 1;
    this.next.disabled = !this.nextToken;
    if (this.rows.length === 0) {
      fill(this.list, h('li', { class: 'empty' }, 'No tickets match.'));
      return;
    }
    fill(
      this.list,
      this.rows.map((row) => {
        const current = row.ticketId === this.selected;
        return h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: `finder-row${current ? ' selected' : ''}`,
              'data-ticket-id': row.ticketId,
              'aria-current': current ? 'true' : false,
              on: { click: () => this.onOpen(row.ticketId) },
            },
            h('span', { class: 'ticket-id' }, shortId(row.ticketId)),
            h('span', { class: `badge urgency-${row.urgency}` }, row.urgency === 'none' ? 'untriaged' : row.urgency),
            h('span', {}, row.topic === 'none' ? '—' : row.topic),
            h('span', {}, statusLabel(row.status)),
            h('span', {}, queueLabel(row.queue)),
            h('span', { class: 'card-time' }, timeAgo(row.startedAt)),
            h('span', { class: 'review-due' }, reviewDueLabel(row.reviewDueAt)),
            this.deskCell(row.ticketId),
          ),
        );
      }),
    );
  }
}
