/** Routing rules and the event log are pure: tested directly, no server. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { QueryAnalysis, SecurityMetadata } from '../../core/domain';
import { ticketEventSchema } from '../../core/events';
import { EventLog } from '../../workflows/event-log';
import { raiseUrgency, routeTicket, SECURITY_PROTOCOL_CONFIDENCE, topicsOf } from '../../workflows/routing';

const analysis = (over: Partial<QueryAnalysis> = {}): QueryAnalysis => ({
  intent: 'x',
  urgency: 'medium',
  tone: 'neutral',
  topic: 'Billing',
  topics: [],
  is_sensitive: false,
  ...over,
});
const security = (over: Partial<SecurityMetadata> = {}): SecurityMetadata => ({
  risk_category: 'none',
  confidence_score: 0,
  extracted_entities: [],
  ...over,
});
const agents = ['A&S', 'Billing'] as const;

describe('routing rules', () => {
  test('a known topic with an agent proceeds to the review queue', () => {
    const r = routeTicket(analysis(), security(), agents);
    assert.deepEqual(r, {
      humanLive: false,
      reviewQueue: 'review',
      securityProtocol: false,
      agentTopics: ['Billing'],
      escalatedTopics: [],
    });
  });

  test('topic unknown -> human live queue', () => {
    const r = routeTicket(analysis({ topic: 'unknown' }), security(), agents);
    assert.equal(r.humanLive, true);
    assert.deepEqual(r.agentTopics, []);
  });

  test('topics with no agent are escalated while the others proceed (primary first, no duplicates)', () => {
    const r = routeTicket(
      analysis({ topic: 'Workers', topics: ['Billing', 'A&S', 'Billing', 'unknown'] }),
      security(),
      agents,
    );
    assert.equal(r.humanLive, false);
    assert.deepEqual(r.agentTopics, ['Billing', 'A&S']);
    assert.deepEqual(r.escalatedTopics, ['Workers']);
  });

  test('no topic with an agent at all -> a person answers live', () => {
    const r = routeTicket(analysis({ topic: 'Discourse', topics: ['ShotGun'] }), security(), agents);
    assert.equal(r.humanLive, true);
    assert.deepEqual(r.escalatedTopics, ['Discourse', 'ShotGun']);
  });

  test('sensitive or critical -> security queue; the protocol only at confidence >= 0.85 and sensitive', () => {
    assert.equal(
      routeTicket(analysis({ is_sensitive: true }), security({ confidence_score: 0.5 }), agents).reviewQueue,
      'security',
    );
    assert.equal(routeTicket(analysis({ urgency: 'critical' }), security(), agents).reviewQueue, 'security');
    assert.equal(
      routeTicket(analysis({ is_sensitive: true }), security({ confidence_score: 0.84 }), agents).securityProtocol,
      false,
    );
    assert.equal(
      routeTicket(
        analysis({ is_sensitive: true }),
        security({ confidence_score: SECURITY_PROTOCOL_CONFIDENCE }),
        agents,
      ).securityProtocol,
      true,
    );
    assert.equal(
      routeTicket(analysis({ urgency: 'critical' }), security({ confidence_score: 0.99 }), agents).securityProtocol,
      false,
      'critical alone is not the protocol',
    );
  });

  test('topicsOf and raiseUrgency', () => {
    assert.deepEqual(topicsOf(analysis({ topic: 'unknown', topics: ['A&S'] })), ['A&S']);
    assert.equal(raiseUrgency('low'), 'medium');
    assert.equal(raiseUrgency('high'), 'critical');
    assert.equal(raiseUrgency('critical'), 'critical');
    assert.equal(raiseUrgency(null), 'high');
  });
});

describe('event log', () => {
  const at = '2026-01-01T00:00:00.000Z';

  test('seq is gap-free from 1 and every event fits the shared envelope', () => {
    const state = { events: [], lastSeq: 0 };
    const log = new EventLog('t-1', state, 1);
    log.emit('status', { status: 'received' }, at);
    log.emit('tool', { tool: 'x' }, at);
    assert.deepEqual(
      state.events.map((e: { seq: number }) => e.seq),
      [1, 2],
    );
    assert.equal(state.lastSeq, 2);
    for (const e of state.events) ticketEventSchema.parse(e);
    assert.equal(log.take(10).length, 2);
    assert.equal(log.outbox.length, 0);
  });

  test('a reserved seq is filled by the draft; events emitted meanwhile come after it', () => {
    const state = { events: [] as { seq: number; type: string }[], lastSeq: 0 };
    const log = new EventLog('t-1', state as never, 4);
    const seq = log.reserve();
    assert.equal(seq, 4);
    log.emit('message', { text: 'mid-draft' }, at);
    assert.equal(state.events.length, 0, 'held until the draft is recorded');
    assert.throws(() => log.reserve(), /already reserved/);
    assert.throws(() => log.fill(5, 'draft', {}, at), /not the reserved one/);
    log.fill(seq, 'draft', { version: 1 }, at);
    assert.deepEqual(
      state.events.map((e) => [e.seq, e.type]),
      [
        [4, 'draft'],
        [5, 'message'],
      ],
    );
    assert.equal(log.next, 6);
  });
});
