/**
 * The analytics page (/console/analytics): the desk's figures from GET /v1/analytics for a window of days
 * and a topic, as headline numbers and bar charts (Chart.js, bundled: no CDN). Each chart is an image with a
 * spoken summary, and its numbers are in a table right below it, so nothing is only in pixels.
 */
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import type { AnalyticsFigures } from '../../../client/figures';
import type { OutcomeFigures } from '../../../core/outcome-figures';
import type { ApiClient } from '../shared/api';
import { fill, h } from '../shared/dom';
import { queueLabel, statusLabel } from '../shared/format';
import { anyOf, filterSelect, setFilters, TOPICS } from './filters';
import { queueSizesChart } from './queue-chart';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export class AnalyticsPage {
  readonly element: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly status: HTMLElement;
  private readonly body: HTMLElement;
  private charts: Chart[] = [];
  private generation = 0;

  constructor(private readonly api: ApiClient) {
    this.form = h(
      'form',
      { class: 'finder-form', 'aria-label': 'Figures for' },
      filterSelect('Period', 'days', [
        ['7', 'Last 7 days'],
        ['14', 'Last 14 days'],
        ['31', 'Last 31 days'],
        ['1', 'Today'],
      ]),
      filterSelect('Topic', 'topic', anyOf('Every topic', TOPICS)),
    );
    this.form.addEventListener('change', () => void this.load());
    this.status = h('p', { class: 'finder-summary', role: 'status', 'aria-live': 'polite' }, 'Counting…');
    this.body = h('div', { class: 'analytics' });
    this.element = h(
      'section',
      { class: 'panel', 'aria-labelledby': 'analytics-heading' },
      h('h2', { id: 'analytics-heading' }, 'Desk analytics'),
      this.form,
      this.status,
      this.body,
    );
  }

  async load(): Promise<void> {
    const params = setFilters(this.form, new URLSearchParams());
    const generation = ++this.generation;
    try {
      const f = await this.api.get<AnalyticsFigures>(`/v1/analytics?${params.toString()}`);
      if (generation !== this.generation) return; // a newer choice answered first
      fill(this.status, `${f.from.slice(0, 10)} to ${f.to.slice(0, 10)}${f.topic ? ` · ${f.topic}` : ''}`);
      this.render(f);
    } catch (err) {
      if (generation !== this.generation) return;
      fill(this.status, `Could not count: ${(err as Error).message}`);
    }
  }

  private render(f: AnalyticsFigures): void {
    for (const c of this.charts) c.destroy();
    this.charts = [];
    const share = f.total > 0 ? `${Math.round((f.resolved / f.total) * 100)}%` : '—';
    const statuses = Object.entries(f.byStatus).filter(([, n]) => n > 0);
    fill(
      this.body,
      h(
        'dl',
        { class: 'figures' },
        [
          ['Tickets opened', String(f.total)],
          ['Resolved', `${f.resolved} (${share})`],
          ['Still open', String(f.open)],
          ['Waiting for review now', String(f.queues.review ?? 0)],
          ['Reviews past their SLA now', String(f.overdueReviews)],
        ].map(([k, v]) => h('div', { class: 'figure' }, h('dt', {}, k), h('dd', {}, v))),
      ),
      outcomes(f.outcomes),
      f.outcomes
        ? this.chart('chart-outcomes', 'Finished tickets', [
            ['Sent as drafted', f.outcomes.automated],
            ['Confirmed by the customer', f.outcomes.confirmed],
            ['Assumed resolved', f.outcomes.assumed],
            ['Reopened', f.outcomes.reopened],
          ])
        : null,
      this.queueSizes(f.queueSizes),
      this.chart(
        'chart-days',
        'Tickets per day',
        f.perDay.map((d) => [d.day, d.count]),
      ),
      this.chart(
        'chart-topics',
        'Tickets by topic',
        Object.entries(f.byTopic).map(([t, n]) => [t, n]),
      ),
      this.chart(
        'chart-status',
        'Tickets by status',
        statuses.map(([s, n]) => [statusLabel(s), n]),
      ),
      this.chart(
        'chart-queues',
        'Open queues now',
        Object.entries(f.queues).map(([q, n]) => [queueLabel(q), n]),
      ),
    );
  }

  private queueSizes(samples: AnalyticsFigures['queueSizes']): HTMLElement | null {
    if (!samples) return null;
    const { element, chart } = queueSizesChart(samples);
    if (chart) this.charts.push(chart);
    return element;
  }

  /** A bar chart with a spoken summary and the same numbers as a table. */
  private chart(id: string, title: string, rows: [string, number][]): HTMLElement {
    const summary = rows.map(([k, n]) => `${k}: ${n}`).join(', ') || 'no tickets';
    const canvas = h('canvas', { id, role: 'img', 'aria-label': `${title}. ${summary}` });
    const section = h(
      'figure',
      { class: 'chart' },
      h('figcaption', {}, title),
      h('div', { class: 'chart-box' }, canvas),
      h(
        'details',
        {},
        h('summary', {}, `${title}: the numbers`),
        h(
          'table',
          { class: 'sop-versions' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Bar'), h('th', { scope: 'col' }, 'Tickets'))),
          h(
            'tbody',
            {},
            rows.map(([k, n]) => h('tr', {}, h('td', {}, k), h('td', {}, String(n)))),
          ),
        ),
      ),
    );
    this.charts.push(
      new Chart(canvas, {
        type: 'bar',
        data: {
          labels: rows.map(([k]) => k),
          datasets: [{ label: 'Tickets', data: rows.map(([, n]) => n), backgroundColor: '#1d4ed8' }],
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
          // One series, named by the caption: the legend is for the queue lines (queue-chart.ts).
          plugins: { legend: { display: false } },
        },
      }),
    );
    return section;
  }
}

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);

/** 95000 -> "1 min 35 s": review times run from seconds to hours. */
function duration(ms: number | null): string {
  if (ms === null) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/**
 * CSAT, reopen rate, review time, the share sent as drafted, confirmed vs assumed resolutions and SLA breaches
 * of the tickets finished in the window (the memory database).
 */
function outcomes(o: OutcomeFigures | null): HTMLElement {
  const rows: [string, string][] = o
    ? [
        ['CSAT (rated 4 or 5)', `${percent(o.csat)} of ${o.ratings} ratings`],
        ['Reopen rate', `${percent(o.reopenRate)} of ${o.finished} finished`],
        ['Review time p50', duration(o.reviewP50Ms)],
        ['Review time p90', `${duration(o.reviewP90Ms)} (${o.reviews} reviews)`],
        ['Sent as drafted (no edit)', `${percent(o.automatedShare)} (${o.automated} of ${o.finished})`],
        ['Resolutions confirmed', `${o.confirmed} (${o.assumed} assumed)`],
        ['Review SLA breaches', String(o.slaBreaches)],
      ]
    : [['Outcomes', 'not connected to this gateway']];
  return h(
    'div',
    {},
    h('h3', {}, 'Outcomes of finished tickets'),
    h(
      'dl',
      { class: 'figures' },
      rows.map(([k, v]) => h('div', { class: 'figure' }, h('dt', {}, k), h('dd', {}, v))),
    ),
  );
}
