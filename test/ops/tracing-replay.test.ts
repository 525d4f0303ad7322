/**
 * Tracing's workflow interceptors are in every production bundle (scripts/infra/workflow-bundle.ts), so a
 * ticket that started before they were added must still replay with them: each saved history (recorded
 * without them) replays through a bundle that has them, with the span sink on and off.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Resource } from '@opentelemetry/resources';
import { TRACE_HEADER as SDK_TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import { bundleWorkflowCode, DefaultLogger, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Tracing } from '../../core/tracing';
import { WORKFLOW_INTERCEPTOR_MODULE, workerTracing } from '../../worker-ops/tracing';
import { TRACE_HEADER } from '../../workflows/interceptors';
import { historyFromJSON } from '../workflow/helpers/history-json';

const dir = path.resolve(__dirname, '../fixtures/histories');
const fixtures = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const history = (file: string) =>
  historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { events: Record<string, unknown>[] });

// Only what the sink needs: the interceptors' replay path exports nothing, on or off.
const on = {
  processor: new SimpleSpanProcessor(new InMemorySpanExporter()),
  resource: new Resource({ 'service.name': 'replay' }),
} as unknown as Tracing;

let bundle: WorkflowBundleWithSourceMap;
before(async () => {
  bundle = await bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, '../../workflows'),
    workflowInterceptorModules: [WORKFLOW_INTERCEPTOR_MODULE],
    logger: new DefaultLogger('WARN'),
  });
});

describe('saved histories replay with the tracing interceptors bundled', () => {
  test("the workflow side reads the SDK's own trace header", () => {
    assert.equal(TRACE_HEADER, SDK_TRACE_HEADER);
  });

  for (const file of fixtures) {
    for (const [mode, tracing] of [
      ['off', undefined],
      ['on', on],
    ] as const) {
      test(`${file}, tracing ${mode}`, async () => {
        await Worker.runReplayHistory(
          { workflowBundle: bundle, sinks: workerTracing(tracing).sinks },
          history(file),
          file,
        );
      });
    }
  }
});
