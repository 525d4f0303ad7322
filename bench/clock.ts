/**
 * The one clock every benchmark process stamps and reads: CLOCK_MONOTONIC through `process.hrtime`, in whole
 * microseconds. It is the same clock in every process on the machine (unlike `performance.timeOrigin`,
 * which each process fixes at its own start), so a producer's stamp and a client's receive time compare
 * directly. Whole microseconds fit a double exactly for years of uptime.
 */
export function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
