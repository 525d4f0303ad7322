/**
 * A worker killed with `kill -9` mid-activity must be noticed in seconds: the long activities heartbeat
 * while they wait, and their options carry a heartbeatTimeout the server enforces.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { msToNumber } from '@temporalio/common';
import { createActivities } from '../../activities';
import type { EventPublisher } from '../../activities/events';
import { keepAlive } from '../../activities/keep-alive';
import type { DraftInput, Intelligence } from '../../activities/ports';
import { draftingOptions, modelCallOptions, publishingOptions, toolOptions } from '../../workflows/activity-options';
import { createScriptedIntelligence } from './helpers/scripted-intelligence';

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('heartbeats', () => {
  test('model calls, drafting, tools and publishing have a heartbeatTimeout of seconds, not their start-to-close timeout', () => {
    for (const [name, opts] of Object.entries({ modelCallOptions, draftingOptions, toolOptions, publishingOptions })) {
      assert.ok(opts.heartbeatTimeout !== undefined, `${name} has no heartbeatTimeout`);
      assert.ok(msToNumber(opts.heartbeatTimeout) <= 15_000, `${name}: ${String(opts.heartbeatTimeout)}`);
    }
  });

  test('an activity heartbeats while the call it waits on is pending', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => beats++);
    const publisher: EventPublisher = {
      // Slow broker: the activity is still waiting here when the worker would be killed.
      publishEvents: async () => {
        await delay(300);
      },
      async publishAlert() {},
      async close() {},
    };
    const acts = createActivities({ intelligence: createScriptedIntelligence(new Map()).intelligence, publisher });
    await env.run(acts.publishEvents, []);
    assert.ok(beats >= 1, `heartbeats while waiting: ${beats}`);
  });

  test('drafting heartbeats while the model has not produced a token yet', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => beats++);
    const base = createScriptedIntelligence(new Map()).intelligence;
    // A model that thinks before its first token: the worker could be killed in this silence.
    const intelligence: Intelligence = {
      ...base,
      drafter: {
        draft: async (input) => {
          await delay(300);
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
    assert.ok(beats >= 1, `heartbeats before the first token: ${beats}`);
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
