/**
 * SOP files: Markdown with a small front matter block (id, title, topic, allowed_tools). Parsed by hand:
 * the format is ours and tiny, and a malformed file should be reported by name, not crash the index.
 */
import { sopSchema, topics, type Sop, type Topic } from '../../core/domain';
import { TicketflowError } from '../../core/errors';

export function parseSopFile(text: string, source: Sop['source'], fileName: string): Sop {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!m) throw new TicketflowError('bad_input', `${fileName}: no front matter (--- id/title/topic/allowed_tools ---)`);
  const meta: Record<string, string> = {};
  for (const line of m[1]!.split(/\r?\n/)) {
    const kv = /^([a-z_]+):\s*(.*)$/.exec(line.trim());
    if (kv) meta[kv[1]!] = kv[2]!.trim();
  }
  const tools = (meta.allowed_tools ?? '')
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const parsed = sopSchema.safeParse({
    id: meta.id,
    title: meta.title,
    topic: meta.topic,
    body: m[2]!.trim(),
    allowedTools: tools,
    source,
  });
  if (!parsed.success) {
    throw new TicketflowError(
      'bad_input',
      `${fileName}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/** `author` is kept in the front matter for the record; the parser ignores keys it does not know. */
export function renderSopFile(sop: Sop, author?: string): string {
  const by = author ? `author: ${author.replace(/[\r\n]/g, ' ').slice(0, 100)}\n` : '';
  return `---\nid: ${sop.id}\ntitle: ${sop.title.replace(/[\r\n]/g, ' ')}\ntopic: ${sop.topic}\nallowed_tools: [${sop.allowedTools.join(', ')}]\n${by}---\n${sop.body.trim()}\n`;
}

/** One section of an SOP body ("## Solution"), or undefined. */
export function sopSection(sop: Sop, heading: string): string | undefined {
  const re = new RegExp(`^##\\s+${heading}\\s*$([\\s\\S]*?)(?=^##\\s|(?![\\s\\S]))`, 'im');
  return re.exec(sop.body)?.[1]?.trim() || undefined;
}

export function isTopic(t: string): t is Topic {
  return (topics as readonly string[]).includes(t);
}
