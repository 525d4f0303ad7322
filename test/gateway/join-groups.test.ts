/**
 * A fresh consumer group per join (join-groups.ts): the rejoin after an outage must not share a group with
 * the member that could not leave; the earlier groups are deleted once that member's session is over.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import type { Admin } from 'kafkajs';
import { JoinGroups } from '../../gateway/kafka/join-groups';

function fakeAdmin(deleted: string[][]): () => Admin {
  return () =>
    ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      deleteGroups: async (ids: string[]) => {
        deleted.push(ids);
        return [];
      },
    }) as unknown as Admin;
}

void test('every join gets its own group; the earlier ones are deleted after the delay, once', async () => {
  const deleted: string[][] = [];
  const groups = new JoinGroups({ base: 'gw-x', retireAfterMs: 30, admin: fakeAdmin(deleted) });
  const first = groups.next();
  groups.joined();
  await sleep(60);
  assert.deepEqual(deleted, [], 'the first join retires nothing');
  const second = groups.next();
  const third = groups.next();
  assert.equal(new Set([first, second, third]).size, 3);
  for (const g of [first, second, third]) assert.match(g, /^gw-x\./);
  groups.joined();
  groups.joined();
  assert.deepEqual(deleted, [], 'not before the stale members have expired');
  await sleep(80);
  assert.deepEqual(deleted, [[first, second]]);
  assert.equal(groups.current, third);
});

void test('a restarted process with the same base never reuses a group', () => {
  const a = new JoinGroups({ base: 'gw-y', retireAfterMs: 1, admin: fakeAdmin([]) });
  const b = new JoinGroups({ base: 'gw-y', retireAfterMs: 1, admin: fakeAdmin([]) });
  assert.notEqual(a.next(), b.next());
});
