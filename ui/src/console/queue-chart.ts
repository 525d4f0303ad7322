/**
 * The open queues over time on the analytics page: one line per queue through the gateways' samples
 * (gateway/api/queue-sampler.ts), an image with a spoken summary, and the numbers in a table below it.
 */
import { Chart, Legend, LineController, LineElement, PointElement } from 'chart.js';
import type { QueueSample } from '../../../activities/memory/queue-samples';
import { h } from '../shared/dom';
import { queueLabel } from '../shared/format';

Chart.register(Legend, LineController, LineElement, PointElement);

/** Distinct enough on white, and told apart in the table and the summary too (never by colour alone). */
const COLOURS = ['#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#b45309'];

/** The table shows the newest samples only: a month of 15-minute samples would be thousands of rows. */
const TABLE_ROWS = 48;

const time = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

export function queueSizesChart(samples: QueueSample[]): { element: HTMLElement; chart: Chart | null } {
  const title = 'Open queues over time';
  const queues = [...new Set(samples.flatMap((s) => Object.keys(s.queues)))];
  const last = samples.at(-1);
  const summary = last
    ? `${samples.length} samples; at ${time(last.at)} UTC: ${queues.map((q) => `${queueLabel(q)} ${last.queues[q] ?? 0}`).join(', ')}; highest: ${queues.map((q) => `${queueLabel(q)} ${Math.max(...samples.map((s) => s.queues[q] ?? 0))}`).join(', ')}`
    : 'no samples yet';
  const canvas = h('canvas', { id: 'chart-queue-sizes', role: 'img', 'aria-label': `${title}. ${summary}` });
  const shown = samples.slice(-TABLE_ROWS);
  const element = h(
    'figure',
    { class: 'chart' },
    h('figcaption', {}, `${title} (every topic)`),
    h('div', { class: 'chart-box' }, canvas),
    h(
      'details',
      {},
      h('summary', {}, `${title}: the numbers`),
      h(
        'table',
        { class: 'sop-versions' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Time (UTC)'),
            queues.map((q) => h('th', { scope: 'col' }, queueLabel(q))),
          ),
        ),
        h(
          'tbody',
          {},
          shown.map((s) =>
            h(
              'tr',
              {},
              h('td', {}, time(s.at)),
              queues.map((q) => h('td', {}, String(s.queues[q] ?? 0))),
            ),
          ),
        ),
      ),
    ),
  );
  if (!last) return { element, chart: null };
  const chart = new Chart(canvas, {
    type: 'line',
    data: {
      labels: samples.map((s) => time(s.at)),
      datasets: queues.map((q, i) => ({
        label: queueLabel(q),
        data: samples.map((s) => s.queues[q] ?? 0),
        borderColor: COLOURS[i % COLOURS.length],
        backgroundColor: COLOURS[i % COLOURS.length],
        pointRadius: samples.length > 100 ? 0 : 2,
      })),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  return { element, chart };
}
