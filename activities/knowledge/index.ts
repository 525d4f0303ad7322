/**
 * The KnowledgeBase port: the library is the SOPs in the repository's sops/ plus the latest approved version
 * of each SOP people provided (the versioned store, sop-store.ts), searched with MiniSearch (BM25). A best
 * score under the floor means "no SOP": the workflow then asks a person for one. A provided SOP is a
 * proposal: it serves the ticket it was given for at once, and enters the library only once another agent
 * approves it. Every worker re-indexes when the store's approvals move, so all see the same library.
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
import { parseSopFile } from './sop-file';
import type { Config } from '../../core/config';
import { createPostgresSopStore } from './sop-store-pg';
import { listLibrary, type SopLibraryEntry } from './library';
import { createSqliteSopStore, type SopStore, type SopVersion } from './sop-store';

/** Approves "human-x" (its latest version) or "human-x@2"; the gateway's route calls this on the same store. */
export async function approveSop(store: SopStore, id: string, approver: string): Promise<Sop> {
  const { sopId, version } = parseId(id);
  const v = await store.approve(sopId, version, approver);
  createLogger('knowledge').info('SOP approved', { id: sopId, version: v.version, author: v.author, approver });
  return toSop(v);
}

/** SQLite in the data directory, or PostgreSQL when SOP_DATABASE_URL is set. */
export function openSopStore(cfg: Config, dataDir = cfg.dataDir): SopStore {
  return cfg.knowledge.databaseUrl ? createPostgresSopStore(cfg.knowledge.databaseUrl) : createSqliteSopStore(dataDir);
}

const STOPWORDS = new Set(
  'a an and are as at be but by can could do does for from get got has have how i if in is it its me my no not of on or our please so that the their them then there this to us was we were what when where which who why will with you your hi hello thanks'.split(
    ' ',
  ),
);

interface Doc {
  id: string;
  title: string;
  body: string;
  topic: Topic;
}

export interface KnowledgeOptions {
  sopsDir: string;
  /** Versions of the SOPs people provide; without one, provided SOPs are refused. */
  store?: SopStore;
  scoreFloor: number;
}

export interface KnowledgeBaseImpl extends KnowledgeBase {
  /** Best match and its score whatever the floor: for calibration and tests (call refresh() first). */
  search(topic: Topic, text: string): { sop: Sop; score: number } | undefined;
  /** The library as last indexed. */
  all(): Sop[];
  /** Re-indexes the approved SOPs if an approval happened since the last look. */
  refresh(): Promise<void>;
  /** Every SOP for the library page: the files, and each provided SOP with all its versions. */
  listSops(): Promise<SopLibraryEntry[]>;
}

/** Provided SOPs carry their version in the id, so a ticket always gets back the exact text it was given. */
const versionedId = (sopId: string, version: number) => `${sopId}@${version}`;
const parseId = (id: string): { sopId: string; version?: number } => {
  const m = /^(.+)@(\d+)$/.exec(id);
  return m ? { sopId: m[1]!, version: Number(m[2]) } : { sopId: id };
};
const toSop = (v: SopVersion): Sop => ({
  id: versionedId(v.sopId, v.version),
  title: v.title,
  topic: v.topic,
  body: v.body,
  allowedTools: [],
  source: 'human',
});

function readDir(dir: string, source: Sop['source']): Sop[] {
  if (!fs.existsSync(dir)) return [];
  const log = createLogger('knowledge');
  const out: Sop[] = [];
  for (const f of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.md'))
    .sort()) {
    try {
      out.push(parseSopFile(fs.readFileSync(path.join(dir, f), 'utf8'), source, f));
    } catch (err) {
      log.warn('skipping malformed SOP file', { file: f, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'sop';

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
    searchOptions: {
      boost: { title: 2 },
      fuzzy: (t) => (t.length >= 7 ? 0.15 : false),
      prefix: (t) => t.length >= 5,
      combineWith: 'OR',
    },
  });
  const add = (sop: Sop) => {
    if (sops.has(sop.id)) index.discard(sop.id);
    sops.set(sop.id, sop);
    index.add({ id: sop.id, title: sop.title, body: sop.body, topic: sop.topic });
  };
  const remove = (id: string) => {
    index.discard(id);
    sops.delete(id);
  };
  for (const sop of readDir(opts.sopsDir, 'library')) add(sop);

  let seenApprovals = -1;
  async function refresh(): Promise<void> {
    if (!opts.store) return;
    const n = await opts.store.approvalCount();
    if (n === seenApprovals) return;
    const approved = (await opts.store.approved()).map(toSop);
    for (const sop of [...sops.values()])
      if (sop.source === 'human' && !approved.some((a) => a.id === sop.id)) remove(sop.id);
    for (const sop of approved) if (!sops.has(sop.id)) add(sop);
    seenApprovals = n;
  }
  const requireStore = () => {
    if (!opts.store) throw new TicketflowError('internal', 'no SOP store configured');
    return opts.store;
  };

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
    refresh,
    listSops: () => listLibrary([...sops.values()], opts.store),
    async findSop(topic, text) {
      await refresh();
      const hit = search(topic, text);
      return hit && hit.score >= opts.scoreFloor ? hit.sop : null;
    },
    async saveSop(topic, title, body, author, ticketId) {
      if (!title.trim() || !body.trim()) throw new TicketflowError('bad_input', 'an SOP needs a title and a body');
      // Same title, same SOP: a new version beside the old ones, never over them.
      const v = await requireStore().propose({
        sopId: `human-${slug(title)}`,
        topic,
        title: title.trim(),
        body: redact(body.trim()),
        author,
        ...(ticketId ? { ticketId } : {}),
      });
      createLogger('knowledge', ticketId ? { ticketId } : {}).info('SOP proposed', {
        id: v.sopId,
        version: v.version,
        topic,
        author,
      });
      return toSop(v);
    },
    async sopById(id) {
      const known = sops.get(id);
      if (known || !opts.store) return known;
      const { sopId, version } = parseId(id);
      const v = version === undefined ? undefined : await opts.store.get(sopId, version);
      return v ? toSop(v) : undefined;
    },
    async approveSop(id, approver) {
      const sop = await approveSop(requireStore(), id, approver);
      await refresh();
      return sop;
    },
  };
}
