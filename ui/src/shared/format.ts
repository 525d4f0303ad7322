/** Words and times as people read them. */
const STATUS_LABELS: Record<string, string> = {
  received: 'Received',
  triaging: 'Triaging',
  security_review: 'Security review',
  investigating: 'Investigating',
  awaiting_sop: 'Needs SOP',
  drafting: 'Drafting',
  awaiting_review: 'Awaiting review',
  sent: 'Reply sent',
  resolved: 'Resolved',
  verifying: 'Verifying',
  reopened: 'Reopened',
  closed: 'Closed',
  failed: 'Failed',
};

const QUEUE_LABELS: Record<string, string> = {
  none: 'In progress',
  review: 'Awaiting review',
  security: 'Security queue',
  needs_sop: 'Needs SOP',
  human_live: 'Human live',
  reopened: 'Reopened',
  enterprise: 'Enterprise',
};

export function statusLabel(status: string | null | undefined): string {
  return status ? (STATUS_LABELS[status] ?? status) : 'Unknown';
}

export function queueLabel(queue: string): string {
  return QUEUE_LABELS[queue] ?? queue;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function timeAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const ms = now - new Date(iso).getTime();
  if (!Number.isFinite(ms)) return '';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h}h ago`;
  return `${Math.round(h / 24)}d ago`;
}

/** "review due in 3h" or "review overdue 20m": the pending review's deadline, for the queue's rows. */
export function reviewDueLabel(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const ms = new Date(iso).getTime() - now;
  if (!Number.isFinite(ms)) return '';
  const span = timeAgo(new Date(now - Math.abs(ms)).toISOString(), now).replace(' ago', '');
  return ms >= 0 ? `review due in ${span}` : `review overdue ${span}`;
}

export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

export function percent(n: number | null | undefined): string {
  return typeof n === 'number' ? `${Math.round(n * 100)}%` : '—';
}
