/**
 * Workers tools, read-only: the org's runners, its queued jobs (and whether any online runner carries
 * their labels), its Actions caches and its Actions minutes for the billing period. Exact lookups by the
 * ticket's org id.
 */
import type { ToolStore } from '../security/store';
import { relative, toolRun, versionBefore, type TeamTool } from './team-agent';

/** Runners older than this can no longer take jobs. */
export const MIN_RUNNER_VERSION = '2.319.0';

interface RunnerRow {
  name: string;
  kind: string;
  status: string;
  version: string;
  labels: string;
  last_seen: string;
}

const labelsOf = (csv: string) =>
  csv
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean);

export function createWorkersTools(
  db: ToolStore,
): Record<'runner_status' | 'queued_jobs' | 'cache_usage' | 'minutes_usage', TeamTool> {
  const runners = db.prepare(
    'SELECT name, kind, status, version, labels, last_seen FROM runners WHERE org_id = ? ORDER BY name',
  );
  const queued = db.prepare('SELECT workflow, labels, queued_at FROM queued_jobs WHERE org_id = ? ORDER BY queued_at');
  const caches = db.prepare(
    'SELECT repo, used_mb, limit_mb, evicted_7d FROM actions_caches WHERE org_id = ? ORDER BY repo',
  );
  const minutes = db.prepare('SELECT included_minutes, used_minutes, period_end FROM minutes_usage WHERE org_id = ?');

  return {
    runner_status(ctx) {
      const rows = runners.all(ctx.orgId) as RunnerRow[];
      if (!rows.length)
        return toolRun('runner_status', false, `No runners registered for ${ctx.orgId}`, {
          org: ctx.orgId,
          runners: [],
        });
      const offline = rows.filter((r) => r.status === 'offline');
      const outdated = rows.filter((r) => versionBefore(r.version, MIN_RUNNER_VERSION));
      const parts = [`${rows.length} runner(s) for ${ctx.orgId}: ${rows.length - offline.length} online`];
      if (offline.length)
        parts.push(`offline: ${offline.map((r) => `${r.name} (last seen ${relative(r.last_seen)})`).join(', ')}`);
      if (outdated.length)
        parts.push(
          `below the minimum version ${MIN_RUNNER_VERSION}: ${outdated.map((r) => `${r.name} ${r.version}`).join(', ')}`,
        );
      return toolRun('runner_status', true, parts.join('; '), {
        org: ctx.orgId,
        runners: rows.map((r) => ({
          ...r,
          labels: labelsOf(r.labels),
          outdated: versionBefore(r.version, MIN_RUNNER_VERSION),
        })),
      });
    },

    queued_jobs(ctx) {
      const jobs = queued.all(ctx.orgId) as { workflow: string; labels: string; queued_at: string }[];
      if (!jobs.length)
        return toolRun('queued_jobs', true, `No queued jobs for ${ctx.orgId}`, { org: ctx.orgId, jobs: [] });
      const online = (runners.all(ctx.orgId) as RunnerRow[])
        .filter((r) => r.status !== 'offline')
        .map((r) => new Set(labelsOf(r.labels)));
      const withRunner = (labels: string[]) => online.some((set) => labels.every((l) => set.has(l)));
      const detail = jobs.map((j) => ({
        workflow: j.workflow,
        labels: labelsOf(j.labels),
        queuedAt: j.queued_at,
        matchingOnlineRunner: withRunner(labelsOf(j.labels)),
      }));
      const stranded = detail.filter((j) => !j.matchingOnlineRunner);
      const parts = [
        `${jobs.length} queued job(s) for ${ctx.orgId}, the oldest queued ${relative(jobs[0]!.queued_at)}`,
      ];
      if (stranded.length)
        parts.push(
          `${stranded.length} with no online runner carrying their labels: ${stranded.map((j) => `${j.workflow} [${j.labels.join(', ')}]`).join(', ')}`,
        );
      return toolRun('queued_jobs', true, parts.join('; '), { org: ctx.orgId, jobs: detail });
    },

    cache_usage(ctx) {
      const rows = caches.all(ctx.orgId) as { repo: string; used_mb: number; limit_mb: number; evicted_7d: number }[];
      if (!rows.length)
        return toolRun('cache_usage', false, `No Actions caches on file for ${ctx.orgId}`, {
          org: ctx.orgId,
          repos: [],
        });
      const full = rows.filter((r) => r.used_mb >= 0.9 * r.limit_mb || r.evicted_7d > 0);
      const list = full
        .map((r) => `${r.repo} uses ${r.used_mb} of ${r.limit_mb} MB, ${r.evicted_7d} entries evicted in 7 days`)
        .join('; ');
      const summary = full.length
        ? `Actions caches for ${ctx.orgId}: ${list}`
        : `Actions caches for ${ctx.orgId}: ${rows.length} repositor(ies), none near its limit or evicting`;
      return toolRun('cache_usage', true, summary, {
        org: ctx.orgId,
        repos: rows.map((r) => ({ repo: r.repo, usedMb: r.used_mb, limitMb: r.limit_mb, evicted7d: r.evicted_7d })),
      });
    },

    minutes_usage(ctx) {
      const row = minutes.get(ctx.orgId) as
        { included_minutes: number; used_minutes: number; period_end: string } | undefined;
      if (!row)
        return toolRun('minutes_usage', false, `No Actions minutes usage on file for ${ctx.orgId}`, {
          org: ctx.orgId,
          known: false,
        });
      const pct = Math.round((100 * row.used_minutes) / Math.max(1, row.included_minutes));
      const exhausted = row.used_minutes >= row.included_minutes;
      const summary = `${ctx.orgId} has used ${row.used_minutes} of ${row.included_minutes} included minutes (${pct}%)${exhausted ? ', the included minutes are used up' : ''}; the billing period ends ${relative(row.period_end)}`;
      return toolRun('minutes_usage', true, summary, {
        org: ctx.orgId,
        known: true,
        included: row.included_minutes,
        used: row.used_minutes,
        percent: pct,
        exhausted,
        periodEnd: row.period_end,
      });
    },
  };
}
