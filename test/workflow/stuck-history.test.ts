/**
 * The stuck ticket of issue 10 (test/fixtures/stuck/, recorded by the workflow of 02e54ad after worker kills):
 * its history can never replay, whatever the code, because one task scheduled a publish, chained to another
 * publish's completion, ahead of a reviewer's update. The rule that forbids such tasks (history-rules.ts) is
 * checked on every history the interleaving test makes; here it is shown to catch the stuck one and the
 * histories the old workflow recorded in ordinary runs. (Why live and replay disagree on that task, and how
 * the workflow now keeps any update from landing after such commands: workflows/task-guard.ts.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bundleOnce } from './helpers/harness';
import { historyFromJSON } from './helpers/history-json';
import { chainedPublishes, commandsAheadOfUpdate } from './helpers/history-rules';

const fixtures = path.resolve(__dirname, '../fixtures');
const load = (file: string) => historyFromJSON(JSON.parse(fs.readFileSync(path.join(fixtures, file), 'utf8')));
const stuck = 'stuck/nd-update-after-activity-retry.json';

let bundle: WorkflowBundleWithSourceMap;
before(async () => {
  bundle = await bundleOnce();
});

describe('the stuck ticket (issue 10, defect 1)', () => {
  test('its history has a publish chained to a completion ahead of the update, and never replays', async () => {
    assert.ok(
      chainedPublishes(load(stuck).events ?? []).includes(35),
      'the publish scheduled ahead of the edit (event 35)',
    );
    await assert.rejects(Worker.runReplayHistory({ workflowBundle: bundle }, load(stuck), 'stuck'), (err: unknown) => {
      assert.ok(err instanceof DeterminismViolationError, String(err));
      assert.match(err.message, /Update machine does not handle this event/);
      return true;
    });
  });

  test('the old workflow chained publishes in ordinary runs too (the saved histories it recorded)', () => {
    const saved = fs.readdirSync(path.join(fixtures, 'histories')).filter((f) => f.endsWith('.json'));
    const chained = saved.flatMap((f) => chainedPublishes(load(`histories/${f}`).events ?? []));
    assert.ok(chained.length > 0, 'no chained publish found in the old histories');
  });
});

/**
 * Found by the chaos run of 2026-12-01 02:47 UTC (a clean-clone CI trial at fb0eafc): a Temporal outage held
 * two tickets' draft completions until the server came back, the driver's review (sent on the draft it read
 * in the state) reached the same workflow task, and live the task wrote the completion's commands (an upsert,
 * a publish) before the review's acceptance. Such a history never replays, whatever the code ("Update machine
 * does not handle this event", the same failure as above); the rule that catches it is checked on every
 * history the interleaving test makes, and the task guard now refuses an update in a task like that one
 * (made on purpose in test/workflow/query-applied-completion.test.ts; the labels: task-guard.test.ts).
 */
describe('a review accepted in the task of a draft completion (chaos run)', () => {
  for (const [file, accepted] of [
    ['chaos-review-after-draft-1.json', 34],
    ['chaos-review-after-draft-2.json', 56],
  ] as const) {
    test(`${file}: the rule finds the late acceptance, and it never replays`, async () => {
      const history = load(`stuck/${file}`);
      assert.deepEqual(commandsAheadOfUpdate(history.events ?? []), [accepted]);
      assert.deepEqual(chainedPublishes(history.events ?? []), [], 'not the shape the older rule knows');
      await assert.rejects(Worker.runReplayHistory({ workflowBundle: bundle }, history, file), (err: unknown) => {
        assert.ok(err instanceof DeterminismViolationError, String(err));
        assert.match(err.message, /Update machine does not handle this event/);
        return true;
      });
    });
  }

  test('the rule finds the stuck ticket of issue 10 too, and none of the saved histories that replay', () => {
    assert.deepEqual(commandsAheadOfUpdate(load(stuck).events ?? []), [36]);
    const saved = fs.readdirSync(path.join(fixtures, 'histories')).filter((f) => f.endsWith('.json'));
    assert.ok(saved.length >= 10, `saved histories: ${saved.length}`);
    for (const f of saved) assert.deepEqual(commandsAheadOfUpdate(load(`histories/${f}`).events ?? []), [], f);
  });
});
