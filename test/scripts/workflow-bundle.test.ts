/** `npm run up` (and the chaos suite) build the workflow bundle only when the worker would not use it. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../core/config';
import { ensureWorkflowBundle } from '../../scripts/infra/workflow-bundle';

describe('workflow bundle for npm run up', () => {
  const cfg = loadConfig({});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-bundle-'));
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  const builds: string[] = [];
  const build = async (p: string) => {
    builds.push(p);
    fs.writeFileSync(p, '// built');
  };

  it('builds it when there is none, then leaves a fresh one alone', async () => {
    assert.equal(await ensureWorkflowBundle(cfg, { bundlePath, build }), 'built');
    assert.deepEqual(builds, [bundlePath]);
    assert.equal(await ensureWorkflowBundle(cfg, { bundlePath, build }), 'fresh');
    assert.equal(builds.length, 1);
  });

  it('rebuilds one older than the workflow sources', async () => {
    fs.utimesSync(bundlePath, new Date(0), new Date(0));
    assert.equal(await ensureWorkflowBundle(cfg, { bundlePath, build }), 'built');
    assert.equal(builds.length, 2);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is what `npm run up` does before it starts the worker', () => {
    const up = fs.readFileSync(path.join(__dirname, '..', '..', 'scripts', 'up.ts'), 'utf8');
    assert.match(up, /ensureWorkflowBundle\(cfg\)/);
  });
});
