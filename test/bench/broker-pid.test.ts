/**
 * The bench reads the broker's CPU from /proc (bench/proc-cpu.ts). With two brokers on the machine (the shared
 * one, a test's throwaway one, a bench pointed at its own), it must read the one the bench talks to, found by
 * the port in that JVM's properties file, not whichever `kafka.Kafka` process /proc lists first. Stand-ins
 * here: processes whose command line reads like a broker's (`java ... kafka.Kafka <properties>`).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { findKafkaBrokerPid } from '../../bench/proc-cpu';
import { waitFor } from '../helpers/wait';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broker-pid-'));
const started: ChildProcess[] = [];

function standIn(port: number): ChildProcess {
  const props = path.join(dir, `server-${port}.properties`);
  fs.writeFileSync(props, `node.id=1\nlisteners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${port + 1}\n`);
  // `sh -c 'sleep 60; true'` (a list, so sh does not exec sleep in its place) ignores the trailing words, which are only there for the command line.
  // Its own process group, so the end below takes `sleep` too (killing sh alone left it for a minute).
  const child = spawn('sh', ['-c', 'sleep 60; true', 'kafka.Kafka', props], {
    argv0: path.join(dir, 'java'),
    stdio: 'ignore',
    detached: true,
  });
  started.push(child);
  return child;
}

after(() => {
  for (const c of started) if (c.pid !== undefined) process.kill(-c.pid, 'SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the broker whose listener has the bench port is the one read, whichever /proc lists first', async () => {
  const first = standIn(41_901);
  const second = standIn(41_903);
  await waitFor(() => findKafkaBrokerPid(41_903) !== undefined, {
    timeoutMs: 5_000,
    message: 'stand-in brokers listed',
  });
  assert.equal(findKafkaBrokerPid(41_903), second.pid, 'the second stand-in, by its port');
  assert.equal(findKafkaBrokerPid(41_901), first.pid, 'the first stand-in, by its port');
  assert.equal(findKafkaBrokerPid(41_905), undefined, 'no broker listens on that port');
});
