/**
 * The prebuilt workflow bundle (dist/workflow-bundle.js): a worker that finds a fresh one starts in about
 * 2 s instead of bundling for about 19 s, which matters to `npm run up` and to every worker restart the
 * chaos suite makes. Freshness is the worker's own rule (worker.ts workflowSource), so the two never disagree.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import type { Config } from '../../core/config';
import { WORKFLOW_BUNDLE_PATH, workflowSource } from '../../worker';
import { recordBundleSources, workflowSourcesDigest } from '../../worker-ops/bundle-sources';
import { WORKFLOW_PRELOAD_MODULES } from '../../worker-ops/preload';
import { WORKFLOW_INTERCEPTOR_MODULE } from '../../worker-ops/tracing';
import { repoRoot } from './paths';

/** Bundles the workflows into `bundlePath`; returns its size in bytes. */
export async function buildWorkflowBundle(bundlePath = WORKFLOW_BUNDLE_PATH): Promise<number> {
  const digest = workflowSourcesDigest(repoRoot);
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(repoRoot, 'workflows'),
    // Tracing's workflow side, always in: the worker's sink exports or drops its spans (worker-ops/tracing.ts).
    workflowInterceptorModules: [WORKFLOW_INTERCEPTOR_MODULE],
    preloadModules: WORKFLOW_PRELOAD_MODULES,
    logger: new DefaultLogger('WARN'),
  });
  fs.mkdirSync(path.dirname(bundlePath), { recursive: true });
  // Written aside then renamed: a worker starting meanwhile never reads half a bundle.
  const partial = `${bundlePath}.${process.pid}.partial`;
  fs.writeFileSync(partial, code);
  fs.renameSync(partial, bundlePath);
  recordBundleSources(bundlePath, digest);
  return code.length;
}

/** Builds the bundle unless the worker would already use it; says which. */
export async function ensureWorkflowBundle(
  cfg: Config,
  opts: { bundlePath?: string; sourcesRoot?: string; build?: (bundlePath: string) => Promise<unknown> } = {},
): Promise<'fresh' | 'built'> {
  const bundlePath = opts.bundlePath ?? WORKFLOW_BUNDLE_PATH;
  const root = opts.sourcesRoot ?? repoRoot;
  // Production never bundles at start (the worker refuses to), so only development needs the check.
  if ('workflowBundle' in workflowSource({ ...cfg, env: 'development' }, bundlePath, root)) return 'fresh';
  const digest = workflowSourcesDigest(root);
  await (opts.build ?? buildWorkflowBundle)(bundlePath);
  recordBundleSources(bundlePath, digest);
  return 'built';
}
