/**
 * Wires the embedded implementations of every intelligence port: the semantic (else rules) model when no API key is set,
 * ChatOpenAI (any OpenAI-compatible server via OPENAI_BASE_URL) otherwise; SQLite stores in the data
 * directory; SOPs from sops/ plus human-provided ones under <dataDir>/sops-human.
 */
import path from 'node:path';
import type { Config } from '../core/config';
import { createOpenAiModel, type StructuredModel } from '../core/llm';
import { observedModel, type ModelObserver } from '../core/llm-observed';
import { createDomainAgents, createLogSearch, seedAuditLogs } from './agents';
import { createDrafter } from './drafting';
import { createFeedbackAnalyzer } from './feedback';
import { loadPolicyGuardrail, rulesGuardrail } from './guardrail/live';
import { createKnowledgeBase, openSopStore } from './knowledge';
import { createMemory } from './memory';
import { decideAction } from './policy';
import type { Intelligence } from './ports';
import { createSecurityTools, openToolStore } from './security';
import { triageFromConfig } from './triage/configured';
import { createVerifier } from './verification';

export interface IntelligenceOptions {
  /** Defaults to cfg.dataDir. */
  dataDir?: string;
  /** Defaults to cfg.knowledge.sopsDir. */
  sopsDir?: string;
  /** A model to use instead of the configured one; `null` forces the rules model even with a key. */
  llm?: StructuredModel | null;
  /** Told of every call to the configured model (the worker's metrics). */
  modelObserver?: ModelObserver;
}

export async function createIntelligence(cfg: Config, opts: IntelligenceOptions = {}): Promise<Intelligence> {
  const dataDir = opts.dataDir ?? cfg.dataDir;
  const chosen =
    opts.llm === null ? undefined : (opts.llm ?? (cfg.llm.apiKey ? createOpenAiModel(cfg.llm) : undefined));
  const model = chosen && opts.modelObserver ? observedModel(chosen, opts.modelObserver) : chosen;

  const memory = createMemory({
    dataDir,
    databaseUrl: cfg.memory.databaseUrl,
    orgAlertDistinctUsers: cfg.memory.orgAlertDistinctUsers,
    orgAlertWindowMs: cfg.memory.orgAlertWindowMs,
  });
  const db = openToolStore(dataDir);
  const auditDir = path.join(dataDir, 'audit-logs');
  seedAuditLogs(auditDir);
  const security = createSecurityTools(db, (req) => decideAction(req, cfg.actions));
  const sopStore = openSopStore(cfg, dataDir);
  const knowledge = createKnowledgeBase({
    sopsDir: opts.sopsDir ?? cfg.knowledge.sopsDir,
    store: sopStore,
    scoreFloor: cfg.knowledge.scoreFloor,
  });
  // The meaning head by default since the tenth set's run, by the rule fixed before it (docs/guardrail.md).
  const guardrail =
    cfg.guardrail.model === 'meaning' ? await loadPolicyGuardrail(cfg.guardrail.embeddingDir) : rulesGuardrail();
  let closed = false;
  return {
    triage: await triageFromConfig(cfg, model),
    security,
    knowledge,
    agents: createDomainAgents({ db, security, logs: createLogSearch(auditDir), actionRules: cfg.actions }),
    drafter: createDrafter({ sopById: (id) => knowledge.sopById(id), model, guardrail }),
    guardrail,
    verifier: createVerifier(db),
    feedback: createFeedbackAnalyzer(model),
    memory,
    async close() {
      if (closed) return;
      closed = true;
      await memory.close();
      await sopStore.close();
      db.close();
    },
  };
}
