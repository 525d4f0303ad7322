/**
 * The triage a process runs, from its config: the LLM when one is configured; otherwise the semantic model
 * when its files are installed (TRIAGE_MODEL=auto or semantic); otherwise the rules model, whose results
 * then say that the semantic model was wanted but missing.
 */
import type { Config } from '../../core/config';
import type { StructuredModel } from '../../core/llm';
import { createLogger } from '../../core/logger';
import type { Triage } from '../ports';
import { createTriage } from './index';
import { RULES_MODEL_ID } from './rules-model';
import { loadSemanticTriage } from './semantic-load';

export async function triageFromConfig(cfg: Config, model?: StructuredModel): Promise<Triage> {
  if (model || cfg.triage.model === 'rules') return createTriage(model);
  const semantic = await loadSemanticTriage({ modelDir: cfg.triage.embeddingDir, examples: cfg.triage.examples });
  if (semantic) return createTriage(undefined, { semantic });
  createLogger('triage').warn(
    'embedding model not installed; the rules model serves (npm run infra -- start installs it)',
    { dir: cfg.triage.embeddingDir },
  );
  return createTriage(undefined, { rulesModelId: `${RULES_MODEL_ID} (semantic model not installed)` });
}
