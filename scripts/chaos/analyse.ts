/**
 * Turns one scenario's driver outcomes, the Kafka log, the Temporal histories and the stores into the
 * figures the issue asks for: tickets closed, stuck, orphaned; Kafka seq gaps and repeats; events missing
 * or doubled per subscriber against the log; duplicate replies, refunds, incidents; non-determinism errors;
 * replay failures.
 */
import type { TicketEvent } from '../../core/events';
import { forCustomer } from '../../gateway/api/views';
import { endsStream } from '../../gateway/stream/stream-end';
import type { FollowerRecord, TicketOutcome } from '../driver';
import type { FaultCounts } from './faults';
import type { RunInfo } from './histories';
import type { KafkaLog } from './kafka-log';

export interface ScenarioRun {
  name: string;
  startedAt: number;
  endedAt: number;
  faults: FaultCounts;
  outcomes: TicketOutcome[];
}

export interface Evidence {
  kafka: KafkaLog;
  runs: RunInfo[];
  incidents: Map<string, number>;
  /** Every ticket id any scenario's driver was told about. */
  known: Set<string>;
}

export interface ScenarioFigures {
  name: string;
  faults: FaultCounts;
  tickets: { created: number; createFailed: number; closed: number; stuck: number; orphaned: number };
  stuck: { ticketId: string; status?: string; workflow?: string; failingNow: boolean }[];
  orphaned: string[];
  kafka: { ticketsWithGaps: number; missingSeqs: number; repeatedRecords: number };
  subscribers: { count: number; missingEvents: number; doubledEvents: number; affected: string[] };
  duplicates: { replies: number; refunds: number; incidents: number };
  nondeterminismErrors: number;
  replay: { runs: number; failures: number; errors: string[] };
  api: { createRetries: number; responses5xx: number; responses409: number };
}

const ticketOf = (workflowId: string) => workflowId.replace(/^ticket-/, '');

function uniqueBySeq(events: TicketEvent[]): Map<number, TicketEvent> {
  const m = new Map<number, TicketEvent>();
  for (const e of events) if (!m.has(e.seq)) m.set(e.seq, e);
  return m;
}

/** Seqs this subscriber should have had: the log up to the ticket's close (the stream ends there). */
function expectedSeqs(f: FollowerRecord, log: Map<number, TicketEvent>): number[] {
  const closing = [...log.values()].filter(endsStream).map((e) => e.seq);
  const end = closing.length > 0 ? Math.min(...closing) : Math.max(0, ...f.seqs);
  return [...log.values()]
    .filter((e) => e.seq <= end && (f.audience === 'agent' || forCustomer(e) !== null))
    .map((e) => e.seq);
}

/** Distinct seqs per key among events that pass `pick`: more than one seq per key is a duplicate. */
function duplicatesBy(events: Map<number, TicketEvent>, pick: (e: TicketEvent) => string | undefined): number {
  const seen = new Map<string, number>();
  for (const e of events.values()) {
    const key = pick(e);
    if (key !== undefined) seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen.values()].reduce((sum, n) => sum + (n - 1), 0);
}

