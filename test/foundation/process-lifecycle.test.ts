/**
 * The detached-server plumbing the infra scripts rely on: a pid file is only trusted while its process runs
 * the right command, stop is clean with SIGTERM and falls back to SIGKILL, and nothing is left behind.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { isAlive, readPid, runningPid, spawnDetached, stopProcess } from '../../scripts/infra/proc';
import { waitFor } from '../helpers/wait';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-proc-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function startNode(name: string, script: string) {
  const pidFile = path.join(dir, `${name}.pid`);
  const logFile = path.join(dir, `${name}.log`);
  const pid = spawnDetached({
    name,
    command: process.execPath,
    args: ['-e', script, `marker-${name}`],
    logFile,
    pidFile,
  });
  return { pid, pidFile, logFile };
}

describe('detached processes', () => {
  it('stops a server with SIGTERM and removes its pid file', async () => {
    const s = startNode(
      'polite',
      "process.on('SIGTERM', () => { console.log('bye'); process.exit(0); }); console.log('up'); setInterval(() => {}, 1000);",
    );
    await waitFor(() => fs.readFileSync(s.logFile, 'utf8').includes('up'), { message: 'the child to start' });
    assert.equal(runningPid(s.pidFile, 'marker-polite'), s.pid);
    assert.equal(
      runningPid(s.pidFile, 'some-other-server'),
      undefined,
      'a pid whose command line lacks the marker is not ours',
    );
    assert.equal(await stopProcess(s.pidFile, 'marker-polite', 5_000), true);
    assert.equal(isAlive(s.pid), false);
    assert.equal(fs.existsSync(s.pidFile), false);
    assert.match(fs.readFileSync(s.logFile, 'utf8'), /bye/, 'it exited through its SIGTERM handler');
  });

  it('falls back to SIGKILL when SIGTERM is ignored', async () => {
    const s = startNode(
      'stubborn',
      "process.on('SIGTERM', () => console.log('ignoring')); console.log('up'); setInterval(() => {}, 1000);",
    );
    await waitFor(() => fs.readFileSync(s.logFile, 'utf8').includes('up'), { message: 'the child to start' });
    const started = Date.now();
    assert.equal(await stopProcess(s.pidFile, 'marker-stubborn', 500), true);
    assert.equal(isAlive(s.pid), false);
    assert.ok(Date.now() - started < 5_000);
    assert.match(fs.readFileSync(s.logFile, 'utf8'), /ignoring/);
  });

  it('treats a stale pid file as nothing running', async () => {
    const pidFile = path.join(dir, 'stale.pid');
    fs.writeFileSync(pidFile, '999999999\n');
    assert.equal(readPid(pidFile), 999999999);
    assert.equal(runningPid(pidFile, 'anything'), undefined);
    assert.equal(await stopProcess(pidFile, 'anything'), false);
    assert.equal(fs.existsSync(pidFile), false);
  });
});
