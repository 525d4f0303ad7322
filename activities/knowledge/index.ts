/**
 * The KnowledgeBase port: SOPs from the repository's sops/ plus the ones humans provided (saved under the
 * data directory, never into the repository), searched with MiniSearch (BM25). A best score under the floor
 * means "no SOP": the workflow then asks a person for one.
 */
import fs from 'node:fs';
import path from 'node:path';
import MiniSearch from 'minisearch';
import type { Sop, Topic } from '../../core/domain';
import { TicketflowError } from '../../core/errors';
import { createLogger } from '../../core/logger';
import { redact } from '../../core/pii';
import { normalizeText } from '../../core/text-normalize';
import type { KnowledgeBase } from '../ports';
import { normalize } from '../triage/normalize';
import { parseSopFile, renderSopFile } from './sop-file';

const STOPWORDS = new Set(
  'a an and are as at be but by can could do does for from get got has have how i if in is it its me my no not of on or our please so that the their them then there this to us was we were what when where which who why will with you your hi hello thanks'.split(' '),
);

interface Doc {
  id: string;
  title: string;
  body: string;
  topic: Topic;
}

export interface KnowledgeOptions {
  sopsDir: string;
  /** Where human-provided SOPs are written (e.g. <dataDir>/sops-human). */
  humanDir: string;
  scoreFloor: number;
}

export interface KnowledgeBaseImpl extends KnowledgeBase {
  /** Best match and its score whatever the floor: for calibration and tests. */
  search(topic: Topic, text: string): { sop: Sop; score: number } | undefined;
  all(): Sop[];
}

function readDir(dir: string, source: Sop['source']): Sop[] {
  if (!fs.existsSync(dir)) return [];
  const log = createLogger('knowledge');
  const out: Sop[] = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.md')).sort()) {
    try {
      out.push(parseSopFile(fs.readFileSync(path.join(dir, f), 'utf8'), source, f));
    } catch (err) {
      log.warn('skipping malformed SOP file', { file: f, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'sop';

export function createKnowledgeBase(opts: KnowledgeOptions): KnowledgeBaseImpl {
  const sops = new Map<string, Sop>();
  const index = new MiniSearch<Doc>({
    fields: ['title', 'body'],
    storeFields: ['topic'],
    processTerm: (term) => {
      const t = normalize(term);
      return STOPWORDS.has(t) || t.length < 2 ? null : t;
    },
    // Fuzzy and prefix only on longer words: on short ones they match noise ("sick" ~ "sign").
    searchOptions: { boost: { title: 2 }, fuzzy: (t) => (t.length >= 7 ? 0.15 : false), prefix: (t) => t.length >= 5, combineWith: 'OR' },
  });
  const add = (sop: Sop) => {
    if (sops.has(sop.id)) index.discard(sop.id);
    sops.set(sop.id, sop);
    index.add({ id: sop.id, title: sop.title, body: sop.body, topic: sop.topic });
  };
  for (const sop of readDir(opts.sopsDir, 'library')) add(sop);
  for (const sop of readDir(opts.humanDir, 'human')) add(sop);

  const search = (topic: Topic, text: string) => {
    const hits = index.search(normalizeText(redact(text)).slice(0, 4000), { filter: (r) => r.topic === topic });
    const best = hits[0];
    // MiniSearch multiplies the BM25 sum by the number of matched terms, so long tickets score quadratically;
    // dividing it back out gives a plain BM25 sum that one floor can serve for short and long tickets.
    return best ? { sop: sops.get(String(best.id))!, score: best.score / Math.max(1, best.terms.length) } : undefined;
  };

  return {
    search,
    all: () => [...sops.values()],
    async findSop(topic, text) {
      const hit = search(topic, text);
      return hit && hit.score >= opts.scoreFloor ? hit.sop : null;
    },
    async saveSop(topic, title, body, author) {
      if (!title.trim() || !body.trim()) throw new TicketflowError('bad_input', 'an SOP needs a title and a body');
      const id = `human-${slug(title)}`;
      const sop: Sop = { id, title: title.trim(), topic, body: redact(body.trim()), allowedTools: [], source: 'human' };
      fs.mkdirSync(opts.humanDir, { recursive: true });
      // Written whole then renamed, so a crash never leaves half an SOP to be parsed at the next start.
      const file = path.join(opts.humanDir, `${id}.md`);
      fs.writeFileSync(`${file}.tmp`, renderSopFile(sop, author));
      fs.renameSync(`${file}.tmp`, file);
      add(sop);
      createLogger('knowledge').info('human SOP saved', { id, topic, author });
      return sop;
    },
  };
}
