/**
 * Labelled tickets: the semantic model's memory (the train split) and the evaluation's answer key (either
 * split). One zod contract for both, so a file that drifts from the labels' shape fails loudly.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { riskCategories, tones, topics, urgencies } from '../../core/domain';

export const labelledTicketSchema = z.object({
  id: z.string().min(1),
  query: z.string().min(1),
  topic: z.enum(topics),
  topics: z.array(z.enum(topics)).default([]),
  urgency: z.enum(urgencies),
  tone: z.enum(tones),
  is_sensitive: z.boolean(),
  risk_category: z.enum(riskCategories),
  /** Text aimed at the system (ignore the rules, refund without checks, role play). Older files lack it. */
  manipulation: z.boolean().optional(),
});
export type LabelledTicket = z.infer<typeof labelledTicketSchema>;

export function parseLabelled(jsonl: string, source: string): LabelledTicket[] {
  return jsonl
    .split('\n')
    .map((line, i) => [line, i + 1] as const)
    .filter(([line]) => line.trim() !== '')
    .map(([line, n]) => {
      const parsed = labelledTicketSchema.safeParse(JSON.parse(line));
      if (!parsed.success)
        throw new Error(
          `${source}:${n}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      return parsed.data;
    });
}

export function readLabelled(file: string): LabelledTicket[] {
  return parseLabelled(fs.readFileSync(file, 'utf8'), file);
}
