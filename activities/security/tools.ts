/**
 * The SecurityTools port on the embedded store. Each tool validates its input and output with zod;
 * IPs in results are masked; tokens are found by fingerprint and only ever returned masked. Revocation is a
 * side effect under the action policy (revocation.ts).
 */
import { randomUUID } from 'node:crypto';
import type { QueryAnalysis, SecurityBrief, SecurityMetadata, ToolRun } from '../../core/domain';
import { maskMatch } from '../../core/pii';
import type { ActionRequest, Decision } from '../policy';
import type { SecurityTools, TicketContext } from '../ports';
import { auditInputSchema, auditOutputSchema, ipReputationInputSchema, ipReputationOutputSchema } from './schemas';
import type { ToolStore } from './store';
import { synthesizeBrief } from './brief';
import { createRevocation, toolRun } from './revocation';

export function createSecurityTools(db: ToolStore, decide: (req: ActionRequest) => Decision): SecurityTools {
  const ipLookup = db.prepare('SELECT masked, risk_score, network, action FROM ip_reputation WHERE fingerprint = ?');
  const audit = db.prepare(
    'SELECT at, action, ip, detail FROM audit_events WHERE user_id = ? ORDER BY at DESC LIMIT ?',
  );
  const insertIncident = db.prepare(
    'INSERT INTO incidents (id, ticket_id, user_id, org_id, category, topic, summary, brief_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const existingIncident = db.prepare('SELECT id FROM incidents WHERE ticket_id = ?');

  return {
    ...createRevocation(db, decide),

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
      return toolRun('ip_reputation', true, summary, output);
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
      return toolRun('audit_events', true, summary, output);
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
