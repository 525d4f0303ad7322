import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { findTestFiles, needsServers, unitTestFiles } from '../../scripts/test-tiers';

const root = path.resolve(__dirname, '../..');

describe('test tiers', () => {
  it('files that reach a server, a browser or a child process are not unit tests', () => {
    assert.equal(needsServers("import { testKafka } from '../helpers/infra';"), true);
    assert.equal(needsServers("import { chromium } from 'playwright-core';"), true);
    assert.equal(needsServers("import { TestWorkflowEnvironment } from '@temporalio/testing';"), true);
    assert.equal(needsServers("import { decideAction } from '../../activities/policy';"), false);
  });

  it('the unit tier is a proper subset of the suite that leaves out the workflow, gateway and browser tests', () => {
    const all = findTestFiles(path.join(root, 'test'), []);
    const unit = unitTestFiles(all, root);
    assert.ok(unit.length > 10 && unit.length < all.length, `${unit.length} of ${all.length}`);
    // history-shape and metadata reach the server through the ticket suite's helper (they failed in the unit tier).
    for (const f of [
      'test/e2e/console.test.ts',
      'test/workflow/replay.test.ts',
      'test/gateway/outage.test.ts',
      'test/workflow/history-shape.test.ts',
      'test/workflow/metadata.test.ts',
    ]) {
      if (all.includes(f)) assert.ok(!unit.includes(f), f);
    }
    assert.ok(unit.includes('test/actions/refund-policy.test.ts'));
  });
});
