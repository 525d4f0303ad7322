/** Strict input and output schemas of the security tools: a tool never receives or returns a raw secret. */
import { z } from 'zod';

const fingerprint = z.string().regex(/^[0-9a-f]{16}$/, 'a 16-hex sha-256 prefix');

export const revokeInputSchema = z.strictObject({
  tokens: z.array(z.strictObject({ fingerprint, masked: z.string().max(64) })).max(50),
  ticketId: z.string().min(1),
});
export const revokeOutputSchema = z.strictObject({
  revoked: z.array(
    z.strictObject({ masked: z.string(), status: z.enum(['revoked', 'already_revoked', 'blocklisted']) }),
  ),
});

export const ipReputationInputSchema = z.strictObject({
  ips: z.array(z.strictObject({ fingerprint, masked: z.string().max(64) })).max(20),
});
export const ipVerdictSchema = z.strictObject({
  ip: z.string(),
  known: z.boolean(),
  risk_score: z.number().int().min(0).max(100),
  vpn: z.boolean(),
  tor: z.boolean(),
  network: z.string(),
  action: z.enum(['allow', 'review', 'challenge', 'block']),
});
export const ipReputationOutputSchema = z.strictObject({ results: z.array(ipVerdictSchema) });

export const auditInputSchema = z.strictObject({
  userId: z.string().min(1).max(100),
  limit: z.number().int().min(1).max(50),
});
export const auditOutputSchema = z.strictObject({
  events: z.array(
    z.strictObject({ at: z.string(), action: z.string(), ip: z.string().nullable(), detail: z.string() }),
  ),
});
