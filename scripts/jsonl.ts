/**
 * Shared by the triage and redact CLIs: read JSON lines from stdin, answer one JSON line per input line,
 * in order. A bad line gets an error line (with its id, or its line number) and the rest go on. Only JSON
 * goes to stdout; logs go to stderr.
 */
import readline from 'node:readline';
import type { z } from 'zod';

export async function processJsonLines<S extends z.ZodType>(
  schema: S,
  handle: (row: z.infer<S>) => Promise<Record<string, unknown>>,
): Promise<void> {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  const write = (obj: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(obj)}\n`);
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      write({ line: lineNo, error: 'not valid JSON' });
      continue;
    }
    const id =
      raw && typeof raw === 'object' && 'id' in raw && (typeof raw.id === 'string' || typeof raw.id === 'number')
        ? raw.id
        : undefined;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      write({
        ...(id !== undefined ? { id } : { line: lineNo }),
        error: parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; '),
      });
      continue;
    }
    try {
      write(await handle(parsed.data));
    } catch (err) {
      write({
        ...(id !== undefined ? { id } : { line: lineNo }),
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
}
