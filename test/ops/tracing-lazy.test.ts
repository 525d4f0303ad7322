/**
 * A run that is not traced never loads OpenTelemetry: the SDK evaluates a bundle's modules afresh for every
 * run, and OpenTelemetry's, with the tracer provider the SDK's interceptors make, were 6.6 % of the workflow
 * thread's CPU (docs/benchmarks.md). The production bundle is loaded into a bare context the way the SDK's
 * reused V8 context loads it, its interceptor modules imported and their factory called as a run's start does,
 * and the run's module cache read. That a traced run still loads and uses them is test/ops/tracing.test.ts.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import vm from 'node:vm';
import { before, test } from 'node:test';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULE } from '../../worker-ops/tracing';

let loaded: string[];
before(async () => {
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, '../../workflows'),
    workflowInterceptorModules: [WORKFLOW_INTERCEPTOR_MODULE],
    logger: new DefaultLogger('WARN'),
  });
  const cache: Record<string, unknown> = {};
  const context = vm.createContext({});
  // The SDK routes the bundle's module cache through this global (its reused V8 context does the same).
  Object.defineProperty(context, '__webpack_module_cache__', { value: cache });
  vm.runInContext(code, context, { filename: 'workflow-bundle.js' });
  vm.runInContext('__TEMPORAL__.importInterceptors().forEach((m) => m.interceptors())', context);
  loaded = Object.keys(cache);
});

test('importing the interceptors and making them loads no OpenTelemetry module', () => {
  assert.ok(
    loaded.some((id) => id.endsWith('workflows/interceptors.ts')),
    `the interceptor module was not imported: ${loaded.length} modules`,
  );
  assert.deepEqual(
    loaded.filter((id) => id.includes('opentelemetry')),
    [],
  );
});
