/**
 * A Docker Compose client to validate temporal-docker-compose.yml (parsing needs no Docker engine): the
 * `docker compose` plugin when it works, else the standalone `docker-compose` (Debian ships 1.29).
 */
import { spawnSync } from 'node:child_process';
import { aptInstall, canAptInstall } from './apt';
import { which } from './proc';

export interface ComposeClient {
  command: string;
  /** Arguments that come before the compose arguments (`compose` for the plugin). */
  prefix: string[];
  version: string;
}

function works(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return result.status === 0 ? `${result.stdout}`.trim().split('\n')[0] : undefined;
}

export function findComposeClient(): ComposeClient | undefined {
  const docker = which('docker');
  const plugin = docker ? works(docker, ['compose', 'version']) : undefined;
  if (docker && plugin) return { command: docker, prefix: ['compose'], version: plugin };
  const standalone = which('docker-compose');
  const version = standalone ? works(standalone, ['version', '--short']) : undefined;
  if (standalone && version) return { command: standalone, prefix: [], version };
  return undefined;
}

/** Finds one, or installs Debian's docker-compose when we may; undefined when there is no way to get one. */
export function ensureComposeClient(): ComposeClient | undefined {
  const found = findComposeClient();
  if (found || !canAptInstall()) return found;
  aptInstall(['docker-compose']);
  return findComposeClient();
}
