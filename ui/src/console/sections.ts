/** Read-only parts of the ticket view: the customer's words, triage, the security brief, findings and history. */
import { h, type Child } from '../shared/dom';
import { formatDateTime, formatTime, percent } from '../shared/format';
import type { AgentTicketState } from '../shared/types';
import type { StreamEvent } from '../shared/stream';

type State = AgentTicketState;

export function section(title: string, id: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h3', { id }, title), ...children);
}

function facts(rows: [string, Child][]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')]),
  );
}

export function customerPanel(state: State): HTMLElement {
  const followUps = (state.messages ?? []).filter((m) => m.from !== 'system');
  return section(
    'Customer message',
    'sec-customer',
    h('p', { class: 'hint' }, 'PII is redacted before anyone (or any model) sees the text.'),
    h(
      'blockquote',
      { class: 'customer-text' },
      state.redactedText ?? 'Not triaged yet: the redacted text appears after triage.',
    ),
    followUps.length > 0
      ? h(
          'ol',
          { class: 'conversation', 'aria-label': 'Conversation' },
          followUps.map((m) =>
            h(
              'li',
              { class: `msg msg-${m.from}` },
              h(
                'span',
                { class: 'msg-meta' },
                `${m.from === 'agent' ? `Agent${m.author ? ` ${m.author}` : ''}` : 'Customer'} · ${formatTime(m.at)}`,
              ),
              h('p', {}, m.text),
            ),
          ),
        )
      : null,
  );
}

export function triagePanel(state: State): HTMLElement {
  const a = state.analysis;
  const s = state.security;
  if (!a) return section('Triage', 'sec-triage', h('p', { class: 'muted' }, 'Triage is running…'));
  return section(
    'Triage',
    'sec-triage',
    facts([
      ['Topic', h('span', { class: 'badge topic' }, a.topic)],
      ['Also touches', a.topics.length > 0 ? a.topics.join(', ') : 'nothing else'],
      ['Urgency', h('span', { class: `badge urgency-${a.urgency}` }, a.urgency)],
      ['Tone', a.tone],
      ['Intent', a.intent],
      ['Sensitive', a.is_sensitive ? 'yes' : 'no'],
      ['Risk', s ? `${s.risk_category} (confidence ${percent(s.confidence_score)})` : '—'],
      [
        'Entities',
        s && s.extracted_entities.length > 0
          ? s.extracted_entities.map((e) => `${e.kind} ${e.masked}`).join(', ')
          : 'none',
      ],
      ['Model', state.triageModel ?? '—'],
    ]),
    state.routing ? h('p', { class: 'hint' }, `Routing: ${describeRouting(state.routing)}`) : null,
  );
}

function describeRouting(r: NonNullable<State['routing']>): string {
  const parts: string[] = [`review in ${r.reviewQueue}`];
  if (r.humanLive) parts.push('answered live by a person');
  if (r.securityProtocol) parts.push('security protocol');
  if (r.agentTopics.length > 0) parts.push(`agents: ${r.agentTopics.join(', ')}`);
  if (r.escalatedTopics.length > 0) parts.push(`escalated to a person: ${r.escalatedTopics.join(', ')}`);
  return parts.join(' · ');
}

export function briefPanel(state: State): HTMLElement | null {
  const b = state.brief;
  if (!b) return null;
  return section(
    'Security brief',
    'sec-brief',
    h('p', {}, b.summary),
    b.actionsTaken.length > 0
      ? [
          h('h4', {}, 'Actions taken'),
          h(
            'ul',
            {},
            b.actionsTaken.map((x) => h('li', {}, x)),
          ),
        ]
      : null,
    b.recommendations.length > 0
      ? [
          h('h4', {}, 'Recommendations'),
          h(
            'ul',
            {},
            b.recommendations.map((x) => h('li', {}, x)),
          ),
        ]
      : null,
    state.incidentId ? h('p', { class: 'hint' }, `Incident ${state.incidentId}`) : null,
  );
}

/** A held run's proposal, as it stands now: its own run shows its outcome when it ran. */
const PROPOSAL_BADGE: Record<string, [string, string]> = {
  pending: ['waiting', 'waiting for a person'],
  confirmed: ['waiting', 'confirmed, runs on approval'],
  declined: ['declined', 'declined'],
  executed: ['ok', 'confirmed, then run'],
  failed: ['bad', 'confirmed, then failed'],
};

/**
 * A run's result as an agent should read it: a side effect the policy held for a person reads as where its
 * proposal stands (it showed "failed"), and one the policy refused says so.
 */
