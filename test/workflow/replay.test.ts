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
import { WORKFLOW_PRELOAD_MODULES } from '../../worker-ops/preload';
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

/**
 * The held credential revocation (issue 11), each history the path it is named for, so a re-record that lost
 * it does not go unnoticed. `before-wake` was recorded on bda9bde, before a confirm woke the security step (it
 * ran at the release): it keeps the `confirm-runs-revocation` patch honest. `confirm-reply` is recorded by
 * helpers/record-revocation-history.ts, before `ticket-shape-5` (its own marker) and with it (`shape5-`).
 */
const CONFIRM_RUNS_IT = ['decideProposalUpdate', 'executeProposal', 'releaseUpdate', 'reviewUpdate', 'finalReply'];
const HELD_REVOCATION_PATHS: Record<string, string[]> = {
  'ticket-held-revocation-before-wake.json': [
    'decideProposalUpdate',
    'releaseUpdate',
    'executeProposal',
    'reviewUpdate',
    'finalReply',
  ],
  'ticket-held-revocation-confirm-reply.json': CONFIRM_RUNS_IT,
  'shape5-ticket-held-revocation-confirm-reply.json': CONFIRM_RUNS_IT,
};
/** An update's name or a scheduled activity's type; undefined for other events. */
const stepName = (e: Record<string, unknown>) =>
  (e.workflowExecutionUpdateAcceptedEventAttributes as { acceptedRequest?: { input?: { name?: string } } })
    ?.acceptedRequest?.input?.name ??
  (e.activityTaskScheduledEventAttributes as { activityType?: { name?: string } })?.activityType?.name;

let bundle: WorkflowBundleWithSourceMap;
// Bundled as production bundles it (scripts/infra/workflow-bundle.ts): with the tracing interceptors, whose
// patch some saved histories hold, and the preloaded sandbox setup.
before(async () => {
  quietRuntime();
  bundle = await bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: [WORKFLOW_INTERCEPTOR_MODULE],
    preloadModules: WORKFLOW_PRELOAD_MODULES,
    logger: new DefaultLogger('WARN'),
  });
});

describe('ticket workflow replay', () => {
  test('there are saved histories to replay', () => {
    assert.ok(fixtures.length >= 5, `fixtures: ${fixtures.join(', ')}`);
  });

  for (const file of fixtures) {
    test(`replays ${file}`, async () => {
      await Worker.runReplayHistory({ workflowBundle: bundle }, historyFromJSON(load(file)), file);
    });
  }

  for (const [file, order] of Object.entries(HELD_REVOCATION_PATHS)) {
    test(`${file} holds the path it is named for: ${order.join(' < ')}`, () => {
      const steps = load(file).events.map(stepName);
      const at = order.map((name) => steps.indexOf(name));
      assert.ok(
        at.every((i, k) => i >= 0 && (k === 0 || i > at[k - 1]!)),
        `${order.join(' < ')}: ${at.join(', ')}`,
      );
      assert.equal(steps.filter((n) => n === 'executeProposal').length, 1, 'the revocation runs once');
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
