/**
 * The kinds of value an environment variable holds, each with the message a bad value gets. Shared by the
 * config schema (core/config.ts) so every port, duration and list is checked the same way.
 */
import { z } from 'zod';
import { parseDuration } from './duration';

export const port = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

export const positiveInt = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .positive('must be > 0');

/** Durations accept milliseconds ("1500") or a unit ("30s", "10m", "2h"), and come out in milliseconds. */
export const duration = z.string().transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration (use e.g. 500ms, 30s, 10m, 2h)` });
    return z.NEVER;
  }
  return ms;
});

export const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''], { error: 'must be true or false' })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

export const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

export const brokerList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(z.string().regex(/^[^:\s]+:\d{1,5}$/, 'each broker must be host:port')).min(1, 'needs at least one broker'),
  );

/** A comma-separated list of names, each one of `values`. */
export function nameList<const T extends readonly [string, ...string[]]>(values: T, fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((v) =>
      v
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values, { error: `each must be one of ${values.join(', ')}` })));
}
