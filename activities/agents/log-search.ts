/**
 * A grep that can only read its own audit folder. The file name is resolved and must stay inside the
 * folder (no "..", no absolute paths, no symlinks out); the pattern is a literal string, never a regex, so
 * a ticket cannot make it slow or broad. Matching lines come back redacted.
 *
 * A `key=value` pattern names a field (a principal, typically `user=mona`): it matches only a whole field
 * with exactly that value, case and all, because a substring match handed `mon` the audit lines of `mona`.
 * Any other pattern is a case-insensitive substring.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { TicketflowError } from '../../core/errors';
import { redact } from '../../core/pii';

export const logSearchInputSchema = z.strictObject({
  file: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9._-]+$/, 'a plain file name inside the audit folder'),
  pattern: z.string().min(2).max(200),
  limit: z.number().int().min(1).max(50).default(20),
});
export type LogSearchInput = z.input<typeof logSearchInputSchema>;

export interface LogSearch {
  readonly root: string;
  search(input: LogSearchInput): { file: string; lines: string[] };
}

const FIELD = /^[A-Za-z0-9_.-]+=\S+$/;

function lineMatcher(pattern: string): (line: string) => boolean {
  if (FIELD.test(pattern)) return (line) => line.split(/\s+/).includes(pattern);
  const needle = pattern.toLowerCase();
  return (line) => line.toLowerCase().includes(needle);
}

export function createLogSearch(auditDir: string): LogSearch {
  fs.mkdirSync(auditDir, { recursive: true });
  const root = fs.realpathSync(auditDir);
  return {
    root,
    search(raw) {
      const parsed = logSearchInputSchema.safeParse(raw);
      if (!parsed.success)
        throw new TicketflowError(
          'policy',
          `log search refused: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
        );
      const { file, pattern, limit } = parsed.data;
      const target = path.resolve(root, file);
      if (path.dirname(target) !== root)
        throw new TicketflowError('policy', 'log search refused: outside the audit folder');
      if (!fs.existsSync(target)) throw new TicketflowError('not_found', `no audit log named ${file}`);
      const real = fs.realpathSync(target);
      if (path.dirname(real) !== root)
        throw new TicketflowError('policy', 'log search refused: the file links outside the audit folder');
      const lines = fs
        .readFileSync(real, 'utf8')
        .split('\n')
        .filter(lineMatcher(pattern))
        .slice(-limit)
        .map((l) => redact(l));
      return { file, lines };
    },
  };
}

/** Demo audit logs for the embedded store, written once. */
export function seedAuditLogs(auditDir: string): void {
  fs.mkdirSync(auditDir, { recursive: true });
  const file = path.join(auditDir, 'auth.log');
  if (fs.existsSync(file)) return;
  const lines = [
    '2025-01-10T14:02:11Z user=mona action=pat.used token=ghp_9Xk2LmQ7vR4tY8wZ1aB3cD5eF6gH0iJ2kL4m ip=185.220.101.4 repo=acme/api',
    '2025-01-10T14:03:40Z user=mona action=2fa.disabled ip=185.220.101.4',
    '2025-01-10T14:05:02Z user=mona action=ssh_key.added ip=185.220.101.4 key=laptop-new',
    '2025-01-09T09:12:00Z user=mona action=2fa.challenge.failed ip=203.0.113.42',
    '2025-01-09T09:13:30Z user=mona action=2fa.challenge.failed ip=203.0.113.42',
    '2025-01-08T18:20:00Z user=hubot action=oauth_app.authorized app=deploy-helper ip=45.83.64.12',
    '2025-01-08T18:21:00Z user=hubot action=token.used token=ghs_Tq8Wm3Zr6Yp1Xn4Vb7Lk2Jh5Gf9Ds0Aq3We6R ip=45.83.64.12',
    '2025-01-07T07:00:00Z user=octo-dev action=login ip=45.83.64.12',
    '2025-01-07T07:01:00Z user=demo-user action=2fa.challenge.failed ip=203.0.113.42',
  ];
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}
