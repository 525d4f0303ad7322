/**
 * npx tsx scripts/human-live.ts [--agents=A&S,Billing] <labelled.jsonl>...
 * How many tickets of a mixed load the router sends to "human live": each labelled ticket is routed with
 * routeTicket twice, once from its labels (what a perfect triage would say) and once from the configured
 * triage model (the rules model without a key). `--agents` replaces the registry's topics, so the same
 * command measures the desk before and after a team gets its agent. For the triaged route it also counts
 * what happens next in the workflow: the security queue, no SOP found (a person provides one) and agents
 * that hand the ticket to a person, investigated as a demo customer (mona of acme-corp) on a fresh store.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AGENT_TOPICS } from '../activities/agents';
import { createIntelligence } from '../activities/intelligence';
import { config } from '../core/config';
import { topics, type QueryAnalysis, type Topic } from '../core/domain';
import { modelFromConfig } from '../core/llm';
import { routeTicket } from '../workflows/routing';

const rowSchema = z.object({
  id: z.union([z.string(), z.number()]),
  query: z.string().min(1),
  topic: z.enum(topics),
  topics: z.array(z.enum(topics)).default([]),
  is_sensitive: z.boolean().default(false),
  urgency: z.enum(['low', 'medium', 'high', 'critical']).default('medium'),
});

function parseArgs(argv: string[]): { agents: Topic[]; files: string[] } {
  const flag = argv.find((a) => a.startsWith('--agents='));
  const agents = flag
    ? z.array(z.enum(topics)).parse(flag.slice('--agents='.length).split(',').filter(Boolean))
    : [...AGENT_TOPICS];
  const files = argv.filter((a) => !a.startsWith('--'));
  if (files.length === 0) throw new Error('give at least one labelled JSONL file');
  return { agents, files };
}

async function main() {
  const { agents, files } = parseArgs(process.argv.slice(2));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'human-live-'));
  const intel = await createIntelligence(config(), { dataDir, llm: modelFromConfig(config()) ?? null });
  const next = { securityQueue: 0, sopMissing: 0, agentEscalated: 0, escalatedBy: {} as Record<string, number> };
  const none = { risk_category: 'none' as const, confidence_score: 0, extracted_entities: [] };
  let total = 0;
  let byLabels = 0;
  let byModel = 0;
  const modelTopics: Record<string, number> = {};
  const models = new Set<string>();
  for (const file of files) {
    for (const line of fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())) {
      const row = rowSchema.parse(JSON.parse(line));
      total++;
      const labelled: QueryAnalysis = {
        intent: 'labelled',
        urgency: row.urgency,
        tone: 'neutral',
        topic: row.topic,
        topics: row.topics,
        is_sensitive: row.is_sensitive,
      };
      if (routeTicket(labelled, none, agents).humanLive) byLabels++;
      const ctx = { ticketId: `hl-${String(row.id)}`, userId: 'mona', orgId: 'acme-corp' };
      const t = await intel.triage.triage(ctx, row.query);
      models.add(t.model);
      const route = routeTicket(t.analysis, t.security, agents);
      if (route.humanLive) {
        byModel++;
        modelTopics[t.analysis.topic] = (modelTopics[t.analysis.topic] ?? 0) + 1;
        continue;
      }
      if (route.securityProtocol) next.securityQueue++;
      let missing = false;
      let escalated = false;
      for (const topic of route.agentTopics.filter((x) => intel.agents.topics.includes(x))) {
        const sop = await intel.knowledge.findSop(topic, t.redactedText);
        if (!sop) missing = true;
        else if ((await intel.agents.investigate(ctx, topic, sop, t.analysis, t.redactedText)).needsHuman) {
          escalated = true;
          next.escalatedBy[topic] = (next.escalatedBy[topic] ?? 0) + 1;
        }
      }
      if (missing) next.sopMissing++;
      if (escalated) next.agentEscalated++;
    }
  }
  await intel.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const pct = (n: number) => `${((100 * n) / Math.max(1, total)).toFixed(1)}%`;
  process.stdout.write(
    `${JSON.stringify({ agents, triageModel: [...models], tickets: total, humanLive: { byLabels: byLabels, byLabelsShare: pct(byLabels), byTriage: byModel, byTriageShare: pct(byModel), byTriageTopic: modelTopics }, afterRouting: next })}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`human-live: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
