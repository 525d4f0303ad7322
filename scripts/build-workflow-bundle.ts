/**
 * `npm run build:workflows`: bundles the workflow code once (webpack via bundleWorkflowCode) into
 * dist/workflow-bundle.js, so production workers start fast and run exactly the code that was built.
 */
import { WORKFLOW_BUNDLE_PATH } from '../worker';
import { buildWorkflowBundle } from './infra/workflow-bundle';

async function main(): Promise<void> {
  const started = Date.now();
  const bytes = await buildWorkflowBundle();
  process.stdout.write(
    `workflow bundle: ${WORKFLOW_BUNDLE_PATH} (${Math.round(bytes / 1024)} KiB, ${Date.now() - started} ms)\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`build-workflow-bundle: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
