/**
 * The phase profiles of one label never replace each other (bench/phase-profile.ts): the second fixed-rate
 * visit's server is a new process with the first's label, its count starting again at 1.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startPhaseProfile, stopPhaseProfile } from '../../bench/phase-profile';

test("a server's profile is written beside an earlier process's of the same label, not over it", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-phase-profile-'));
  Object.assign(process.env, { BENCH_PROFILE_PHASE: 'fixed-rate', BENCH_PROFILE_DIR: dir });
  try {
    // What the first visit's server left: its first repeat's profile.
    fs.writeFileSync(path.join(dir, 'uws-40-fixed-rate-1.cpuprofile'), 'first visit');
    await startPhaseProfile('fixed-rate');
    await stopPhaseProfile('uws-40');
    assert.equal(fs.readFileSync(path.join(dir, 'uws-40-fixed-rate-1.cpuprofile'), 'utf8'), 'first visit');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['uws-40-fixed-rate-1.cpuprofile', 'uws-40-fixed-rate-2.cpuprofile']);
  } finally {
    delete process.env.BENCH_PROFILE_PHASE;
    delete process.env.BENCH_PROFILE_DIR;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
