/**
 * bench:e2e measures a ticket's path, not the gateway's rate limiter: its stack's per-principal budgets must
 * cover everything the run sends from its busiest principal within one window. With the default budgets (20
 * creates a minute per customer) the 03:28 run's concurrency-10 level waited out the window: POST p99 37.6 s.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchLevels, benchStackEnv, WARM_UP_TICKETS } from '../../bench/e2e/levels';
import { loadConfig } from '../../core/config';

for (const quick of [false, true]) {
  test(`bench:e2e ${quick ? '--quick ' : ''}stack budgets cover the whole run from a single principal`, () => {
    const levels = benchLevels(quick);
    const limits = loadConfig(benchStackEnv(levels)).limits;
    const tickets = WARM_UP_TICKETS + levels.reduce((n, l) => n + l.count, 0);
    // Worst case: one principal sends every ticket (the agent follows every one of them).
    assert.ok(limits.tickets.points >= tickets, `${limits.tickets.points} creates a window < ${tickets} tickets`);
    // Each ticket opens an agent and a customer stream, and a stream may reconnect once.
    assert.ok(limits.streams.points >= 2 * tickets, `${limits.streams.points} stream opens < ${2 * tickets}`);
    const widest = Math.max(...levels.map((l) => l.concurrency));
    assert.ok(limits.maxStreams >= 2 * widest, `${limits.maxStreams} open streams < ${2 * widest}`);
  });
}
