/**
 * Revoking the credentials a ticket exposed: a side effect under the action policy. When ACTIONS_UNATTENDED
 * leaves `revoke_credentials` out, the run is held and carries a proposal for the security team to confirm
 * or decline on the ticket (issue 11); a confirmed one runs here with each token's state read again inside
 * the write, so a token revoked meanwhile (by hand, or by another ticket) is reported as such, not as ours.
 */
import type { ProposedAction, SecurityMetadata, ToolRun } from '../../core/domain';
import { createLogger } from '../../core/logger';
import { redactDeep } from '../../core/pii';
import type { ActionRequest, Decision } from '../policy';
import type { TicketContext } from '../ports';
import { revokeInputSchema, revokeOutputSchema } from './schemas';
import type { ToolStore } from './store';

const CREDENTIAL_KINDS = new Set(['token', 'aws_key', 'jwt', 'secret']);

type Token = { fingerprint: string; masked: string };
type Entry = { masked: string; status: 'revoked' | 'already_revoked' | 'blocklisted' };

export function toolRun(tool: string, ok: boolean, summary: string, output: Record<string, unknown>): ToolRun {
  return { tool, ok, summary, output: redactDeep(output) };
}

/** What a confirmed revocation did, worded so a reply can say "We have ..." of it. */
function executedSummary(revoked: Entry[]): string {
  const here = revoked.filter((e) => e.status !== 'already_revoked').map((e) => `${e.masked} (${e.status})`);
  const before = revoked.filter((e) => e.status === 'already_revoked').map((e) => e.masked);
  const earlier = `the credential(s) ${before.join(', ')} already revoked before this ticket`;
  if (!here.length) return `found ${earlier}`;
  const done = `revoked the exposed credential(s): ${here.join(', ')}`;
  return before.length ? `${done}, and found ${earlier}` : done;
}

export function createRevocation(db: ToolStore, decide: (req: ActionRequest) => Decision) {
  const byFingerprint = db.prepare(
    'SELECT id, masked, kind, revoked_at, revoked_by_ticket FROM tokens WHERE fingerprint = ?',
  );
  const revoke = db.prepare(
    'UPDATE tokens SET revoked_at = ?, revoked_by_ticket = ? WHERE id = ? AND revoked_at IS NULL',
  );
  const blocklist = db.prepare(
    "INSERT INTO tokens (user_id, kind, token_sha256, fingerprint, masked, created_at, revoked_at, revoked_by_ticket) VALUES (NULL, 'unknown', ?, ?, ?, ?, ?, ?)",
  );

  function revokeAll(ticketId: string, tokens: Token[]): Entry[] {
    const now = new Date().toISOString();
    const revoked = db.transaction(() =>
      tokens.map((t): Entry => {
        const row = byFingerprint.get(t.fingerprint) as
          | { id: number; masked: string; kind: string; revoked_at: string | null; revoked_by_ticket: string | null }
          | undefined;
        if (!row) {
          // Not one of ours (or not on file): remember the fingerprint so the token is refused if it ever shows up.
          blocklist.run(`unknown:${t.fingerprint}`, t.fingerprint, t.masked, now, now, ticketId);
          return { masked: t.masked, status: 'blocklisted' };
        }
        // This ticket's own earlier attempt (a retried activity) did it: report what it did, not "already".
        if (row.revoked_at && row.revoked_by_ticket === ticketId)
          return { masked: row.masked, status: row.kind === 'unknown' ? 'blocklisted' : 'revoked' };
        if (row.revoked_at) return { masked: row.masked, status: 'already_revoked' };
        revoke.run(now, ticketId, row.id);
        return { masked: row.masked, status: 'revoked' };
      }),
    )();
    createLogger('security-tools', { ticketId }).info('tokens revoked', { count: revoked.length });
    return revokeOutputSchema.parse({ revoked }).revoked;
  }

  return {
    async revokeTokens(ctx: TicketContext, security: SecurityMetadata): Promise<ToolRun> {
      const input = revokeInputSchema.parse({
        ticketId: ctx.ticketId,
        tokens: security.extracted_entities
          .filter((e) => CREDENTIAL_KINDS.has(e.kind) && e.fingerprint)
          .map((e) => ({ fingerprint: e.fingerprint!, masked: e.masked })),
      });
      if (input.tokens.length > 0) {
        const masked = input.tokens.map((t) => t.masked).join(', ');
        const decision = decide({ kind: 'revoke_credentials', tool: 'revoke_tokens', target: `credentials ${masked}` });
        if (decision.verdict !== 'run') {
          // Held for a person: the proposal names the credentials by fingerprint (never the secret) and masked.
          const proposal: ProposedAction = {
            id: `revoke_tokens:${input.tokens.map((t) => t.fingerprint).join('+')}`,
            kind: 'revoke_credentials',
            tool: 'revoke_tokens',
            target: masked,
            input: { tokens: input.tokens },
            reason: decision.reason,
          };
          return toolRun('revoke_tokens', false, `revoke_tokens of ${masked} held: ${decision.reason}`, {
            decision: decision.verdict,
            reason: decision.reason,
            ...(decision.verdict === 'propose' ? { proposal } : {}),
          });
        }
      }
      const revoked = revokeAll(ctx.ticketId, input.tokens);
      const summary =
        revoked.length === 0
          ? 'No credentials to revoke.'
          : `Revoked ${revoked.length} credential(s): ${revoked.map((r) => `${r.masked} (${r.status})`).join(', ')}`;
      return toolRun('revoke_tokens', true, summary, { revoked });
    },

    /** Runs a revocation the security team confirmed; idempotent per ticket, like the unattended one. */
    async executeRevocation(ctx: TicketContext, p: ProposedAction): Promise<ToolRun> {
      if (p.tool !== 'revoke_tokens')
        return toolRun(p.tool, false, `${p.tool} cannot be run as a revocation`, {
          proposalId: p.id,
          decision: 'failed',
        });
      const input = revokeInputSchema.parse({ ticketId: ctx.ticketId, tokens: p.input.tokens });
      const revoked = revokeAll(ctx.ticketId, input.tokens);
      return toolRun('revoke_tokens', true, executedSummary(revoked), {
        revoked,
        proposalId: p.id,
        decision: 'executed',
      });
    },
  };
}
