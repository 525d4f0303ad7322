/**
 * Where the ticket's search-attribute changes go. Every upsert is a history event and a visibility write on
 * the server, and a step changes status, topic or text several times in one workflow task (triage alone did
 * three upserts), so runs with the `shape5` patch keep the changes here, one value per key, and send them as
 * one upsert when the run next hands work to the server (the outbox's kick, before an alert). Runs recorded
 * before the patch upsert at once, as they did. Runs with `shape6` also leave out every value the server
 * already holds (set by the start request or an earlier upsert), and make no upsert when nothing is left.
 */
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';

export class TicketAttributes {
  private readonly pending = new Map<string, SearchAttributeUpdatePair>();

  constructor(
    private readonly batched: boolean,
    /** `shape6`: send only what differs from the run's current search attributes. */
    private readonly changesOnly = false,
  ) {}

  set(updates: SearchAttributeUpdatePair[]): void {
    if (!this.batched) return upsertSearchAttributes(updates);
    // The latest value of each key wins; a key keeps its first position, so the command is the same on replay.
    for (const u of updates) this.pending.set(u.key.name, u);
  }

  /** One upsert for everything set since the last flush (none when nothing was, or nothing changed). */
  flush(): void {
    if (this.pending.size === 0) return;
    let updates = [...this.pending.values()];
    this.pending.clear();
    // The SDK keeps workflowInfo's attributes as the server holds them (the start's, then each upsert applied),
    // the same on replay, so what is left out is the same too.
    if (this.changesOnly) updates = updates.filter((u) => !holds(u));
    if (updates.length > 0) upsertSearchAttributes(updates);
  }
}

/** The run's attributes already carry this value (a removal: the key is absent). */
function holds(u: SearchAttributeUpdatePair): boolean {
  const current: unknown = workflowInfo().typedSearchAttributes.get(u.key);
  if (u.value === null || u.value === undefined) return current === undefined;
  if (u.value instanceof Date) return current instanceof Date && current.getTime() === u.value.getTime();
  if (Array.isArray(u.value))
    return Array.isArray(current) && current.length === u.value.length && u.value.every((v, i) => v === current[i]);
  return current === u.value;
}
