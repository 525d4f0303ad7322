/**
 * Results kept by the text they were computed from, for callers that meet the same short texts again and
 * again: the guardrail scores each sentence of a reply checked when drafted and again when sent, and embeds
 * each sentence and each of its clauses (a one-clause sentence is both; replies share clauses such as "what
 * we checked on our side" across tickets). Only for results that depend on the text alone, so a kept one is
 * exactly what computing again would give: a vector does (one text per model run, one intra-op thread).
 */
import type { Embedder } from './index';

/** `compute` behind a bounded keep (oldest out first): each distinct text not kept is computed once. */
export function keptBatch<V>(kept: number, compute: (texts: string[]) => Promise<V[]>) {
  const results = new Map<string, V>();
  const keep = (text: string, v: V) => {
    if (results.size >= kept) results.delete(results.keys().next().value!);
    results.set(text, v);
  };
  return async (texts: string[]): Promise<V[]> => {
    // Read into this call's own map before awaiting: another call may evict a kept result meanwhile.
    const mine = new Map<string, V>();
    for (const t of texts) if (results.has(t)) mine.set(t, results.get(t)!);
    const fresh = [...new Set(texts.filter((t) => !mine.has(t)))];
    const made = fresh.length ? await compute(fresh) : [];
    for (const [i, t] of fresh.entries()) {
      mine.set(t, made[i]!);
      keep(t, made[i]!);
    }
    return texts.map((t) => mine.get(t)!);
  };
}

/** The embedder, keeping up to `kept` vectors (1.5 KB each). Callers must not write into a vector. */
export function keptEmbeddings(inner: Embedder, kept: number): Embedder {
  return { id: inner.id, embed: keptBatch(kept, (texts) => inner.embed(texts)) };
}
