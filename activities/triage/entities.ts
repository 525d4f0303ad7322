/**
 * Entities for SecurityMetadata, from the detectors: always masked, with a fingerprint so the security
 * tools can find the stored record without the raw value ever leaving triage.
 */
import type { ExtractedEntity } from '../../core/domain';
import { fingerprint, maskMatch, type PiiKind, type PiiMatch } from '../../core/pii';

const KIND: Record<PiiKind, ExtractedEntity['kind']> = {
  email: 'email',
  phone: 'phone',
  credit_card: 'card',
  ipv4: 'ip',
  ipv6: 'ip',
  github_token: 'token',
  aws_access_key: 'aws_key',
  aws_secret_key: 'aws_key',
  jwt: 'jwt',
  secret: 'secret',
};

/** IPs are shown in full to the security tools' reputation lookup via the fingerprint only. */
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
