/**
 * Discourse tools, read-only: the user's posts in the moderation queue, the status of the docs pages the
 * ticket links to (looked up by their exact path) and the user's community profile.
 */
import type { ToolStore } from '../security/store';
import { isPast, relative, toolRun, type TeamTool } from './team-agent';

/** Links to the docs site; the path stops at a query, a fragment, a space, a quote or a bracket. */
const DOCS_LINK = /\bhttps?:\/\/docs\.githouse\.com(\/[^\s?#"'<>()[\]]*)/gi;

/** The path as the docs index keys it: no trailing slash or sentence punctuation. */
export function docsPath(raw: string): string {
  const trimmed = raw.replace(/[.,;:!]+$/, '').replace(/\/+$/, '');
  return trimmed || '/';
}

export function createDiscourseTools(
  db: ToolStore,
): Record<'moderation_queue' | 'docs_page_status' | 'community_profile', TeamTool> {
  const queue = db.prepare(
    'SELECT at, kind, title, status, reason FROM moderation_queue WHERE user_id = ? ORDER BY at DESC LIMIT 10',
  );
  const page = db.prepare('SELECT title, status, moved_to, updated_at, note FROM docs_pages WHERE path = ?');
  const profile = db.prepare(
    'SELECT trust_level, stars_status, posts, silenced_until FROM community_profiles WHERE user_id = ?',
  );

  return {
    moderation_queue(ctx) {
      const rows = queue.all(ctx.userId) as {
        at: string;
        kind: string;
        title: string;
        status: string;
        reason: string;
      }[];
      const open = rows.filter((r) => r.status === 'held' || r.status === 'hidden');
      if (!open.length)
        return toolRun('moderation_queue', true, `No posts by ${ctx.userId} are held or hidden`, {
          user: ctx.userId,
          items: rows,
        });
      const list = open
        .map((r) => `${r.kind} "${r.title.slice(0, 80)}" ${r.status} ${relative(r.at)} (${r.reason})`)
        .join('; ');
      return toolRun('moderation_queue', true, `${open.length} post(s) by ${ctx.userId} held or hidden: ${list}`, {
        user: ctx.userId,
        items: rows,
      });
    },

    docs_page_status(_ctx, text) {
      const paths = [...new Set([...text.matchAll(DOCS_LINK)].map((m) => docsPath(m[1]!)))].slice(0, 5);
      if (!paths.length) return toolRun('docs_page_status', false, 'No docs page link in the ticket', { pages: [] });
      const pages = paths.map((p) => {
        const row = page.get(p) as
          { title: string; status: string; moved_to: string | null; updated_at: string; note: string } | undefined;
        return row ? { path: p, found: true, ...row } : { path: p, found: false };
      });
      const list = pages
        .map((p) =>
          'title' in p
            ? `${p.path} ("${p.title}"): ${p.status.replace(/_/g, ' ')}${p.moved_to ? ` to ${p.moved_to}` : ''}, ${p.note}`
            : `${p.path}: not a page of the docs index`,
        )
        .join('; ');
      return toolRun('docs_page_status', true, `Docs pages: ${list}`, { pages });
    },

    community_profile(ctx) {
      const row = profile.get(ctx.userId) as
        { trust_level: number; stars_status: string; posts: number; silenced_until: string | null } | undefined;
      if (!row)
        return toolRun('community_profile', false, `No community profile for ${ctx.userId}`, {
          user: ctx.userId,
          known: false,
        });
      const silenced = row.silenced_until && !isPast(row.silenced_until) ? row.silenced_until : null;
      const parts = [
        `Community profile of ${ctx.userId}: trust level ${row.trust_level}, ${row.posts} post(s), Stars program: ${row.stars_status}`,
      ];
      if (silenced) parts.push(`silenced until ${relative(silenced)}`);
      return toolRun('community_profile', true, parts.join('; '), {
        user: ctx.userId,
        known: true,
        trustLevel: row.trust_level,
        starsStatus: row.stars_status,
        posts: row.posts,
        silencedUntil: silenced,
      });
    },
  };
}
