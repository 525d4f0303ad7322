/** The chaos report: one column per scenario, as Markdown (for docs/reliability.md) and as JSON. */
import { problems, type ScenarioFigures } from './analyse';

const rows: [string, (f: ScenarioFigures) => string | number][] = [
  ['worker kills (kill -9)', (f) => f.faults.workerKills],
  ['gateway restarts (kill -9)', (f) => f.faults.gatewayRestarts],
  ['Kafka outages', (f) => f.faults.kafkaOutages],
  ['Temporal outages', (f) => f.faults.temporalOutages],
  ['tickets created (201)', (f) => f.tickets.created],
  ['creates never answered 201', (f) => f.tickets.createFailed],
  ['closed', (f) => f.tickets.closed],
  ['stuck', (f) => f.tickets.stuck],
  ['orphaned (no customer knows them)', (f) => f.tickets.orphaned],
  ['Kafka seq gaps (seqs)', (f) => f.kafka.missingSeqs],
  ['Kafka repeated records', (f) => f.kafka.repeatedRecords],
  ['subscribers followed', (f) => f.subscribers.count],
  ['events missing at subscribers', (f) => f.subscribers.missingEvents],
  ['events doubled at subscribers', (f) => f.subscribers.doubledEvents],
  [
    'duplicate replies / refunds / incidents',
    (f) => `${f.duplicates.replies} / ${f.duplicates.refunds} / ${f.duplicates.incidents}`,
  ],
  ['non-determinism errors', (f) => f.nondeterminismErrors],
  ['histories replayed / failed', (f) => `${f.replay.runs} / ${f.replay.failures}`],
  [
    'create retries; action 5xx; action 409',
    (f) => `${f.api.createRetries}; ${f.api.responses5xx}; ${f.api.responses409}`,
  ],
];

export function markdownReport(figures: ScenarioFigures[]): string {
  const lines = [`| | ${figures.map((f) => f.name).join(' | ')} |`, `|---|${figures.map(() => '---:').join('|')}|`];
  for (const [label, value] of rows) lines.push(`| ${label} | ${figures.map((f) => String(value(f))).join(' | ')} |`);
  return lines.join('\n');
}

/** What went wrong, scenario by scenario, with the tickets and runs to look at. */
export function failureDetails(figures: ScenarioFigures[]): string[] {
  const out: string[] = [];
  for (const f of figures) {
    const p = problems(f);
    if (p.length === 0) continue;
    out.push(`${f.name}: ${p.join(', ')}`);
    for (const s of f.stuck.slice(0, 10))
      out.push(
        `  stuck ${s.ticketId}: status ${s.status ?? '?'}, workflow ${s.workflow ?? '?'}${s.failingNow ? ', workflow task failing' : ''}`,
      );
    for (const o of f.orphaned.slice(0, 10)) out.push(`  orphaned ${o}`);
    for (const a of f.subscribers.affected.slice(0, 10)) out.push(`  subscriber ${a}`);
    for (const e of f.replay.errors.slice(0, 5)) out.push(`  replay ${e}`);
  }
  return out;
}
