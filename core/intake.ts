/**
 * What a ticket becomes before it enters the system: its text with PII and secrets redacted, and the
 * entities the detectors found, masked, each with a fingerprint so the security tools can find the stored
 * record (a token to revoke, an IP to look up) without the raw value. The ticket client does this at the
 * edge, so the raw text never reaches the workflow's history, the Temporal Web UI or any model.
 */
import { type ExtractedEntity, extractedEntitySchema } from './domain';
import { fingerprint, maskMatch, scrub, type PiiKind, type PiiMatch } from './pii';
import { z } from 'zod';

const KIND: Record<PiiKind, ExtractedEntity['kind']> = {
  email: 'email',
  phone: 'phone',
  credit_card: 'card',
  iban: 'iban',
  ssn: 'ssn',
  ipv4: 'ip',
  ipv6: 'ip',
  github_token: 'token',
  aws_access_key: 'aws_key',
  aws_secret_key: 'aws_key',
  jwt: 'jwt',
  secret: 'secret',
  person: 'person',
};

export const intakeSchema = z.object({
  redactedText: z.string(),
  entities: z.array(extractedEntitySchema),
});
export type Intake = z.infer<typeof intakeSchema>;

/** Masked entities, one per distinct value. */
export function toEntities(matches: PiiMatch[]): ExtractedEntity[] {
  const seen = new Set<string>();
  const out: ExtractedEntity[] = [];
  for (const m of matches) {
    const fp = fingerprint(m.value);
    if (seen.has(fp)) continue;
    seen.add(fp);
    out.push({ kind: KIND[m.kind], masked: maskMatch(m.kind, m.value), fingerprint: fp });
  }
  return out;
}

/** Transaction ids are not PII; the billing agent needs them to verify a refund. */
function transactionIds(text: string): ExtractedEntity[] {
  return [...new Set(text.match(/\btxn_[A-Za-z0-9]{4,32}\b/g) ?? [])].map((t) => ({
    kind: 'transaction_id' as const,
    masked: t,
  }));
}

/** The same on a worker thread: what the gateway calls, so detection never runs on its event loop. */
export { intakeOffThread } from './pii/pool';

export function intake(text: string): Intake {
  const { text: redactedText, matches } = scrub(text, 'redact');
  return { redactedText, entities: [...toEntities(matches), ...transactionIds(text)] };
}
