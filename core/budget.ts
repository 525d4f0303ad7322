import { z } from 'zod';
import { parseDuration } from './duration';

/** A budget: "N/window", e.g. "10/1m" (N requests per window). */
export const budget = z.string().transform((value, ctx) => {
  const m = /^\s*(\d+)\s*\/\s*(\S+)\s*$/.exec(value);
  const windowMs = m ? parseDuration(m[2]!) : undefined;
  if (!m || windowMs === undefined || Number(m[1]) < 1 || windowMs < 1000) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a budget (use N/window, e.g. 10/1m; window at least 1s)`,
    });
    return z.NEVER;
  }
  return { points: Number(m[1]), windowMs };
});
