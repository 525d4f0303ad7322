/**
 * What the prebuilt workflow bundle was built from, as one digest kept beside it (`<bundle>.sources`). The
 * worker used to call a bundle fresh when it was newer than the files directly in `workflows/`; an edit under
 * `workflows/steps/` or in `core/` (the workflows import both), a deleted file or a changed SDK left the old
 * bundle running, which in development means old behaviour or a non-determinism error on replay. The digest
 * covers every file the workflows may import at run time (the workflow lint keeps them to `workflows/` and
 * `core/`) and the lock file that pins the SDK's own workflow code.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const SOURCE_DIRS = ['workflows', 'core'];
/** The bundle's options that are code: the modules preloaded into the sandbox, the tracing interceptors. */
const OPTION_FILES = ['worker-ops/preload.ts', 'worker-ops/tracing.ts'];
const LOCK_FILE = 'package-lock.json';

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile());
}

/** sha256 over the paths and contents of the bundle's possible inputs under `root`, in a stable order. */
export function workflowSourcesDigest(root: string): string {
  const files = [
    ...SOURCE_DIRS.flatMap((d) => filesUnder(path.join(root, d))),
    ...[...OPTION_FILES, LOCK_FILE].map((f) => path.join(root, f)),
  ]
    .filter((f) => fs.existsSync(f))
    .sort();
  const hash = crypto.createHash('sha256');
  for (const f of files) hash.update(path.relative(root, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  return hash.digest('hex');
}

const digestPath = (bundlePath: string) => `${bundlePath}.sources`;

/** True when `bundlePath` exists and was built from exactly the sources under `root` as they are now. */
export function bundleMatchesSources(bundlePath: string, root: string): boolean {
  if (!fs.existsSync(bundlePath) || !fs.existsSync(digestPath(bundlePath))) return false;
  return fs.readFileSync(digestPath(bundlePath), 'utf8').trim() === workflowSourcesDigest(root);
}

/** Records what a bundle was built from: `digest` taken before the build, so an edit during it counts as newer. */
export function recordBundleSources(bundlePath: string, digest: string): void {
  const partial = `${digestPath(bundlePath)}.${process.pid}.partial`;
  fs.writeFileSync(partial, `${digest}\n`);
  fs.renameSync(partial, digestPath(bundlePath));
}
