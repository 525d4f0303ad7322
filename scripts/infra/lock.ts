/**
 * One starter at a time per data folder: `npm test` and `npm run up` started together must not both format
 * Kafka's storage or start two servers. A lock left by a dead process is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { delay, isAlive, readPid } from './proc';

export async function withLock<T>(lockFile: string, fn: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readPid(lockFile);
      if (holder === undefined || !isAlive(holder)) {
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another process (pid ${holder}) holds ${lockFile}`);
      if (!told) process.stderr.write(`infra: waiting for pid ${holder}, which is starting the servers\n`);
      told = true;
      await delay(500);
    }
  }
  try {
    return await fn();
  } finally {
    if (readPid(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
  }
}
