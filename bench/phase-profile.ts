/**
 * `BENCH_PROFILE_PHASE=fixed-rate BENCH_PROFILE_DIR=/tmp/p npm run bench ...`: a V8 CPU profile of the server
 * child over one kind of phase only (each repeat its own file), where BENCH_CPU_PROF profiles whole
 * processes. The steady-rate phase is a few percent of a run; a whole-process profile hides it.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

let session: Session | undefined;
let count = 0;

function post(method: string): Promise<unknown> {
  return new Promise((resolve, reject) =>
    session!.post(method, (err, result) => (err ? reject(err) : resolve(result))),
  );
}

export async function startPhaseProfile(phase: string | undefined): Promise<void> {
  if (!phase || phase !== process.env.BENCH_PROFILE_PHASE || !process.env.BENCH_PROFILE_DIR) return;
  session = new Session();
  session.connect();
  await post('Profiler.enable');
  await post('Profiler.start');
}

export async function stopPhaseProfile(label: string): Promise<void> {
  if (!session) return;
  const { profile } = (await post('Profiler.stop')) as { profile: unknown };
  session.disconnect();
  session = undefined;
  const dir = process.env.BENCH_PROFILE_DIR!;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, `${label}-${process.env.BENCH_PROFILE_PHASE}-${++count}.cpuprofile`),
    JSON.stringify(profile),
  );
}
