/**
 * The order of the fixed-rate (latency) repeats across server kinds. Until issue 15's ninth round each kind
 * ran all its repeats back to back, the kinds in the order given (uWS first): whatever the machine or the
 * broker did early in the run (a young broker's JIT and heap growth, the heap left by the throughput bursts)
 * landed on the first kind's first repeat, and quiet runs' first repeats were often their worst. Now:
 *  - every visit starts with full collections of the server's heap and a warm-up at the same rate, not
 *    measured, so a repeat never pays for the bursts' garbage or for code the steady rate has not run yet;
 *  - `mirrored` (the default) splits each kind's repeats over two visits, the second pass in the reverse
 *    order (uws ws raw ... raw ws uws). With an even number of repeats every kind's sit at the same mean place
 *    in the run, so a steady drift (a broker settling, a neighbour's load rising) favours none of them. With an
 *    odd number the first visit holds one more, and each kind's mean place is one repeat later than the kind
 *    before it (3 repeats: uws 4th, ws 5th, raw 6th of 9, against 2nd, 5th and 8th back to back): a third of
 *    the old skew, not none. Ask for an even `--fixed-repeats` where the order must not matter.
 */
import type { BenchKind } from './bench-types';

export type FixedOrder = 'mirrored' | 'given';

export interface FixedVisit {
  kind: BenchKind;
  /** 1: the kind's full run (memory, bursts, backlog, then these repeats); 2: its server started again for these. */
  visit: 1 | 2;
  repeats: number;
}

export function fixedVisits(kinds: readonly BenchKind[], repeats: number, order: FixedOrder): FixedVisit[] {
  if (order === 'given' || repeats < 2) return kinds.map((kind) => ({ kind, visit: 1, repeats }));
  const first = Math.ceil(repeats / 2);
  return [
    ...kinds.map((kind) => ({ kind, visit: 1 as const, repeats: first })),
    ...[...kinds].reverse().map((kind) => ({ kind, visit: 2 as const, repeats: repeats - first })),
  ];
}
