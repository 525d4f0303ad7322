/**
 * The rules model's reply: empathy, then the security requirement, then the solution, in that order,
 * built from the SOP's sections and the agents' findings. Plain and predictable: a reviewer edits it.
 */
import type { Findings, Sop } from '../../core/domain';
import type { DraftInput } from '../ports';
import { sopSection } from '../knowledge/sop-file';

function empathy(input: DraftInput): string {
  const { tone, urgency } = input.analysis;
  const opening =
    tone === 'frustrated'
      ? "I'm sorry for the trouble this has caused, and I understand how frustrating it is to be blocked."
      : tone === 'urgent' || urgency === 'critical'
        ? 'Thank you for reaching out right away; we are treating this as a priority.'
        : 'Thank you for contacting GitHouse Support, and I am sorry you ran into this.';
  const earlier = input.history?.[0] ? ` I can see we have helped you before (${input.history[0]}), so we will build on that.` : '';
  return opening + earlier;
}

function security(input: DraftInput, sops: Sop[]): string {
  const fromSops = sops.map((s) => sopSection(s, 'Security requirement')).filter((s): s is string => Boolean(s));
  if (input.brief) fromSops.unshift('For your protection, our security team has reviewed the recent activity on your account.');
  if (input.analysis.is_sensitive && fromSops.length === 0) {
    fromSops.push('Because this involves your account security, we need to confirm your identity before making any change.');
  }
  return fromSops.length ? fromSops.join(' ') : 'No change to your account security is needed for this request.';
}

function solution(findings: Findings[], sops: Sop[]): string {
  const parts: string[] = [];
  for (const f of findings) {
    const refunded = f.toolRuns.filter((r) => r.tool === 'refund' && r.ok).map((r) => r.summary);
    const revoked = f.toolRuns.filter((r) => r.tool === 'revoke_tokens' && r.ok).map((r) => r.summary);
    if (refunded.length) parts.push(`We have ${refunded.join('; ')}.`);
    if (revoked.length) parts.push(revoked.join(' '));
    if (f.needsHuman) parts.push('A member of our team will follow up personally on the remaining step.');
  }
  for (const s of sops) {
    const text = sopSection(s, 'Solution');
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
    solution(input.findings, sops),
    '',
    'Best regards,',
    'GitHouse Support',
  ].join('\n');
}
