/**
 * Where the ticket's search-attribute changes go. Every upsert is a history event and a visibility write on
 * the server, and a step changes status, topic or text several times in one workflow task (triage alone did
 * three upserts), so runs with the `shape5` patch keep the changes here, one value per key, and send them as
 * one upsert when the run next hands work to the server (the outbox's kick, before an alert). Runs recorded
 * before the patch upsert at once, as they did.
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';

export class TicketAttributes {
  private readonly pending = new Map<string, SearchAttributeUpdatePair>();

  constructor(private readonly batched: boolean) {}

  set(updates: SearchAttributeUpdatePair[]): void {
    if (!this.batched) return upsertSearchAttributes(updates);
    // The latest value of each key wins; a key keeps its first position, so the command is the same on replay.
    for (const u of updates) this.pending.set(u.key.name, u);
  }

  /** One upsert for everything set since the last flush (none when nothing was). */
  flush(): void {
    if (this.pending.size === 0) return;
    const updates = [...this.pending.values()];
    this.pending.clear();
    upsertSearchAttributes(updates);
  }
}
