/**
 * The policy guardrail a process runs on every reply (drafts, agents' edits, the final reply): the meaning head
 * (GUARDRAIL_MODEL=meaning, the default), or the rules. The head (v4, on bge-small) was designed and frozen,
 * with the rule deciding the default, before the tenth paraphrase set was read; on it, 46 of 70 caught (the
 * rules 6) and 3 of 70 benign flagged (the rules 3), so it became the default (docs/guardrail.md). With the head
 * chosen it decides alone: the rules' verdict is one of its features, since OR-ing them in took their false
 * alarms whole. Without the head's encoder (GUARDRAIL_EMBEDDING_DIR), or with a head trained on another
 * encoder, the rules serve, and the guardrail's id says so.
 */
import { loadEmbedder } from '../../core/embedding';
import { createLogger } from '../../core/logger';
import { checkDraftPolicy } from './index';
import { meaningGuardrail, readHead, type MeaningGuardrail, type MeaningHead } from './meaning';

export interface PolicyGuardrail {
  /** Which guardrail judged, e.g. `guardrail-meaning:all-minilm-l6-v2-q` or `guardrail-rules (...)`. */
  readonly id: string;
  /** Why the reply must not go out as is, or undefined when it passes. */
  check(text: string): Promise<string | undefined>;
}

export const RULES_GUARDRAIL_ID = 'guardrail-rules';

export function rulesGuardrail(id = RULES_GUARDRAIL_ID): PolicyGuardrail {
  return { id, check: (text) => Promise.resolve(checkDraftPolicy(text)) };
}

export function meaningPolicy(meaning: MeaningGuardrail): PolicyGuardrail {
  return {
    id: meaning.id,
    async check(text) {
      const flagged = await meaning.flagged(text);
      if (!flagged.length) return undefined;
      const why = flagged.map((f) => `"…${f.sentence.slice(0, 120)}…" (p ${f.p.toFixed(2)})`).join('; ');
      // The head decides; a rule that also fires names what it saw, for the person who reads the refusal.
      const rules = checkDraftPolicy(text);
      return `policy guardrail: reads as getting around a security control: ${why}${rules ? `; ${rules}` : ''}`;
    },
  };
}

/** The meaning guardrail when the model and a head trained on it are installed, else the rules. */
export async function loadPolicyGuardrail(modelDir: string, head: MeaningHead | undefined = readHead()) {
  const embedder = await loadEmbedder(modelDir);
  if (embedder && head?.model === embedder.id) return meaningPolicy(meaningGuardrail(embedder, head));
  createLogger('guardrail').warn('embedding model or meaning head missing; the rules guardrail serves alone', {
    dir: modelDir,
  });
  return rulesGuardrail(`${RULES_GUARDRAIL_ID} (meaning model not installed)`);
}
