/**
 * ShotGun tools, read-only: the user's seat in the ticket's org (exact user and org ids), the user's IDE
 * plugins against the oldest supported versions, and the org's ShotGun policies.
 */
import type { ToolStore } from '../security/store';
import { relative, toolRun, versionBefore, type TeamTool } from './team-agent';

/** The oldest plugin version the service still answers, per IDE. */
export const MIN_PLUGIN_VERSION: Readonly<Record<string, string>> = {
  vscode: '1.240.0',
  jetbrains: '1.5.0',
  neovim: '1.0.0',
};

interface OrgRow {
  plan: string;
  seats_purchased: number;
  public_code_filter: string;
  content_exclusions: number;
  proxy: string | null;
}

export function createShotGunTools(
  db: ToolStore,
): Record<'seat_lookup' | 'plugin_versions' | 'shotgun_policy', TeamTool> {
  const org = db.prepare(
    'SELECT plan, seats_purchased, public_code_filter, content_exclusions, proxy FROM shotgun_orgs WHERE org_id = ?',
  );
  const seat = db.prepare('SELECT assigned_at, last_active_at FROM shotgun_seats WHERE org_id = ? AND user_id = ?');
  const seatsUsed = db.prepare('SELECT COUNT(*) AS n FROM shotgun_seats WHERE org_id = ?');
  const plugins = db.prepare('SELECT ide, version, last_seen FROM shotgun_plugins WHERE user_id = ? ORDER BY ide');

  return {
    seat_lookup(ctx) {
      const o = org.get(ctx.orgId) as OrgRow | undefined;
      if (!o)
        return toolRun('seat_lookup', false, `${ctx.orgId} has no ShotGun subscription`, {
          org: ctx.orgId,
          user: ctx.userId,
          subscribed: false,
          seat: false,
        });
      const s = seat.get(ctx.orgId, ctx.userId) as { assigned_at: string; last_active_at: string | null } | undefined;
      const used = (seatsUsed.get(ctx.orgId) as { n: number }).n;
      const who = s
        ? `${ctx.userId} has a ShotGun ${o.plan} seat in ${ctx.orgId} (assigned ${relative(s.assigned_at)}, ${s.last_active_at ? `last active ${relative(s.last_active_at)}` : 'never used'})`
        : `${ctx.userId} has no ShotGun seat in ${ctx.orgId}`;
      return toolRun('seat_lookup', true, `${who}; ${used} of ${o.seats_purchased} seats assigned`, {
        org: ctx.orgId,
        user: ctx.userId,
        subscribed: true,
        plan: o.plan,
        seat: Boolean(s),
        lastActiveAt: s?.last_active_at ?? null,
        seatsAssigned: used,
        seatsPurchased: o.seats_purchased,
      });
    },

    plugin_versions(ctx) {
      const rows = plugins.all(ctx.userId) as { ide: string; version: string; last_seen: string }[];
      if (!rows.length)
        return toolRun('plugin_versions', false, `No ShotGun IDE plugin has connected for ${ctx.userId}`, {
          user: ctx.userId,
          plugins: [],
        });
      const detail = rows.map((r) => {
        const min = MIN_PLUGIN_VERSION[r.ide];
        return { ...r, minimum: min ?? null, outdated: min ? versionBefore(r.version, min) : false };
      });
      const list = detail
        .map(
          (p) =>
            `${p.ide} ${p.version}${p.outdated ? ` (below the oldest supported ${p.minimum}: update needed)` : ''}, last connected ${relative(p.last_seen)}`,
        )
        .join('; ');
      return toolRun('plugin_versions', true, `ShotGun plugins for ${ctx.userId}: ${list}`, {
        user: ctx.userId,
        plugins: detail,
      });
    },

    shotgun_policy(ctx) {
      const o = org.get(ctx.orgId) as OrgRow | undefined;
      if (!o)
        return toolRun('shotgun_policy', false, `${ctx.orgId} has no ShotGun subscription`, {
          org: ctx.orgId,
          subscribed: false,
        });
      const summary = `ShotGun policies for ${ctx.orgId}: suggestions matching public code ${o.public_code_filter}; ${o.content_exclusions} content exclusion rule(s); ${o.proxy ? `proxy ${o.proxy}` : 'no proxy configured'}`;
      return toolRun('shotgun_policy', true, summary, {
        org: ctx.orgId,
        subscribed: true,
        publicCodeFilter: o.public_code_filter,
        contentExclusions: o.content_exclusions,
        proxy: o.proxy,
      });
    },
  };
}
