/**
 * The prebuilt bundle counts as fresh while its digest matches (worker-ops/bundle-sources.ts). The modules
 * preloaded into the sandbox and the tracing interceptors are bundle options written as code: an edit to them
 * must make the bundle stale like an edit under workflows/ does.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { workflowSourcesDigest } from '../../worker-ops/bundle-sources';

void test('an edit to the preloaded modules or the tracing interceptors changes the digest', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-sources-'));
  try {
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    write('workflows/index.ts', 'export {};\n');
    write('core/events.ts', 'export {};\n');
    write('worker-ops/preload.ts', 'export const WORKFLOW_PRELOAD_MODULES = [];\n');
    write('worker-ops/tracing.ts', 'export {};\n');
    write('package-lock.json', '{}\n');
    const before = workflowSourcesDigest(root);
    write('worker-ops/preload.ts', "export const WORKFLOW_PRELOAD_MODULES = ['stack-depth'];\n");
    const afterPreload = workflowSourcesDigest(root);
    assert.notEqual(afterPreload, before, 'a changed preload list left the digest as it was');
    write('worker-ops/tracing.ts', 'export const x = 1;\n');
    assert.notEqual(workflowSourcesDigest(root), afterPreload, 'a changed interceptor module left the digest');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
