/**
 * A worker killed with `kill -9` mid-activity must be noticed in seconds: the long activities heartbeat
 * while they wait, and their options carry a heartbeatTimeout the server enforces (from the activity's start,
 * so a short call needs no beat and sends none: each beat is a call to the server).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { msToNumber } from '@temporalio/common';
import { createActivities } from '../../activities';
import type { EventPublisher } from '../../activities/events';
import { KEEP_ALIVE_INTERVAL_MS, keepAlive } from '../../activities/keep-alive';
import type { DraftInput, Intelligence } from '../../activities/ports';
import { draftingOptions, modelCallOptions, publishingOptions, toolOptions } from '../../workflows/activity-options';
import { createScriptedIntelligence } from './helpers/scripted-intelligence';

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Heartbeats counted, and a promise that settles at the first one: a slow dependency answers then, so a test
 * waits on the beat, not on a clock. It fails after a few intervals without one (a clear error, not a hang).
 */
function firstBeat(env: MockActivityEnvironment) {
  let beats = 0;
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((res, reject) => {
    resolve = res;
    setTimeout(
      () => reject(new Error(`no heartbeat within ${5 * KEEP_ALIVE_INTERVAL_MS} ms`)),
      5 * KEEP_ALIVE_INTERVAL_MS,
    ).unref();
  });
  promise.catch(() => undefined);
  env.on('heartbeat', () => {
    beats++;
    resolve();
  });
  return { promise, count: () => beats };
}

describe('heartbeats', () => {
  test('model calls, drafting, tools and publishing have a heartbeatTimeout of seconds, not their start-to-close timeout', () => {
    for (const [name, opts] of Object.entries({ modelCallOptions, draftingOptions, toolOptions, publishingOptions })) {
      assert.ok(opts.heartbeatTimeout !== undefined, `${name} has no heartbeatTimeout`);
      assert.ok(msToNumber(opts.heartbeatTimeout) <= 15_000, `${name}: ${String(opts.heartbeatTimeout)}`);
    }
  });

  test('an activity heartbeats while the call it waits on is pending', { timeout: 30_000 }, async () => {
    const env = new MockActivityEnvironment();
    const beat = firstBeat(env);
    const publisher: EventPublisher = {
      // Slow broker: still waiting here when the worker would be killed; it answers once the activity has beaten.
      publishEvents: () => beat.promise,
      async publishAlert() {},
      async close() {},
    };
    const acts = createActivities({ intelligence: createScriptedIntelligence(new Map()).intelligence, publisher });
    await env.run(acts.publishEvents, []);
    assert.ok(beat.count() >= 1, `heartbeats while waiting: ${beat.count()}`);
  });

  test('a call that ends within the interval sends no heartbeat', async () => {
    const env = new MockActivityEnvironment();
    const beat = firstBeat(env);
    const acts = createActivities({
      intelligence: createScriptedIntelligence(new Map()).intelligence,
      publisher: { async publishEvents() {}, async publishAlert() {}, async close() {} },
    });
    await env.run(acts.publishEvents, []);
    assert.equal(beat.count(), 0, 'a publish that returned at once heartbeated');
  });

  test('drafting heartbeats while the model has not produced a token yet', { timeout: 30_000 }, async () => {
    const env = new MockActivityEnvironment();
    const beat = firstBeat(env);
    const base = createScriptedIntelligence(new Map()).intelligence;
    // A model that thinks before its first token: the worker could be killed in this silence.
    const intelligence: Intelligence = {
      ...base,
      drafter: {
        draft: async (input) => {
          await beat.promise;
          return { version: input.version, text: 'Here is the fix.', model: 'slow' };
        },
      },
    };
    const publisher: EventPublisher = { async publishEvents() {}, async publishAlert() {}, async close() {} };
    const acts = createActivities({ intelligence, publisher });
    const input = {
      ctx: { ticketId: 't-hb', userId: 'u', orgId: 'o' },
      analysis: { topic: 'Billing' },
      redactedText: 'help',
      findings: [],
      version: 1,
    } as unknown as DraftInput;
    await env.run(acts.draftReply, { input, seq: 3 });
    assert.ok(beat.count() >= 1, `heartbeats before the first token: ${beat.count()}`);
  });

  test('keepAlive beats on an interval and stops when the call returns', { timeout: 30_000 }, async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    let fourth: () => void = () => undefined;
    const fourBeats = new Promise<void>((r) => (fourth = r));
    env.on('heartbeat', () => {
      if (++beats === 4) fourth();
    });
    // The call ends only once the interval has beaten four times: no wall-clock bound for a loaded machine to break.
    await env.run(() => keepAlive(() => fourBeats, 25));
    const atReturn = beats;
    await delay(200);
    assert.equal(beats, atReturn, 'no heartbeat after the call returned');
  });
});
