/**
 * `npm run build:workflows`: bundles the workflow code once (webpack via bundleWorkflowCode) into
 * dist/workflow-bundle.js, so production workers start fast and run exactly the code that was built.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_PATH } from '../worker';

async function main(): Promise<void> {
  const started = Date.now();
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  fs.mkdirSync(path.dirname(WORKFLOW_BUNDLE_PATH), { recursive: true });
  fs.writeFileSync(WORKFLOW_BUNDLE_PATH, code);
  process.stdout.write(`workflow bundle: ${WORKFLOW_BUNDLE_PATH} (${Math.round(code.length / 1024)} KiB, ${Date.now() - started} ms)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`build-workflow-bundle: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
