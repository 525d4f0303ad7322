/**
 * The consumer group name for each join of the gateway's consumer: a fresh group per join, under the
 * instance's base name, and the groups of earlier joins deleted once their members are surely gone.
 *
 * Why not one fixed group: kafkajs starts every join (a new consumer, and even its own restart after a
 * crash) with a new `ConsumerGroup` whose memberId is empty, so the coordinator sees a new member. The old
 * member could not leave while the broker was down, and the restarted broker reloads it from the group's
 * stored metadata with a fresh session, so the coordinator holds the new join until that member's session
 * expires (10 s here; the broker's minimum session is 6 s, so a shorter one cannot reach a second, and
 * kafkajs cannot rejoin under an old memberId or a static `group.instance.id`). The full chaos run saw that
 * wait after every Kafka outage, and a killed gateway restarted under the same instance id would wait the
 * same. A fresh group has no previous member: its join completes at once. Nothing is lost: the consumer
 * resumes from its in-process positions (positions.ts), and the committed offsets are for operators only.
 */
import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';

export interface JoinGroupsOptions {
  /** The instance's group name; each join's group is `<base>.<nonce>-<n>`. */
  base: string;
  /** How long after a successful join the earlier groups are deleted (their stale member's session, plus). */
  retireAfterMs: number;
  /** A client for deleting them (best-effort: a group the broker has already dropped is fine). */
  admin: () => Admin;
}

export class JoinGroups {
  private readonly nonce = randomUUID().slice(0, 8);
  private joins = 0;
  private retired: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  current: string;

  constructor(private readonly o: JoinGroupsOptions) {
    this.current = o.base;
  }

  /** The group for the next join; the previous one is retired. */
  next(): string {
    if (this.joins > 0) this.retired.push(this.current);
    this.joins++;
    this.current = `${this.o.base}.${this.nonce}-${this.joins}`;
    return this.current;
  }

  /** After a join fetched: the retired groups are deleted later, once their stale members have expired. */
  joined(): void {
    if (this.retired.length === 0 || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const groups = this.retired;
      this.retired = [];
      void this.remove(groups).catch(() => undefined);
    }, this.o.retireAfterMs);
    this.timer.unref();
  }

  private async remove(groupIds: string[]): Promise<void> {
    const admin = this.o.admin();
    try {
      await admin.connect();
      await admin.deleteGroups(groupIds);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
