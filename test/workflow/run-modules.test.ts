/**
 * What every new run evaluates. The SDK's reused V8 context evaluates a bundle's modules afresh for each run,
 * so a module a run imports but does not need costs every ticket (docs/benchmarks.md, issue 9). The production
 * bundle is loaded into a bare context the way the SDK loads it (its module cache routed through a global),
 * a run's start replayed (the workflows imported, the interceptor modules imported and their factory called),
 * and the run's module cache read. That a traced run still loads and uses OpenTelemetry is
 * test/ops/tracing.test.ts; that an update still validates its input, test/workflow/handlers.test.ts.
 */
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { before, test } from 'node:test';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULE } from '../../worker-ops/tracing';
import { workflowsPath } from './helpers/harness';

let loaded: string[];
before(async () => {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: [WORKFLOW_INTERCEPTOR_MODULE],
    logger: new DefaultLogger('WARN'),
  });
  const cache: Record<string, unknown> = {};
  // The globals the SDK gives the sandbox besides the language's own (its vm-shared injectGlobals).
  const context = vm.createContext({ TextDecoder, TextEncoder, URL, URLSearchParams, AbortController });
  Object.defineProperty(context, '__webpack_module_cache__', { value: cache });
  vm.runInContext(code, context, { filename: 'workflow-bundle.js' });
  try {
    vm.runInContext(
      '__TEMPORAL__.importWorkflows(); __TEMPORAL__.importInterceptors().forEach((m) => m.interceptors())',
      context,
    );
  } catch (err) {
    // OpenTelemetry evaluated outside a workflow context reads `performance`, which the bare context lacks.
    const modules = Object.keys(cache).filter((id) => id.startsWith('./workflows/') || id.includes('opentelemetry'));
    throw new Error(`a run's start failed (${String(err)}) after evaluating ${modules.join(', ')}`);
  }
  loaded = Object.keys(cache);
});

test("a run's start evaluates the ticket workflow and the interceptors", () => {
  for (const id of ['./workflows/ticket-workflow.ts', './workflows/interceptors.ts'])
    assert.ok(loaded.includes(id), `${id} was not evaluated: ${loaded.length} modules`);
});

test('a run that is not traced loads no OpenTelemetry module', () => {
  assert.deepEqual(
    loaded.filter((id) => id.includes('opentelemetry')),
    [],
  );
});

test("a run does not build the event envelope's schemas (it needs only their version)", () => {
  assert.ok(!loaded.includes('./core/events.ts'), 'core/events.ts was evaluated');
});

test("a run's start builds none of the actions' input schemas, nor loads zod", () => {
  assert.deepEqual(
    loaded.filter((id) => id === './core/ticket-actions.ts' || id.includes('node_modules/zod/')),
    [],
  );
});
