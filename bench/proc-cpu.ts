/**
 * CPU time of any process on the machine from /proc/<pid>/stat (user + system), so the report can say where
 * a phase's CPU went: server, clients, producer, and the Kafka broker (a JVM this process did not start).
 */
import fs from 'node:fs';

const TICKS_PER_SEC = 100; // USER_HZ on Linux

/** Milliseconds of CPU used so far by `pid` (undefined when it cannot be read). */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields overall.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(rest[11]) + Number(rest[12])) * 1000) / TICKS_PER_SEC;
  } catch {
    return undefined;
  }
}

/** The pid of the local Kafka broker (a `kafka.Kafka` JVM), found by its command line. */
export function findKafkaBrokerPid(): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes('java') && cmd.split('\0').includes('kafka.Kafka')) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}
