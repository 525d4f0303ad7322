/**
 * The queues side by side. Each column is one queue from Temporal visibility (the TicketQueue search
 * attribute), newest first. The queue stream's frames reload it (once per burst), so new and moved tickets
 * appear without a reload; it polls every few seconds only while that stream is down, and pauses while the
 * tab is hidden.
 */
import type { QueueFrame } from '../../../core/desk';
import type { ApiClient } from '../shared/api';
import { h, fill } from '../shared/dom';
import { queueLabel, shortId, statusLabel, timeAgo } from '../shared/format';
import { limits } from '../shared/limits';
import type { TicketSummary } from '../shared/types';
import { coalesce } from './live-refresh';

export const BOARD_QUEUES = ['none', 'review', 'security', 'needs_sop', 'human_live', 'reopened'] as const;
const POLL_MS = 3_000;
/** While the queue stream is live, a slow safety poll only (frames do the work). */
const LIVE_POLL_MS = 60_000;

export class QueueBoard {
  readonly element: HTMLElement;
  private readonly columns = new Map<string, { list: HTMLElement; count: HTMLElement }>();
  private readonly status: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private selected: string | null = null;
  /** Each column's rows as last read, and whether that read filled a page (older tickets left out). */
  private lastRows = new Map<string, { rows: TicketSummary[]; full: boolean; total: number | undefined }>();
  private live = false;
  // A second apart at most: six columns and the counts are read each time, and a busy desk sends many frames.
  private readonly soon = coalesce(() => void this.refresh(), 1_000);

  constructor(
    private readonly api: ApiClient,
    private readonly onOpen: (ticketId: string) => void,
    /** Lists all of a queue (the finder), for a column that shows only its newest page. */
    private readonly onShowAll: (queue: string) => void = () => undefined,
  ) {
    this.status = h('p', { class: 'board-status', role: 'status', 'aria-live': 'polite' });
    const grid = h('div', { class: 'board-grid' });
    for (const queue of BOARD_QUEUES) {
      const headingId = `queue-${queue}`;
      const count = h('span', { class: 'count', 'aria-label': 'tickets' }, '…');
      const list = h('ul', { class: 'ticket-list', 'aria-labelledby': headingId });
      this.columns.set(queue, { list, count });
      grid.append(
        h(
          'section',
          { class: `queue queue-${queue}`, 'data-queue': queue },
          h('h2', { id: headingId }, queueLabel(queue), ' ', count),
          list,
        ),
      );
    }
    this.element = h('section', { class: 'board', 'aria-label': 'Queues' }, grid, this.status);
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) void this.refresh();
    });
  }

  start(): void {
    void this.refresh();
  }

  setLive(live: boolean): void {
    this.live = live;
    this.element.dataset.live = String(live);
    void this.refresh();
  }

  /** A ticket moved or arrived: the columns are read again (once per burst of frames). */
  applyFrame(frame: QueueFrame): void {
    if (frame.kind === 'ticket') this.soon();
  }

  select(ticketId: string | null): void {
    this.selected = ticketId;
    for (const [queue, { rows, full, total }] of this.lastRows) this.renderColumn(queue, rows, full, total);
  }

  /** Reloads every column now (after an action) and schedules the next poll. */
  async refresh(): Promise<void> {
    clearTimeout(this.timer);
    try {
      const pages = await Promise.all(
        BOARD_QUEUES.map((queue) =>
          this.api
            // Open tickets only: closed ones keep the queue they ended in and would fill the page (they did).
            .get<{ tickets: TicketSummary[] }>(`/v1/tickets?queue=${queue}&open=1&pageSize=${limits.defaultPageSize}`)
            .then((p) => [queue, p.tickets] as const),
        ),
      );
      let counts: Record<string, number> | null = null;
      try {
        counts = (await this.api.get<{ counts: Record<string, number> | null }>('/v1/queues')).counts;
      } catch {
        counts = null; // counts are a nicety; the lists still show
      }
      for (const [queue, rows] of pages) {
        // The rows are running tickets (open=1); the 'none' queue also holds those whose work is done (a resolved
        // ticket waits for its re-check): the console shows only those still moving.
        const visible =
          queue === 'none' ? rows.filter((r) => !['closed', 'resolved', 'failed'].includes(r.status)) : rows;
        const total = counts?.[queue];
        // A full page leaves tickets out, unless the queue's count says every one of them is shown.
        const full = rows.length >= limits.defaultPageSize && (total === undefined || total > visible.length);
        this.lastRows.set(queue, { rows: visible, full, total });
        this.renderColumn(queue, visible, full, total);
      }
      const time = new Date().toLocaleTimeString();
      fill(this.status, this.live ? `Live · updated ${time}` : `Updated ${time} · checking every few seconds`);
      this.status.classList.remove('error');
    } catch (err) {
      fill(this.status, `Could not load the queues: ${(err as Error).message}`);
      this.status.classList.add('error');
    } finally {
      if (!document.hidden) this.timer = setTimeout(() => void this.refresh(), this.live ? LIVE_POLL_MS : POLL_MS);
    }
  }

  private renderColumn(queue: string, rows: TicketSummary[], full: boolean, total?: number): void {
    const col = this.columns.get(queue);
    if (!col) return;
    fill(col.count, String(total ?? rows.length));
    // A full page read leaves the oldest tickets out, the ones nearest their deadline (and in "none", running
    // tickets behind a page of finished ones): the column says so first and lists them all.
    const more = full
      ? h(
          'li',
          { class: 'more' },
          'Only the newest are shown. ',
          h('button', { type: 'button', on: { click: () => this.onShowAll(queue) } }, `List all: ${queueLabel(queue)}`),
        )
      : null;
    if (rows.length === 0) {
      fill(col.list, more, h('li', { class: 'empty' }, 'Nothing here'));
      return;
    }
    fill(col.list, [
      more,
      ...rows.map((row) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: `ticket-card${row.ticketId === this.selected ? ' selected' : ''}`,
              'data-ticket-id': row.ticketId,
              'aria-current': row.ticketId === this.selected ? 'true' : false,
              on: { click: () => this.onOpen(row.ticketId) },
            },
            h(
              'span',
              { class: 'card-top' },
              h('span', { class: 'ticket-id' }, shortId(row.ticketId)),
              row.urgency && row.urgency !== 'none'
                ? h('span', { class: `badge urgency-${row.urgency}` }, row.urgency)
                : null,
            ),
            h(
              'span',
              { class: 'card-meta' },
              [row.topic === 'none' ? 'untriaged' : row.topic, statusLabel(row.status)].join(' · '),
            ),
            h('span', { class: 'card-time' }, timeAgo(row.startedAt)),
          ),
        ),
      ),
    ]);
  }
}
