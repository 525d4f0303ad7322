/**
 * npm run --silent redact < lines.jsonl
 * Reads {"id","text"} lines and writes {"id","text"} with PII and secrets redacted (the default strategy;
 * REDACT_STRATEGY=mask|hash|redact picks another).
 */
import { z } from 'zod';
import { redact, strategies } from '../core/pii';
import { processJsonLines } from './jsonl';

const lineSchema = z.object({ id: z.union([z.string(), z.number()]), text: z.string().max(200_000) });

async function main() {
  const strategy = z
    .enum(strategies)
    .exclude(['block'])
    .default('redact')
    .safeParse(process.env.REDACT_STRATEGY || undefined);
  if (!strategy.success) {
    process.stderr.write('redact: REDACT_STRATEGY must be redact, mask or hash\n');
    process.exit(78);
  }
  await processJsonLines(lineSchema, async ({ id, text }) => ({ id, text: redact(text, strategy.data) }));
}

main().catch((err) => {
  process.stderr.write(`redact: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
