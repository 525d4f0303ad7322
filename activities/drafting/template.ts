/**
 * The rules model's reply: empathy, then the security requirement, then the solution, in that order,
 * built from the SOP's sections and the agents' findings. Plain and predictable: a reviewer edits it.
 * Statements about actions come from the ticket's tool runs (outcomes.ts), never from SOP prose.
 */
import type { Sop, ToolRun, Topic } from '../../core/domain';
import type { DraftInput } from '../ports';
import { sopSection } from '../knowledge/sop-file';
import { outcomeStatements, withoutClaims } from './outcomes';

/** Every tool run of this ticket: the security protocol's and the agents'. */
export const runsOf = (input: DraftInput): ToolRun[] => [
  ...(input.actions ?? []),
  ...input.findings.flatMap((f) => f.toolRuns),
];

function empathy(input: DraftInput): string {
  const { tone, urgency } = input.analysis;
  const opening =
    tone === 'frustrated'
      ? "I'm sorry for the trouble this has caused, and I understand how frustrating it is to be blocked."
      : tone === 'urgent' || urgency === 'critical'
        ? 'Thank you for reaching out right away; we are treating this as a priority.'
        : 'Thank you for contacting GitHouse Support, and I am sorry you ran into this.';
  const earlier = input.history?.[0]
    ? ` I can see we have helped you before (${input.history[0]}), so we will build on that.`
    : '';
  return opening + earlier;
}

/** An SOP section with every sentence that claims an action removed: the runs say what happened. */
const section = (s: Sop, heading: string) => {
  const text = sopSection(s, heading);
  return text ? withoutClaims(text) || undefined : undefined;
};

function security(input: DraftInput, sops: Sop[]): string {
  const fromSops = sops.map((s) => section(s, 'Security requirement')).filter((s): s is string => Boolean(s));
  if (input.brief)
    fromSops.unshift('For your protection, our security team has reviewed the recent activity on your account.');
  if (input.analysis.is_sensitive && fromSops.length === 0) {
    fromSops.push(
      'Because this involves your account security, we need to confirm your identity before making any change.',
    );
  }
  return fromSops.length ? fromSops.join(' ') : 'No change to your account security is needed for this request.';
}

/** The teams whose agents only read: what their tools found is the answer's substance, so the reply says it. */
const READ_ONLY_TEAMS = new Set<Topic>(['Enterprise', 'DevSupport', 'Workers', 'ShotGun', 'Discourse']);

/** "What we checked: ..." from the read-only teams' tool runs (summaries are redacted where they are made). */
function checked(input: DraftInput): string | undefined {
  const found = input.findings
    .filter((f) => READ_ONLY_TEAMS.has(f.topic))
    .flatMap((f) => f.toolRuns.map((r) => r.summary.trim().replace(/[.;]+$/, '')))
    .filter(Boolean);
  return found.length ? `What we checked on our side: ${[...new Set(found)].join('; ')}.` : undefined;
}

function solution(input: DraftInput, sops: Sop[]): string {
  const parts = outcomeStatements(runsOf(input), input.findings);
  const facts = checked(input);
  if (facts) parts.push(facts);
  if (input.findings.some((f) => f.needsHuman))
    parts.push('A member of our team will follow up personally on the remaining step.');
  for (const s of sops) {
    const text = section(s, 'Solution');
    if (text) parts.push(text);
  }
  if (!parts.length) parts.push('We are looking into this and will follow up with the next steps shortly.');
  return parts.join(' ');
}

export function composeReply(input: DraftInput, sops: Sop[]): string {
  return [
    'Hi there,',
    '',
    empathy(input),
    '',
    security(input, sops),
    '',
    solution(input, sops),
    '',
    'Best regards,',
    'GitHouse Support',
  ].join('\n');
}