export function analyse(s: ScenarioRun, ev: Evidence): ScenarioFigures {
  const runsByTicket = new Map<string, RunInfo[]>();
  for (const r of ev.runs)
    runsByTicket.set(ticketOf(r.workflowId), [...(runsByTicket.get(ticketOf(r.workflowId)) ?? []), r]);
  const created = s.outcomes.filter((o) => o.ticketId !== undefined);
  const orphaned = [...runsByTicket.entries()]
    .filter(
      ([id, runs]) => !ev.known.has(id) && runs.some((r) => r.startedAt >= s.startedAt && r.startedAt <= s.endedAt),
    )
    .map(([id]) => id);
  const tickets = [...created.map((o) => o.ticketId!), ...orphaned];

  const f: ScenarioFigures = {
    name: s.name,
    faults: s.faults,
    tickets: {
      created: created.length,
      createFailed: s.outcomes.length - created.length,
      closed: 0,
      stuck: 0,
      orphaned: orphaned.length,
    },
    stuck: [],
    orphaned,
    kafka: { ticketsWithGaps: 0, missingSeqs: 0, repeatedRecords: 0 },
    subscribers: { count: 0, missingEvents: 0, doubledEvents: 0, affected: [] },
    duplicates: { replies: 0, refunds: 0, incidents: 0 },
    nondeterminismErrors: 0,
    replay: { runs: 0, failures: 0, errors: [] },
    api: { createRetries: 0, responses5xx: 0, responses409: 0 },
  };

  for (const o of created) {
    const latest = runsByTicket.get(o.ticketId!)?.sort((a, b) => b.startedAt - a.startedAt)[0];
    if (o.reachedEnd) f.tickets.closed++;
    else
      f.stuck.push({
        ticketId: o.ticketId!,
        status: o.finalStatus,
        workflow: latest?.status,
        failingNow: latest?.failingNow ?? false,
      });
  }
  f.tickets.stuck = f.stuck.length;

  for (const id of tickets) {
    const raw = ev.kafka.byTicket.get(id) ?? [];
    const log = uniqueBySeq(raw);
    f.kafka.repeatedRecords += raw.length - log.size;
    const max = Math.max(0, ...log.keys());
    const gaps = max - log.size;
    if (gaps > 0) {
      f.kafka.ticketsWithGaps++;
      f.kafka.missingSeqs += gaps;
    }
    f.duplicates.replies += duplicatesBy(log, (e) =>
      e.type === 'resolved' ? String((e.data as { draftVersion?: unknown }).draftVersion) : undefined,
    );
    f.duplicates.refunds += duplicatesBy(log, (e) => {
      const d = e.data as { tool?: unknown; ok?: unknown; summary?: unknown };
      return e.type === 'tool' && d.tool === 'refund' && d.ok === true ? String(d.summary) : undefined;
    });
    // A second incident for one ticket, or any incident of a ticket nobody asked for (a repeated create).
    const incidents = ev.incidents.get(id) ?? 0;
    f.duplicates.incidents += orphaned.includes(id) ? incidents : Math.max(0, incidents - 1);
    for (const r of runsByTicket.get(id) ?? []) {
      f.nondeterminismErrors += r.nondeterminism.length;
      f.replay.runs++;
      if (r.replayError) {
        f.replay.failures++;
        f.replay.errors.push(`${r.workflowId}/${r.runId}: ${r.replayError}`);
      }
    }
  }

  for (const o of created) {
    const log = uniqueBySeq(ev.kafka.byTicket.get(o.ticketId!) ?? []);
    for (const sub of o.followers) {
      f.subscribers.count++;
      const missing = expectedSeqs(sub, log).filter((seq) => !sub.seqs.has(seq)).length;
      f.subscribers.missingEvents += missing;
      f.subscribers.doubledEvents += sub.doubled.length;
      if (missing > 0 || sub.doubled.length > 0)
        f.subscribers.affected.push(`${o.ticketId}/${sub.audience}: missing ${missing}, doubled ${sub.doubled.length}`);
    }
    f.api.createRetries += o.createAttempts - 1;
    for (const byStatus of Object.values(o.actions)) {
      for (const [status, n] of Object.entries(byStatus)) {
        if (Number(status) >= 500) f.api.responses5xx += n;
        if (status === '409') f.api.responses409 += n;
      }
    }
  }
  return f;
}

/** Whether a scenario met the goals: nothing stuck, lost, doubled or repeated, and every history replays. */
export function problems(f: ScenarioFigures): string[] {
  const out: string[] = [];
  if (f.tickets.stuck > 0) out.push(`${f.tickets.stuck} stuck`);
  if (f.tickets.orphaned > 0) out.push(`${f.tickets.orphaned} orphaned`);
  if (f.tickets.createFailed > 0) out.push(`${f.tickets.createFailed} creates never answered 201`);
  if (f.kafka.missingSeqs > 0) out.push(`${f.kafka.missingSeqs} Kafka seq gaps`);
  if (f.subscribers.missingEvents > 0) out.push(`${f.subscribers.missingEvents} events missing at subscribers`);
  if (f.subscribers.doubledEvents > 0) out.push(`${f.subscribers.doubledEvents} events doubled at subscribers`);
  const dups = f.duplicates.replies + f.duplicates.refunds + f.duplicates.incidents;
  if (dups > 0) out.push(`${dups} duplicate side effects`);
  if (f.nondeterminismErrors > 0) out.push(`${f.nondeterminismErrors} non-determinism errors`);
  if (f.replay.failures > 0) out.push(`${f.replay.failures} replay failures`);
  return out;
}
