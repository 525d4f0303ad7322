/** The security brief as a template over the tool results: deterministic, and it never invents a finding. */
import type { QueryAnalysis, SecurityBrief, SecurityMetadata, ToolRun } from '../../core/domain';
import { redact } from '../../core/pii';

const RECOMMEND: Record<string, string[]> = {
  ATO: [
    'Force a password reset and sign out all sessions',
    'Re-enrol two-factor authentication after identity verification',
    'Review SSH keys, OAuth apps and tokens added recently',
  ],
  TOKEN_EXPOSURE: [
    'Confirm the exposed credentials are revoked and rotated',
    'Remove the secret from history (and the public location)',
    'Review audit events for use of the credential',
  ],
  PII_LEAK: [
    'Remove or hide the exposed personal data',
    'Do not repeat the data in replies',
    'Verify the requester before sharing any account data',
  ],
  LEGAL_THREAT: ['Route to the legal liaison before any commitment', 'Keep replies factual; make no admissions'],
  none: ['Handle through the standard queue'],
};

export function synthesizeBrief(analysis: QueryAnalysis, security: SecurityMetadata, runs: ToolRun[]): SecurityBrief {
  const actionsTaken = runs.map((r) => `${r.tool}: ${r.ok ? r.summary : `failed (${r.summary})`}`);
  const risky = runs.flatMap((r) => {
    const results = (r.output.results as { action?: string; ip?: string }[] | undefined) ?? [];
    return results.filter((x) => x.action === 'block' || x.action === 'challenge').map((x) => `${x.ip} (${x.action})`);
  });
  const recommendations = [...(RECOMMEND[security.risk_category] ?? RECOMMEND.none!)];
  if (risky.length) recommendations.unshift(`Treat sign-ins from ${risky.join(', ')} as hostile`);
  const summary = redact(
    `${security.risk_category} suspected (confidence ${security.confidence_score.toFixed(2)}) on a ${analysis.topic} ticket: ${analysis.intent}. ` +
      `${security.extracted_entities.length} entit${security.extracted_entities.length === 1 ? 'y' : 'ies'} extracted. ` +
      (runs.length ? `Tools: ${actionsTaken.join(' | ')}` : 'No tools ran.'),
  );
  return { summary, actionsTaken, recommendations };
}
