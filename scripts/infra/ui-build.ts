/** Builds the console UI (ui/build.ts) when the project has one, so the gateway serves current pages. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths';

/** Returns how long the build took in ms, or undefined when there is no UI to build; throws on failure. */
export function buildUiIfPresent(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const buildScript = path.join(repoRoot, 'ui', 'build.ts');
  if (!fs.existsSync(buildScript)) return undefined;
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', buildScript], {
    cwd: repoRoot,
    env,
    stdio: 'inherit',
  });
  if (result.status !== 0)
    throw new Error(`UI build failed (tsx ui/build.ts exited ${result.status ?? result.signal})`);
  return Date.now() - started;
}
