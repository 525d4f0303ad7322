/**
 * Finding any ticket: a search box (ticket id or customer), words of the ticket's text, filters, a sort and
 * paging, all answered by the API from Temporal visibility. The board above shows each queue at a glance;
 * this list reaches every ticket.
 * Previous pages are kept as the tokens that opened them, since visibility pages only forward.
 */
import type { DeskView } from '../../../core/desk';
import type { ApiClient } from '../shared/api';
import { fill, h } from '../shared/dom';
import { queueLabel, reviewDueLabel, shortId, statusLabel, timeAgo } from '../shared/format';
import type { TicketSummary } from '../shared/types';
import { PRESENCE_BEAT_MS } from './desk-bar';

export const FINDER_PAGE_SIZE = 20;
const SEARCH_DELAY_MS = 300;
// The API's own lists (core/domain.ts); written out here so the bundle stays free of zod.
const TOPICS = ['A&S', 'Billing', 'Enterprise', 'DevSupport', 'Workers', 'ShotGun', 'Discourse', 'unknown'];
const URGENCIES = ['critical', 'high', 'medium', 'low', 'none'];
const QUEUES = ['review', 'security', 'needs_sop', 'human_live', 'reopened', 'enterprise', 'none'];

interface Page {
  tickets: TicketSummary[];
  nextPageToken: string | null;
  total?: number;
}

function select(label: string, name: string, options: [string, string][]): HTMLLabelElement {
  return h(
    'label',
    { class: 'filter' },
    label,
    h(
      'select',
      { name },
      options.map(([value, text]) => h('option', { value }, text)),
    ),
  );
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
  private desk: DeskView = { assignments: {}, viewers: {} };

  constructor(
    private readonly api: ApiClient,
    private readonly onOpen: (ticketId: string) => void,
  ) {
    this.searchInput = h('input', {
      type: 'search',
      name: 'search',
      placeholder: 'Ticket id or customer',
      autocomplete: 'off',
    });
    // Words of the ticket's text (redacted by triage): the API keeps letters and digits only.
    this.textInput = h('input', {
      type: 'search',
      name: 'text',
      placeholder: 'Words in the ticket',
      autocomplete: 'off',
      maxlength: 200,
    });
    this.form = h(
      'form',
      {
        class: 'finder-form',
        role: 'search',
        'aria-label': 'Find tickets',
        on: {
          submit: (ev: Event) => {
            ev.preventDefault();
            this.reload();
          },
        },
      },
      h('label', { class: 'filter search' }, 'Search tickets', this.searchInput),
      h('label', { class: 'filter search' }, 'Words in the text', this.textInput),
      select('Queue', 'queue', [['', 'Any queue'], ...QUEUES.map((q): [string, string] => [q, queueLabel(q)])]),
      select('Topic', 'topic', [['', 'Any topic'], ...TOPICS.map((t): [string, string] => [t, t])]),
      select('Urgency', 'urgency', [['', 'Any urgency'], ...URGENCIES.map((u): [string, string] => [u, u])]),
      select('Tickets', 'open', [
        ['1', 'Open only'],
        ['0', 'Open and finished'],
      ]),
      select('Sort by', 'sort', [
        ['newest', 'Newest first'],
        ['urgency', 'Most urgent first'],
        ['deadline', 'Review due soonest (pending reviews)'],
      ]),
    );
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
      h('h2', { id: 'finder-heading' }, 'Find tickets'),
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

  /** Who holds and who views the tickets shown, refreshed while the page is open. */
  watchDesk(): void {
    setInterval(() => void this.loadDesk(), PRESENCE_BEAT_MS);
  }

  private async loadDesk(): Promise<void> {
    if (this.rows.length === 0) return;
    const ids = this.rows.map((r) => r.ticketId).join(',');
    try {
      this.desk = await this.api.get<DeskView>(`/v1/desk?ids=${encodeURIComponent(ids)}`);
      this.render();
    } catch {
      // The list stays useful without it; the next refresh tries again.
    }
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
    const params = new URLSearchParams({ pageSize: String(FINDER_PAGE_SIZE), total: '1' });
    for (const field of Array.from(this.form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select'))) {
      const v = field.value.trim();
      if (v) params.set(field.name, v);
    }
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
    } catch (err) {
      if (generation !== this.generation) return;
      this.rows = [];
      this.nextToken = null;
      fill(this.summary, `Could not search: ${(err as Error).message}`);
      this.summary.classList.add('error');
    }
    this.render();
  }

  private deskCell(ticketId: string): HTMLElement {
    const holder = this.desk.assignments[ticketId]?.agent;
    const viewers = this.desk.viewers[ticketId] ?? [];
    return h(
      'span',
      { class: 'desk-cell', 'data-assignee': holder ?? '' },
      holder ? `held by ${holder}` : 'unassigned',
      viewers.length > 0 ? ` · viewing: ${viewers.join(', ')}` : '',
    );
  }

  private render(): void {
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
