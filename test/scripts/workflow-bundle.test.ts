/**
 * `npm run up` (and the chaos suite) build the workflow bundle only when the worker would not use it, and the
 * worker uses a prebuilt bundle only when it was built from the sources as they are now: an edit anywhere the
 * workflows import from (nested folders, core/) or a changed lock file means a rebuild.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../core/config';
import { ensureWorkflowBundle } from '../../scripts/infra/workflow-bundle';

describe('workflow bundle for npm run up', () => {
  const cfg = loadConfig({});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-bundle-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const bundlePath = path.join(dir, 'dist', 'workflow-bundle.js');
  // A sources tree of its own, so the test edits files without touching the repository's.
  const root = path.join(dir, 'src');
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('workflows/index.ts', 'export * from "./ticket";\n');
  write('workflows/steps/triage.ts', 'export const step = 1;\n');
  write('core/domain.ts', 'export const topics = ["a"];\n');
  write('package-lock.json', '{"lockfileVersion":3}\n');
  write('worker-ops/preload.ts', 'export const WORKFLOW_PRELOAD_MODULES = [];\n');
  write('worker-ops/tracing.ts', 'export {};\n');
  const builds: string[] = [];
  const build = async (p: string) => {
    builds.push(p);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, '// built');
  };
  const ensure = () => ensureWorkflowBundle(cfg, { bundlePath, sourcesRoot: root, build });
  /** Moves every source's mtime far into the past: the old rule (newer than workflows/*) called such a bundle fresh. */
  const backdate = () => {
    for (const f of fs.readdirSync(root, { recursive: true, encoding: 'utf8' }))
      fs.utimesSync(path.join(root, f), new Date(0), new Date(0));
  };

  it('builds it when there is none, then leaves a fresh one alone', async () => {
    assert.equal(await ensure(), 'built');
    assert.deepEqual(builds, [bundlePath]);
    assert.equal(await ensure(), 'fresh');
    assert.equal(builds.length, 1);
  });

  it('rebuilds after an edit in a nested workflows folder, even one with an old mtime', async () => {
    write('workflows/steps/triage.ts', 'export const step = 2;\n');
    backdate();
    assert.equal(await ensure(), 'built');
    assert.equal(await ensure(), 'fresh');
  });

  it('rebuilds after an edit in core/, a deleted workflow file or a new lock file', async () => {
    for (const change of [
      () => write('core/domain.ts', 'export const topics = ["a", "b"];\n'),
      () => fs.rmSync(path.join(root, 'workflows/steps/triage.ts')),
      () => write('package-lock.json', '{"lockfileVersion":3,"sdk":"1.25.0"}\n'),
    ]) {
      change();
      backdate();
      const before = builds.length;
      assert.equal(await ensure(), 'built');
      assert.equal(builds.length, before + 1);
    }
  });

  it('rebuilds after an edit to the modules preloaded into the sandbox or to the tracing interceptors', async () => {
    for (const change of [
      () => write('worker-ops/preload.ts', "export const WORKFLOW_PRELOAD_MODULES = ['stack-depth'];\n"),
      () => write('worker-ops/tracing.ts', 'export const x = 1;\n'),
    ]) {
      change();
      backdate();
      assert.equal(await ensure(), 'built', 'a bundle option written as code changed');
      assert.equal(await ensure(), 'fresh');
    }
  });

  it('rebuilds a bundle that has no record of its sources (one built by an older version)', async () => {
    fs.rmSync(`${bundlePath}.sources`);
    assert.equal(await ensure(), 'built');
  });

  it('is what `npm run up` does before it starts the worker', () => {
    const up = fs.readFileSync(path.join(__dirname, '..', '..', 'scripts', 'up.ts'), 'utf8');
    assert.match(up, /ensureWorkflowBundle\(cfg\)/);
  });
});
