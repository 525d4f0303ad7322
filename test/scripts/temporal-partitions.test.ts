/**
 * The dev server runs one partition per task queue only on a database that had one from its start: in a file
 * an older checkout wrote with the default four, tasks still queued in partitions 1-3 would never be read
 * again once the server read partition 0 only, and their tickets would hang (review of round seven).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ONE_PARTITION_SETTINGS, partitionSettings } from '../../scripts/infra/temporal-settings';

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tf-partitions-'));
}

describe('dev server task-queue partitions', () => {
  it('a new database gets one partition, and keeps it on every later start', () => {
    const db = path.join(scratch(), 'temporal.db');
    assert.deepEqual(partitionSettings(db), ONE_PARTITION_SETTINGS);
    fs.writeFileSync(db, 'sqlite'); // the server made the file
    assert.deepEqual(partitionSettings(db), ONE_PARTITION_SETTINGS);
  });

  it("a database an older checkout made keeps the server's four partitions", () => {
    const db = path.join(scratch(), 'temporal.db');
    fs.writeFileSync(db, 'sqlite');
    assert.deepEqual(partitionSettings(db), []);
    assert.equal(fs.existsSync(`${db}.one-partition`), false, 'no marker for a file made with four');
  });
});
