/**
 * Saved ticket histories must replay against today's workflow code: a change that would break running
 * tickets (a different command order, a removed activity) fails here. Re-record on purpose only
 * (test/workflow/helpers/record-history.ts), and use patching when running tickets must survive a change.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflowCode, DefaultLogger, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULE } from '../../worker-ops/tracing';
import { quietRuntime, workflowsPath } from './helpers/harness';
import { historyFromJSON } from './helpers/history-json';

const dir = path.resolve(__dirname, '../fixtures/histories');
const fixtures = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const load = (file: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { events: Record<string, unknown>[] };

let bundle: WorkflowBundleWithSourceMap;
// Bundled as production bundles it (scripts/infra/workflow-bundle.ts): with the tracing interceptors, whose
// patch some saved histories hold.
before(async () => {
  quietRuntime();
  bundle = await bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: [WORKFLOW_INTERCEPTOR_MODULE],
    logger: new DefaultLogger('WARN'),
  });
});

describe('ticket workflow replay', () => {
  test('there are saved histories to replay', () => {
    assert.ok(fixtures.length >= 2, `fixtures: ${fixtures.join(', ')}`);
  });

  for (const file of fixtures) {
    test(`replays ${file}`, async () => {
      await Worker.runReplayHistory({ workflowBundle: bundle }, historyFromJSON(load(file)), file);
    });
  }

  test('a history that disagrees with the code fails the replay (the check has teeth)', async () => {
    const history = load(fixtures[0]!);
    // Pretend the recorded run scheduled a different first activity than the code does now.
    const scheduled = history.events.find((e) => e.activityTaskScheduledEventAttributes) as {
      activityTaskScheduledEventAttributes: { activityType: { name: string } };
    };
    assert.ok(scheduled, 'the history schedules activities');
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'someOtherActivity';
    await assert.rejects(
      Worker.runReplayHistory({ workflowBundle: bundle }, historyFromJSON(history), 'tampered'),
      (err: unknown) => {
        assert.ok(err instanceof DeterminismViolationError, `expected a determinism violation, got ${String(err)}`);
        return true;
      },
    );
  });
});
