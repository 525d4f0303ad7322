/**
 * Where the infrastructure lives: tools (installed once, shared by every clone) under the tools cache,
 * data, logs and pid files (per clone) under the data folder.
 */
import path from 'node:path';
import type { Config } from '../../core/config';

export const repoRoot = path.resolve(__dirname, '..', '..');

export interface InfraPaths {
  toolsDir: string;
  dataDir: string;
  logsDir: string;
  runDir: string;
  temporalDataDir: string;
  kafkaDataDir: string;
  kafkaConfigDir: string;
}

export function infraPaths(cfg: Config): InfraPaths {
  const dataDir = path.resolve(cfg.dataDir);
  return {
    toolsDir: path.resolve(cfg.toolsDir),
    dataDir,
    logsDir: path.join(dataDir, 'logs'),
    runDir: path.join(dataDir, 'run'),
    temporalDataDir: path.join(dataDir, 'temporal'),
    kafkaDataDir: path.join(dataDir, 'kafka'),
    kafkaConfigDir: path.join(dataDir, 'kafka-config'),
  };
}
