/**
 * A stream client that resumes the way the pages do. This uWS build may shut a socket just after its
 * asynchronous upgrade (1006, no close frame; the README's note on `res.cork`), about once in several hundred
 * opens on a loaded machine; a page then reconnects at once with `?since=<last seq>`. A test of what reaches a
 * subscriber over time uses this client, so it checks the stream's contract (every event once, in order,
 * across the reconnect) and not whether that native drop happened in this run.
 */
import { metricValue, StreamClient, streamUrl, waitFor, type RunningGateway } from './harness';
import type { TicketEvent } from '../../core/events';

/** As the pages: at most this many immediate reconnects before a test should call it a failure. */
const MAX_RESUMES = 2;
const UPGRADE_DROPS = 'ticketflow_gateway_upgrade_drops_total';

export class ResumingStream {
  readonly connections: StreamClient[];
  /** The gateway's count of drops in an upgrade when this client last (re)connected. */
  private dropsSeen: Promise<number>;

  constructor(
    private readonly g: RunningGateway,
    private readonly ticketId: string,
    private readonly token: string,
  ) {
    this.dropsSeen = metricValue(g, UPGRADE_DROPS);
    this.connections = [new StreamClient(streamUrl(g, ticketId), { token })];
  }

  get opened(): Promise<void> {
    return this.connections[0]!.opened;
  }

  /** How many times uWS dropped the socket and this client resumed. */
  get resumes(): number {
    return this.connections.length - 1;
  }

  /** Every event received over all connections, in the order received. */
  events(): TicketEvent[] {
    return this.connections.flatMap((c) => c.events());
  }

  seqs(): number[] {
    return this.events().map((e) => e.seq);
  }

  async waitForSeqCount(n: number, timeoutMs = 15_000): Promise<void> {
    await waitFor(
      async () => {
        await this.resumeIfDropped();
        return this.events().length >= n;
      },
      { timeoutMs, message: `${n} events` },
    ).catch((err: Error) => {
      throw new Error(`${err.message} (have ${this.events().length}, resumed ${this.resumes} times)`);
    });
  }

  close(): void {
    for (const c of this.connections) c.close();
  }

  /**
   * Only the native drop is mended: a 1006 the gateway did not count as a drop in an upgrade is some other
   * loss of the socket, and fails the test.
   */
  private async resumeIfDropped(): Promise<void> {
    const current = this.connections.at(-1)!;
    if (current.closed?.code !== 1006 || this.resumes >= MAX_RESUMES) return;
    const drops = await metricValue(this.g, UPGRADE_DROPS);
    if (drops <= (await this.dropsSeen)) throw new Error('the socket closed with 1006 but not in its upgrade');
    this.dropsSeen = Promise.resolve(drops);
    const since = Math.max(0, ...this.seqs());
    console.warn(`stream of ${this.ticketId} dropped in its upgrade (1006); resuming with since=${since}`);
    this.connections.push(new StreamClient(streamUrl(this.g, this.ticketId, `?since=${since}`), { token: this.token }));
  }
}
