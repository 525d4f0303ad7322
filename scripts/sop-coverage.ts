/**
 * npx tsx scripts/sop-coverage.ts <labelled.jsonl>...
 * Per topic, how many labelled tickets find a library SOP above the score floor when searched under their
 * labelled topic (retrieval alone, apart from triage). A miss means the ticket waits for a person's SOP.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { createKnowledgeBase } from '../activities/knowledge';
import { config } from '../core/config';
import { topics } from '../core/domain';

const rowSchema = z.object({ id: z.union([z.string(), z.number()]), query: z.string().min(1), topic: z.enum(topics) });

function main() {
  const files = process.argv.slice(2);
  if (!files.length) throw new Error('give at least one labelled JSONL file');
  const cfg = config();
  const kb = createKnowledgeBase({ sopsDir: cfg.knowledge.sopsDir, scoreFloor: cfg.knowledge.scoreFloor });
  const found: Record<string, { found: number; tickets: number; missed: string[] }> = {};
  for (const file of files) {
    for (const line of fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())) {
      const row = rowSchema.parse(JSON.parse(line));
      if (row.topic === 'unknown') continue;
      const t = (found[row.topic] ??= { found: 0, tickets: 0, missed: [] });
      t.tickets++;
      const hit = kb.search(row.topic, row.query);
      if (hit && hit.score >= cfg.knowledge.scoreFloor) t.found++;
      else t.missed.push(String(row.id));
    }
  }
  process.stdout.write(`${JSON.stringify(found)}\n`);
}

main();