function runResult(r: State['toolRuns'][number], proposals: State['proposals']): HTMLElement {
  if (r.ok) return h('span', { class: 'badge ok' }, 'ok');
  const out = r.output ?? {};
  if (out.decision === 'propose') {
    const held = out.proposal as { id?: unknown } | undefined;
    const id = typeof out.proposalId === 'string' ? out.proposalId : held?.id;
    const [cls, label] = PROPOSAL_BADGE[proposals?.find((p) => p.id === id)?.status ?? 'pending']!;
    return h('span', { class: `badge ${cls}` }, label);
  }
  return h('span', { class: 'badge bad' }, out.decision === 'refuse' ? 'refused' : 'failed');
}

export function findingsPanel(state: State): HTMLElement {
  const findings = state.findings ?? [];
  const runs = state.toolRuns ?? [];
  return section(
    'Findings and tool runs',
    'sec-findings',
    findings.length === 0 ? h('p', { class: 'muted' }, 'No findings yet.') : null,
    findings.map((f) =>
      h(
        'div',
        { class: 'finding' },
        h('h4', {}, `${f.topic}${f.sopId ? ` · SOP ${f.sopId}` : ''}`),
        h('p', {}, f.summary),
        f.steps.length > 0
          ? h(
              'ol',
              {},
              f.steps.map((s) => h('li', {}, s)),
            )
          : null,
        f.needsHuman ? h('p', { class: 'warn' }, `Needs a person: ${f.needsHuman}`) : null,
      ),
    ),
    runs.length > 0
      ? h(
          'table',
          { class: 'tool-runs' },
          h('caption', {}, 'Tool runs'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Tool'),
              h('th', { scope: 'col' }, 'Result'),
              h('th', { scope: 'col' }, 'Summary'),
            ),
          ),
          h(
            'tbody',
            {},
            runs.map((r) =>
              h(
                'tr',
                {},
                h('td', {}, h('code', {}, r.tool)),
                h('td', {}, runResult(r, state.proposals)),
                h('td', {}, r.summary),
              ),
            ),
          ),
        )
      : null,
  );
}

const ACTION_WORDS: Record<string, string> = {
  approve: 'Approved',
  edit: 'Edited and sent',
  reject: 'Rejected',
  release: 'Released',
  sla_breached: 'Review SLA breached',
};

export function historyPanel(state: State): HTMLElement {
  const history = state.reviewHistory ?? [];
  return section(
    'Who acted',
    'sec-history',
    history.length === 0
      ? h('p', { class: 'muted' }, 'No decisions yet.')
      : h(
          'ol',
          { class: 'history' },
          history.map((r) =>
            h(
              'li',
              {},
              h('strong', {}, ACTION_WORDS[r.action] ?? r.action),
              ` by ${r.reviewer}`,
              r.draftVersion ? ` (draft v${r.draftVersion})` : '',
              ' · ',
              h('time', { datetime: r.at }, formatDateTime(r.at)),
              r.reason ? h('p', { class: 'reason' }, `Reason: ${r.reason}`) : null,
            ),
          ),
        ),
    state.reply
      ? h(
          'p',
          { class: 'hint' },
          `Reply sent by ${state.reply.by} at ${formatDateTime(state.reply.at)} (draft v${state.reply.draftVersion}).`,
        )
      : null,
  );
}

/** One line per event for the live log. */
export function describeEvent(e: StreamEvent): string {
  const d = e.data ?? {};
  const str = (k: string) => (typeof d[k] === 'string' ? d[k] : undefined);
  switch (e.type) {
    case 'status':
      return `status → ${str('status') ?? '?'}${str('queue') && str('queue') !== 'none' ? ` (queue ${str('queue')})` : ''}`;
    case 'tool':
      return `tool ${str('tool') ?? ''} ${d.ok === false ? 'failed' : 'ran'}${str('summary') ? `: ${str('summary')}` : ''}`;
    case 'draft':
      return `draft v${typeof d.version === 'number' ? d.version : '?'} written${str('violation') ? ` (guardrail: ${str('violation')})` : ''}`;
    case 'message':
      return `message from ${str('from') ?? '?'}: ${truncate(str('text') ?? '', 80)}`;
    case 'review_requested':
      return `review requested${str('queue') ? ` in ${str('queue')}` : ''}${str('reason') ? `: ${str('reason')}` : ''}`;
    case 'resolved':
      return 'resolved';
    case 'reopened':
      return `reopened${str('reason') ? `: ${str('reason')}` : ''}`;
    case 'error':
      return `error: ${str('message') ?? str('error') ?? ''}`;
    default:
      return `${e.type} ${truncate(JSON.stringify(d), 80)}`;
  }
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
