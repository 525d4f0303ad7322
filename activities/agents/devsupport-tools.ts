/**
 * DevSupport tools, read-only: the org's webhook delivery log, the user's API rate limit and the user's
 * rejected git pushes. Delivery ids named in the ticket are looked up only inside the ticket's own org.
 */
import type { ToolStore } from '../security/store';
import { isPast, relative, toolRun, type TeamTool } from './team-agent';

/** A delivery id as the delivery log shows it; anything else in the text is ignored. */
const DELIVERY_ID = /\bdlv_[A-Za-z0-9]{4,24}\b/g;
/** The delivery log's timeout: an endpoint slower than this counts as failed. */
const WEBHOOK_TIMEOUT_MS = 10_000;

interface DeliveryRow {
  id: string;
  hook: string;
  event: string;
  at: string;
  status_code: number;
  duration_ms: number;
}

const failedDelivery = (d: DeliveryRow) =>
  d.status_code === 0 || d.status_code >= 400 || d.duration_ms >= WEBHOOK_TIMEOUT_MS;
const outcome = (d: DeliveryRow) =>
  d.duration_ms >= WEBHOOK_TIMEOUT_MS
    ? `timed out after ${WEBHOOK_TIMEOUT_MS / 1000} s`
    : d.status_code === 0
      ? 'no response'
      : `HTTP ${d.status_code}`;

export function createDevSupportTools(
  db: ToolStore,
): Record<'webhook_delivery_log' | 'api_rate_limit' | 'git_push_log', TeamTool> {
  const recent = db.prepare('SELECT * FROM webhook_deliveries WHERE org_id = ? ORDER BY at DESC LIMIT 10');
  const byId = db.prepare('SELECT * FROM webhook_deliveries WHERE id = ? AND org_id = ?');
  const limits = db.prepare(
    'SELECT limit_per_hour, used, reset_at, secondary_limited_until FROM api_rate_limits WHERE user_id = ?',
  );
  const pushes = db.prepare(
    'SELECT at, repo, ref, reason FROM git_push_rejections WHERE user_id = ? ORDER BY at DESC LIMIT 5',
  );

  return {
    webhook_delivery_log(ctx, text) {
      const asked = [...new Set(text.match(DELIVERY_ID) ?? [])].slice(0, 10);
      const named = asked.map((id) => ({ id, row: byId.get(id, ctx.orgId) as DeliveryRow | undefined }));
      const deliveries = recent.all(ctx.orgId) as DeliveryRow[];
      const failed = deliveries.filter(failedDelivery);
      const parts = [
        deliveries.length
          ? `Webhook deliveries for ${ctx.orgId}: ${deliveries.length} most recent, ${failed.length} failed${failed.length ? ` (${failed.map((d) => `${d.id} ${d.event} to ${d.hook}: ${outcome(d)}`).join(', ')})` : ''}`
          : `No webhook deliveries on file for ${ctx.orgId}`,
        ...named.map(({ id, row }) =>
          row
            ? `${id}: ${failedDelivery(row) ? outcome(row) : `delivered (HTTP ${row.status_code})`} ${relative(row.at)}`
            : `${id}: not a delivery of this organization`,
        ),
      ];
      return toolRun('webhook_delivery_log', deliveries.length > 0, parts.join('; '), {
        org: ctx.orgId,
        deliveries: deliveries.map((d) => ({ ...d, failed: failedDelivery(d) })),
        named: named.map(({ id, row }) => ({
          id,
          found: Boolean(row),
          ...(row ? { failed: failedDelivery(row) } : {}),
        })),
      });
    },

    api_rate_limit(ctx) {
      const row = limits.get(ctx.userId) as
        { limit_per_hour: number; used: number; reset_at: string; secondary_limited_until: string | null } | undefined;
      if (!row)
        return toolRun('api_rate_limit', false, `No API usage on file for ${ctx.userId}`, {
          user: ctx.userId,
          known: false,
        });
      const remaining = Math.max(0, row.limit_per_hour - row.used);
      const secondary =
        row.secondary_limited_until && !isPast(row.secondary_limited_until) ? row.secondary_limited_until : null;
      const parts = [
        `API rate limit for ${ctx.userId}: ${remaining} of ${row.limit_per_hour} requests left this hour, resets ${relative(row.reset_at)}`,
      ];
      if (secondary) parts.push(`a secondary rate limit applies until ${relative(secondary)}`);
      return toolRun('api_rate_limit', true, parts.join('; '), {
        user: ctx.userId,
        known: true,
        limit: row.limit_per_hour,
        remaining,
        resetAt: row.reset_at,
        secondaryLimitedUntil: secondary,
      });
    },

    git_push_log(ctx) {
      const rows = pushes.all(ctx.userId) as { at: string; repo: string; ref: string; reason: string }[];
      if (!rows.length)
        return toolRun('git_push_log', true, `No rejected pushes on file for ${ctx.userId}`, {
          user: ctx.userId,
          rejections: [],
        });
      const list = rows.map((r) => `${r.repo} ${r.ref} ${relative(r.at)}: ${r.reason}`).join('; ');
      return toolRun('git_push_log', true, `${rows.length} rejected push(es) for ${ctx.userId}: ${list}`, {
        user: ctx.userId,
        rejections: rows,
      });
    },
  };
}
