/**
 * Who holds and who views the tickets a list shows, kept current by the queue stream's desk frames. A viewer
 * lapses on its own when no beat renews it (the server sends how long each beat holds), so a closed tab
 * stops showing without anyone asking the server.
 */
import type { DeskAssignment, DeskView, QueueFrame } from '../../../core/desk';

/** How long a viewer read from GET /v1/desk counts, without a beat: the server's presence TTL. */
const LOADED_VIEWER_MS = 20_000;

export class DeskState {
  private readonly holders = new Map<string, DeskAssignment>();
  /** ticket -> agent -> until (epoch ms, this browser's clock). */
  private readonly viewing = new Map<string, Map<string, number>>();

  /** `changed` is told of a ticket whose viewers lapsed. */
  constructor(private readonly changed: (ticketId: string) => void) {}

  holder(ticketId: string): string | undefined {
    return this.holders.get(ticketId)?.agent;
  }

  viewers(ticketId: string): string[] {
    const now = Date.now();
    return [...(this.viewing.get(ticketId) ?? [])]
      .filter(([, until]) => until > now)
      .map(([agent]) => agent)
      .sort();
  }

  /** A full read for the tickets shown replaces what is known of them. */
  load(ids: readonly string[], view: DeskView): void {
    for (const id of ids) {
      const held = view.assignments[id];
      if (held) this.holders.set(id, held);
      else this.holders.delete(id);
      this.viewing.delete(id);
      for (const agent of view.viewers[id] ?? []) this.see(id, agent, LOADED_VIEWER_MS);
    }
  }

  /** Applies a desk or viewer frame; answers the ticket it changed, if any. */
  apply(frame: QueueFrame): string | null {
    if (frame.kind === 'desk') {
      if (frame.assignment) this.holders.set(frame.ticketId, frame.assignment);
      else this.holders.delete(frame.ticketId);
      return frame.ticketId;
    }
    if (frame.kind === 'viewer') {
      const known = this.viewers(frame.ticketId).includes(frame.agent);
      this.see(frame.ticketId, frame.agent, frame.forMs);
      return known ? null : frame.ticketId;
    }
    return null;
  }

  private see(ticketId: string, agent: string, forMs: number): void {
    let agents = this.viewing.get(ticketId);
    if (!agents) this.viewing.set(ticketId, (agents = new Map<string, number>()));
    agents.set(agent, Date.now() + forMs);
    setTimeout(() => {
      const until = this.viewing.get(ticketId)?.get(agent);
      if (until !== undefined && until <= Date.now()) {
        this.viewing.get(ticketId)?.delete(agent);
        this.changed(ticketId);
      }
    }, forMs + 50);
  }
}
