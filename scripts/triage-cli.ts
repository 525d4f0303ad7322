/**
 * npm run --silent triage < tickets.jsonl
 * Reads {"id","query"} lines, writes one triage line per ticket with the model configured: an LLM with
 * OPENAI_API_KEY, else the semantic model when installed, else the rules (the `model` field says which).
 */
import { z } from 'zod';
import { config } from '../core/config';
import { modelFromConfig } from '../core/llm';
import { triageFromConfig } from '../activities/triage/configured';
import { processJsonLines } from './jsonl';

const lineSchema = z.object({
  id: z.union([z.string(), z.number()]),
  query: z.string().min(1, 'query is empty').max(20_000),
});

async function main() {
  const cfg = config();
  const triage = await triageFromConfig(cfg, modelFromConfig(cfg));
  await processJsonLines(lineSchema, async ({ id, query }) => {
    const r = await triage.triage(
      {
        ticketId: `cli-${
          String(id)
            .replace(/[^A-Za-z0-9_-]/g, '_')
            .slice(0, 40) || 'x'
        }`,
        userId: 'cli',
        orgId: 'cli',
      },
      query,
    );
    return {
      id,
      intent: r.analysis.intent,
      urgency: r.analysis.urgency,
      tone: r.analysis.tone,
      topic: r.analysis.topic,
      topics: r.analysis.topics,
      is_sensitive: r.analysis.is_sensitive,
      risk_category: r.security.risk_category,
      confidence_score: r.security.confidence_score,
      extracted_entities: r.security.extracted_entities,
      model: r.model,
      manipulation: r.analysis.manipulation === true,
      ...(r.confidence ? { confidence: r.confidence } : {}),
    };
  });
}

main().catch((err) => {
  process.stderr.write(`triage: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
