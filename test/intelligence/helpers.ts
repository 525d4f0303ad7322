import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../core/config';
import { createIntelligence } from '../../activities/intelligence';
import type { Intelligence } from '../../activities/ports';

export function tempDir(prefix = 'tf-intel-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A rules-model Intelligence on a fresh data directory. */
export async function freshIntelligence(
  env: Record<string, string> = {},
): Promise<{ intel: Intelligence; dataDir: string }> {
  const dataDir = tempDir();
  const cfg = loadConfig({ LOG_LEVEL: 'error', ...env });
  const intel = await createIntelligence(cfg, { dataDir, llm: null });
  return { intel, dataDir };
}
