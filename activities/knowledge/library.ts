/**
 * The SOP library as people browse it: the SOP files shipped with the desk, and every SOP people provided
 * with all its versions (who wrote each, for which ticket, who approved it). A provided SOP is in use for
 * everyone once a version is approved; a newer unapproved version is a proposal waiting for a second agent.
 */
import type { Sop, Topic } from '../../core/domain';
import type { SopStore, SopVersion } from './sop-store';

export interface SopVersionEntry {
  version: number;
  author: string;
  createdAt: string;
  ticketId: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  /** The newest finished tickets whose agents were given this version (with usage known; withUsage). */
  usedBy?: string[];
}

export interface SopLibraryEntry {
  /** The id to approve: "human-x" (its latest version) or a file SOP's own id. */
  id: string;
  title: string;
  topic: Topic;
  source: 'library' | 'human';
  /** The latest version's text. */
  body: string;
  /** Provided SOPs only, oldest first; empty for files. */
  versions: SopVersionEntry[];
  /** The latest version waits for another agent's approval. */
  pending: boolean;
  /** A file SOP's newest finished tickets that used it (with usage known; withUsage). */
  usedBy?: string[];
}

/**
 * The library with which tickets used which SOP (a file's id, a provided version's "id@version"), as the
 * memory database recorded the finished tickets (activities/memory/outcomes.ts sopUsage).
 */
export function withUsage(entries: SopLibraryEntry[], usage: Record<string, string[]>): SopLibraryEntry[] {
  return entries.map((e) =>
    e.source === 'library'
      ? { ...e, usedBy: usage[e.id] ?? [] }
      : { ...e, versions: e.versions.map((v) => ({ ...v, usedBy: usage[`${e.id}@${v.version}`] ?? [] })) },
  );
}

export async function listLibrary(files: readonly Sop[], store: SopStore | undefined): Promise<SopLibraryEntry[]> {
  const out: SopLibraryEntry[] = files
    .filter((f) => f.source !== 'human')
    .map((f) => ({
      id: f.id,
      title: f.title,
      topic: f.topic,
      source: 'library',
      body: f.body,
      versions: [],
      pending: false,
    }));
  const bySop = new Map<string, SopVersion[]>();
  for (const v of store ? await store.everything() : []) bySop.set(v.sopId, [...(bySop.get(v.sopId) ?? []), v]);
  for (const [sopId, versions] of bySop) {
    const latest = versions.at(-1)!;
    out.push({
      id: sopId,
      title: latest.title,
      topic: latest.topic,
      source: 'human',
      body: latest.body,
      versions: versions.map((v) => ({
        version: v.version,
        author: v.author,
        createdAt: v.createdAt,
        ticketId: v.ticketId,
        approvedBy: v.approvedBy,
        approvedAt: v.approvedAt,
      })),
      pending: latest.approvedBy === null,
    });
  }
  // Proposals waiting for a second agent first, then by title.
  return out.sort((a, b) => Number(b.pending) - Number(a.pending) || a.title.localeCompare(b.title));
}
