/**
 * The SecurityTools port on the embedded store. Each tool validates its input and output with zod;
 * IPs in results are masked; tokens are found by fingerprint and only ever returned masked. Revocation is a
 * side effect: the action policy (activities/policy, `ACTIONS_UNATTENDED`) decides before anything changes.
 */
import { randomUUID } from 'node:crypto';
import type { QueryAnalysis, SecurityBrief, SecurityMetadata, ToolRun } from '../../core/domain';
import { createLogger } from '../../core/logger';
import { maskMatch, redactDeep } from '../../core/pii';
import type { ActionRequest, Decision } from '../policy';
import type { SecurityTools, TicketContext } from '../ports';
import {
  auditInputSchema,
  auditOutputSchema,
  ipReputationInputSchema,
  ipReputationOutputSchema,
  revokeInputSchema,
  revokeOutputSchema,
} from './schemas';
import type { ToolStore } from './store';
import { synthesizeBrief } from './brief';

const CREDENTIAL_KINDS = new Set(['token', 'aws_key', 'jwt', 'secret']);

function run(tool: string, ok: boolean, summary: string, output: Record<string, unknown>): ToolRun {
  return { tool, ok, summary, output: redactDeep(output) };
}

export function createSecurityTools(db: ToolStore, decide: (req: ActionRequest) => Decision): SecurityTools {
  const byFingerprint = db.prepare(
    'SELECT id, masked, kind, revoked_at, revoked_by_ticket FROM tokens WHERE fingerprint = ?',
  );
  const revoke = db.prepare(
    'UPDATE tokens SET revoked_at = ?, revoked_by_ticket = ? WHERE id = ? AND revoked_at IS NULL',
  );
  const blocklist = db.prepare(
    "INSERT INTO tokens (user_id, kind, token_sha256, fingerprint, masked, created_at, revoked_at, revoked_by_ticket) VALUES (NULL, 'unknown', ?, ?, ?, ?, ?, ?)",
  );
  const ipLookup = db.prepare('SELECT masked, risk_score, network, action FROM ip_reputation WHERE fingerprint = ?');
  const audit = db.prepare(
    'SELECT at, action, ip, detail FROM audit_events WHERE user_id = ? ORDER BY at DESC LIMIT ?',
  );
  const insertIncident = db.prepare(
    'INSERT INTO incidents (id, ticket_id, user_id, org_id, category, topic, summary, brief_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const existingIncident = db.prepare('SELECT id FROM incidents WHERE ticket_id = ?');

  return {
    async revokeTokens(ctx, security) {
      const input = revokeInputSchema.parse({
        ticketId: ctx.ticketId,
        tokens: security.extracted_entities
          .filter((e) => CREDENTIAL_KINDS.has(e.kind) && e.fingerprint)
          .map((e) => ({ fingerprint: e.fingerprint!, masked: e.masked })),
      });
      if (input.tokens.length > 0) {
        const masked = input.tokens.map((t) => t.masked).join(', ');
        const decision = decide({ kind: 'revoke_credentials', tool: 'revoke_tokens', target: `credentials ${masked}` });
        if (decision.verdict !== 'run')
          return run('revoke_tokens', false, `revoke_tokens of ${masked} held: ${decision.reason}`, {
            decision: decision.verdict,
            reason: decision.reason,
          });
      }
      const now = new Date().toISOString();
      const revoked = db.transaction(() =>
        input.tokens.map((t) => {
          const row = byFingerprint.get(t.fingerprint) as
            | { id: number; masked: string; kind: string; revoked_at: string | null; revoked_by_ticket: string | null }
            | undefined;
          if (!row) {
            // Not one of ours (or not on file): remember the fingerprint so the token is refused if it ever shows up.
            blocklist.run(`unknown:${t.fingerprint}`, t.fingerprint, t.masked, now, now, ctx.ticketId);
            return { masked: t.masked, status: 'blocklisted' as const };
          }
          // This ticket's own earlier attempt (a retried activity) did it: report what it did, not "already".
          if (row.revoked_at && row.revoked_by_ticket === ctx.ticketId)
            return {
              masked: row.masked,
              status: row.kind === 'unknown' ? ('blocklisted' as const) : ('revoked' as const),
            };
          if (row.revoked_at) return { masked: row.masked, status: 'already_revoked' as const };
          revoke.run(now, ctx.ticketId, row.id);
          return { masked: row.masked, status: 'revoked' as const };
        }),
      )();
      const output = revokeOutputSchema.parse({ revoked });
      createLogger('security-tools', { ticketId: ctx.ticketId }).info('tokens revoked', { count: revoked.length });
      const summary =
        revoked.length === 0
          ? 'No credentials to revoke.'
          : `Revoked ${revoked.length} credential(s): ${revoked.map((r) => `${r.masked} (${r.status})`).join(', ')}`;
      return run('revoke_tokens', true, summary, output);
    },

    async ipReputation(_ctx, security) {
      const input = ipReputationInputSchema.parse({
        ips: security.extracted_entities
          .filter((e) => e.kind === 'ip' && e.fingerprint)
          .map((e) => ({ fingerprint: e.fingerprint!, masked: e.masked })),
      });
      const results = input.ips.map((ip) => {
        const row = ipLookup.get(ip.fingerprint) as
          { masked: string; risk_score: number; network: string; action: string } | undefined;
        if (!row)
          return {
            ip: ip.masked,
            known: false,
            risk_score: 0,
            vpn: false,
            tor: false,
            network: 'unknown',
            action: 'review' as const,
          };
        return {
          ip: row.masked,
          known: true,
          risk_score: row.risk_score,
          vpn: row.network === 'vpn',
          tor: row.network === 'tor',
          network: row.network,
          action: row.action as 'allow' | 'review' | 'challenge' | 'block',
        };
      });
      const output = ipReputationOutputSchema.parse({ results });
      const summary =
        results.length === 0
          ? 'No IP addresses in the ticket.'
          : results
              .map(
                (r) =>
                  `${r.ip}: ${r.known ? `risk ${r.risk_score}/100, ${r.network}` : 'not in the reputation list'} -> ${r.action}`,
              )
              .join('; ');
      return run('ip_reputation', true, summary, output);
    },

    async auditEvents(ctx) {
      const input = auditInputSchema.parse({ userId: ctx.userId, limit: 5 });
      const rows = audit.all(input.userId, input.limit) as {
        at: string;
        action: string;
        ip: string | null;
        detail: string;
      }[];
      const output = auditOutputSchema.parse({
        events: rows.map((r) => ({ ...r, ip: r.ip ? maskMatch(r.ip.includes(':') ? 'ipv6' : 'ipv4', r.ip) : null })),
      });
      const summary =
        rows.length === 0
          ? `No security events on file for ${input.userId}.`
          : `Last ${rows.length} security event(s): ${rows.map((r) => r.action).join(', ')}`;
      return run('audit_events', true, summary, output);
    },

    async brief(_ctx, analysis: QueryAnalysis, security: SecurityMetadata, runs: ToolRun[]): Promise<SecurityBrief> {
      return synthesizeBrief(analysis, security, runs);
    },

    async storeIncident(ctx: TicketContext, analysis, security, brief) {
      // Idempotent per ticket: a retried activity finds the incident it already stored.
      const existing = existingIncident.get(ctx.ticketId) as { id: string } | undefined;
      if (existing) return { incidentId: existing.id };
      const incidentId = `inc_${randomUUID().slice(0, 12)}`;
      insertIncident.run(
        incidentId,
        ctx.ticketId,
        ctx.userId,
        ctx.orgId,
        security.risk_category,
        analysis.topic,
        brief.summary,
        JSON.stringify({ ...brief, incidentId }),
        new Date().toISOString(),
      );
      return { incidentId };
    },
  };
}
