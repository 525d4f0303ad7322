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

function post(method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) =>
    session!.post(method, params, (err, result) => (err ? reject(err) : resolve(result))),
  );
}

const survivorsOnly = () => process.env.BENCH_PROFILE_HEAP === 'survivors';

function minorGc(): void {
  const gc = (globalThis as { gc?: (o: { type: 'minor'; execution: 'sync' }) => void }).gc;
  // Twice: a young object survives its first scavenge in the young generation (only the second promotes it).
  for (let i = 0; i < 2; i++) gc?.({ type: 'minor', execution: 'sync' });
}

export async function startPhaseProfile(phase: string | undefined): Promise<void> {
  if (!phase || phase !== process.env.BENCH_PROFILE_PHASE || !process.env.BENCH_PROFILE_DIR) return;
  session = new Session();
  session.connect();
  await post('Profiler.enable');
  await post('Profiler.start');
  // BENCH_PROFILE_HEAP=1: what the phase allocates (collected objects included), by stack: GC pressure's source.
  // BENCH_PROFILE_HEAP=survivors: only what outlived a scavenge (promoted, even if a mark-compact took it later),
  // by stack: what makes the old generation grow and the mark-compacts come (issue 15, ninth round).
  if (process.env.BENCH_PROFILE_HEAP)
    await post('HeapProfiler.startSampling', {
      samplingInterval: 8192,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: !survivorsOnly(),
    });
}

export async function stopPhaseProfile(label: string): Promise<void> {
  if (!session) return;
  const { profile } = (await post('Profiler.stop')) as { profile: unknown };
  // The young generation's garbage still unscavenged at the end would count as survivors: scavenge it first.
  if (survivorsOnly()) minorGc();
  const heap = process.env.BENCH_PROFILE_HEAP
    ? ((await post('HeapProfiler.stopSampling')) as { profile: unknown }).profile
    : undefined;
  session.disconnect();
  session = undefined;
  const dir = process.env.BENCH_PROFILE_DIR!;
  fs.mkdirSync(dir, { recursive: true });
  // Never over an earlier file: a second fixed-rate visit's server (fixed-visits.ts) is a new process with the
  // same label, whose count starts again; its first profile replaced the first visit's.
  let base: string;
  do base = path.join(dir, `${label}-${process.env.BENCH_PROFILE_PHASE}-${++count}`);
  while (fs.existsSync(`${base}.cpuprofile`));
  fs.writeFileSync(`${base}.cpuprofile`, JSON.stringify(profile));
  if (heap) fs.writeFileSync(`${base}.heapprofile`, JSON.stringify(heap));
}
