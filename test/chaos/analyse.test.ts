/** The chaos audit finds what it claims to find: each defect it reports, planted in a small made-up run. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TicketEvent } from '../../core/events';
import type { FollowerRecord, TicketOutcome } from '../../scripts/driver';
import { analyse, problems, type Evidence } from '../../scripts/chaos/analyse';
import { emptyCounts } from '../../scripts/chaos/faults';
import type { RunInfo } from '../../scripts/chaos/histories';

const ev = (
  ticketId: string,
  seq: number,
  type: TicketEvent['type'],
  data: Record<string, unknown> = {},
): TicketEvent => ({ v: 1, ticketId, seq, type, at: '2026-01-01T00:00:00Z', data });

function follower(
  ticketId: string,
  audience: 'agent' | 'customer',
  seqs: number[],
  doubled: number[] = [],
): FollowerRecord {
  return { ticketId, audience, seqs: new Set(seqs), doubled, connects: 1, firstAt: new Map(), resolved: true };
}

function outcome(ticketId: string, reachedEnd: boolean, followers: FollowerRecord[]): TicketOutcome {
  return {
    n: 0,
    ticketId,
    idempotencyKey: ticketId,
    createStatus: 201,
    createAttempts: 1,
    postMs: 1,
    reachedEnd,
    actions: { review: { '200': 1, '503': 2 } },
    followers,
  };
}

function run(ticketId: string, extra: Partial<RunInfo> = {}): RunInfo {
  return {
    workflowId: `ticket-${ticketId}`,
    runId: `r-${ticketId}`,
    status: 'COMPLETED',
    startedAt: 1_500,
    workflowTaskFailures: 0,
    nondeterminism: [],
    failingNow: false,
    ...extra,
  };
}

describe('chaos audit', () => {
  const evidence: Evidence = {
    kafka: {
      records: 0,
      undecodable: 0,
      byTicket: new Map([
        // a: complete, one record repeated; its agent misses seq 2 and gets 3 twice; its customer sees only what customers see.
        [
          'a',
          [
            ev('a', 1, 'status', { status: 'received' }),
            ev('a', 2, 'tool', { tool: 'triage' }),
            ev('a', 2, 'tool', { tool: 'triage' }),
            ev('a', 3, 'resolved', { draftVersion: 1 }),
          ],
        ],
        // b: seq 3 never reached Kafka, and the same reply was sent twice.
        [
          'b',
          [
            ev('b', 1, 'status'),
            ev('b', 2, 'resolved', { draftVersion: 1 }),
            ev('b', 4, 'resolved', { draftVersion: 1 }),
          ],
        ],
        [
          'c',
          [
            ev('c', 1, 'status'),
            ev('c', 2, 'tool', { tool: 'refund', ok: true, summary: 'refunded tx1' }),
            ev('c', 3, 'tool', { tool: 'refund', ok: true, summary: 'refunded tx1' }),
          ],
        ],
      ]),
    },
    runs: [
      run('a', { nondeterminism: ['[TMPRL1100] Update machine does not handle this event'] }),
      run('b', { status: 'RUNNING', failingNow: true, replayError: 'DeterminismViolationError' }),
      run('c'),
    ],
    incidents: new Map([
      ['c', 1],
      ['a', 2],
    ]),
    known: new Set(['a', 'b']),
  };
  const figures = analyse(
    {
      name: 'planted',
      startedAt: 1_000,
      endedAt: 2_000,
      faults: emptyCounts(),
      outcomes: [
        outcome('a', true, [follower('a', 'agent', [1, 3], [3]), follower('a', 'customer', [1, 3])]),
        outcome('b', false, [follower('b', 'agent', [1, 2])]),
      ],
    },
    evidence,
  );

  it('counts closed, stuck and orphaned tickets', () => {
    assert.deepEqual(figures.tickets, { created: 2, createFailed: 0, closed: 1, stuck: 1, orphaned: 1 });
    assert.equal(figures.stuck[0]?.failingNow, true);
    assert.deepEqual(figures.orphaned, ['c']);
  });

  it('finds Kafka seq gaps and repeats, and events missing or doubled per subscriber', () => {
    assert.deepEqual(figures.kafka, { ticketsWithGaps: 1, missingSeqs: 1, repeatedRecords: 1 });
    assert.equal(figures.subscribers.missingEvents, 1, 'a/agent missed seq 2; customers never see tool events');
    assert.equal(figures.subscribers.doubledEvents, 1);
  });

  it('finds duplicate replies, refunds and incidents, non-determinism and replay failures', () => {
    assert.deepEqual(figures.duplicates, { replies: 1, refunds: 1, incidents: 2 });
    assert.equal(figures.nondeterminismErrors, 1);
    assert.equal(figures.replay.failures, 1);
    assert.deepEqual(figures.api, { createRetries: 0, responses5xx: 4, responses409: 0 });
    assert.ok(problems(figures).length >= 8, problems(figures).join(', '));
  });
});

describe('chaos audit: where a stream ends', () => {
  // A ticket's stream ends at its close, not at `resolved`: the tail after it (verification, feedback, the
  // close) is owed to every subscriber.
  const log = [
    ev('d', 1, 'status', { status: 'received' }),
    ev('d', 2, 'resolved', { draftVersion: 1 }),
    ev('d', 3, 'status', { status: 'verifying' }),
    ev('d', 4, 'message', { from: 'customer', kind: 'feedback' }),
    ev('d', 5, 'status', { status: 'closed' }),
  ];
  const figures = analyse(
    {
      name: 'tail',
      startedAt: 1_000,
      endedAt: 2_000,
      faults: emptyCounts(),
      outcomes: [outcome('d', true, [follower('d', 'agent', [1, 2]), follower('d', 'customer', [1, 2, 3, 4, 5])])],
    },
    {
      kafka: { records: 0, undecodable: 0, byTicket: new Map([['d', log]]) },
      runs: [run('d')],
      incidents: new Map(),
      known: new Set(['d']),
    },
  );

  it('counts the events after resolved that a subscriber missed', () => {
    assert.equal(figures.subscribers.missingEvents, 3, 'd/agent stopped at resolved: 3, 4 and 5 missing');
  });
});
