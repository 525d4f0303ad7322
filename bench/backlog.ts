/**
 * The backlog phase (`--backlog`): the server under test is stopped (SIGSTOP) while the producer writes the
 * burst into Kafka, then continued, and deliveries/s counts from that moment. The live throughput phase shares
 * the 2 cores with the bench's own producer (about a third of the burst's CPU, docs/benchmarks.md); here the
 * gateway drains the same records with the cores to itself, as after a pause, which is the figure to set
 * against the raw ceiling (whose records are made in the server, with no producer either). Latency in this
 * phase is meaningless (the records wait out the stop) and the server's event-loop utilisation counts the stop
 * as idle. The stop stays well inside the consumer's 10 s session (a burst is produced in 1-3 s).
 */
import { nowUs } from './clock';

export interface BacklogResult {
  records: number;
  /** When the server was continued: the start of the measured window. */
  resumedUs: number;
}

export async function produceAsBacklog(serverPid: number, produce: () => Promise<number>): Promise<BacklogResult> {
  process.kill(serverPid, 'SIGSTOP');
  let records: number;
  try {
    records = await produce();
  } finally {
    process.kill(serverPid, 'SIGCONT');
  }
  return { records, resumedUs: nowUs() };
}
