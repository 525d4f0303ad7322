/**
 * The Account & Security agent: follows its SOP with the tools the SOP allows (audit events, IP
 * reputation of the addresses in those events, the audit log grep) and reports what it found. Identity
 * verification and account changes stay with people: the agent never restores access itself.
 */
import type { Findings, Sop, ToolRun } from '../../core/domain';
import { fingerprint, maskMatch } from '../../core/pii';
import type { SecurityTools, TicketContext } from '../ports';
import type { ToolStore } from '../security/store';
import type { LogSearch } from './log-search';
import { createToolbox } from './toolbox';
import { sopSteps } from './sop-steps';

export function createAccountSecurityAgent(deps: { db: ToolStore; security: SecurityTools; logs: LogSearch }) {
  const ipsOfUser = deps.db.prepare(
    'SELECT DISTINCT ip FROM audit_events WHERE user_id = ? AND ip IS NOT NULL ORDER BY at DESC LIMIT 5',
  );

  return async function investigate(ctx: TicketContext, sop: Sop, redactedText: string): Promise<Findings> {
    const box = createToolbox(sop, {
      audit_events: () => deps.security.auditEvents(ctx),
      ip_reputation: () => {
        const ips = (ipsOfUser.all(ctx.userId) as { ip: string }[]).map((r) => ({
          kind: 'ip' as const,
          masked: maskMatch(r.ip.includes(':') ? 'ipv6' : 'ipv4', r.ip),
          fingerprint: fingerprint(r.ip),
        }));
        return deps.security.ipReputation(ctx, { risk_category: 'none', confidence_score: 0, extracted_entities: ips });
      },
      log_search: (input): ToolRun => {
        const found = deps.logs.search({ file: 'auth.log', pattern: String(input.pattern) });
        return {
          tool: 'log_search',
          ok: true,
          summary: `${found.lines.length} matching audit log line(s)`,
          output: found,
        };
      },
    });

    if (box.allowed('audit_events')) await box.call('audit_events', {});
    if (box.allowed('ip_reputation')) await box.call('ip_reputation', {});
    if (box.allowed('log_search')) await box.call('log_search', { pattern: `user=${ctx.userId}` });

    const events = box.runs.flatMap((r) =>
      ((r.output.events as { action: string }[] | undefined) ?? []).map((e) => e.action),
    );
    const hostile = box.runs.flatMap((r) =>
      ((r.output.results as { action: string; ip: string }[] | undefined) ?? []).filter(
        (x) => x.action === 'block' || x.action === 'challenge',
      ),
    );
    const takeoverSigns = events.filter((a) =>
      /two_factor\.disabled|ssh_key\.added|oauth_app\.authorized|login\.new_ip|personal_access_token\.created/.test(a),
    );
    const credentialPasted = /\[REDACTED_(GITHUB_TOKEN|AWS_KEY|JWT|SECRET)\]/.test(redactedText);

    const parts = [`Followed SOP "${sop.title}".`];
    if (events.length) parts.push(`Recent security events: ${events.join(', ')}.`);
    if (hostile.length) parts.push(`Risky addresses: ${hostile.map((h) => `${h.ip} (${h.action})`).join(', ')}.`);
    if (credentialPasted)
      parts.push(
        'The ticket contained a credential; it was redacted and is handled by the security protocol (revocation).',
      );
    if (!box.runs.length) parts.push('The SOP allows no tools; steps are for a person to carry out.');

    let needsHuman: string | undefined;
    if (sop.id === 'as-account-takeover' || (takeoverSigns.length && hostile.length)) {
      needsHuman = "possible account takeover: a person must verify the customer's identity before access is restored";
    }
    return {
      topic: 'A&S',
      sopId: sop.id,
      summary: parts.join(' '),
      steps: sopSteps(sop),
      toolRuns: box.runs,
      needsHuman,
    };
  };
}
