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

/**
 * The pid of the local Kafka broker (a `kafka.Kafka` JVM, found by its command line) that listens on `port`
 * (read from its properties file), so a bench pointed at another broker on the machine reads that one's CPU.
 */
export function findKafkaBrokerPid(port?: number): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (!args[0]?.includes('java') || !args.includes('kafka.Kafka')) continue;
      const props = args.at(-1)?.endsWith('.properties') ? fs.readFileSync(args.at(-1)!, 'utf8') : '';
      if (port === undefined || new RegExp(`^listeners=.*:${port}\\b`, 'm').test(props)) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}
