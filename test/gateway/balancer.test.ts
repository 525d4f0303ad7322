/**
 * The compose file's load balancer (deploy/nginx-gateways.conf), really run in nginx in front of two real
 * gateways on the real broker: requests reach both, /metrics does not; a WebSocket stream passes through it
 * and stays open while idle (the gateway's pings and the client's pongs cross it); 300 streams at once; a
 * ticket's streams spread over both gateways get every event once; and a gateway stopped mid-way is routed
 * around, its streams resuming at the other.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, describe, test } from 'node:test';
import type { TicketEvent } from '../../core/events';
import {
  agentToken,
  cleanupsAfterAll,
  ev,
  gatewayTestConfig,
  MemorySnapshots,
  produce,
  startGateway,
  StreamClient,
  uniqueName,
  waitFor,
  type RunningGateway,
} from './harness';
import { BALANCER_CONFIG, startBalancer, type Balancer } from './nginx-balancer';

const cleanup = cleanupsAfterAll();
const snapshots = new MemorySnapshots();
let a: RunningGateway;
let b: RunningGateway;
let lb: Balancer;
/** Short pings, so an idle socket meets the gateway's idle timeout (8 s at least) within the test. */
const PING_INTERVAL = '1s';

before(async () => {
  a = await startGateway({ partitions: 3, snapshots, env: { WS_PING_INTERVAL: PING_INTERVAL } });
  cleanup(() => a.stop());
  b = await startGateway({ topic: a.topic, snapshots, env: { WS_PING_INTERVAL: PING_INTERVAL } });
  cleanup(() => b.stop());
  lb = await startBalancer([a.port, b.port]);
  cleanup(() => lb.stop());
});

const instanceOf = async (url: string) =>
  ((await (await fetch(`${url}/healthz`)).json()) as { instanceId: string }).instanceId;
const streamPath = (ticketId: string, since?: number) =>
  `${lb.wsUrl}/v1/tickets/${encodeURIComponent(ticketId)}/stream${since === undefined ? '' : `?since=${since}`}`;
const streamThrough = (ticketId: string, since?: number, sub?: string) =>
  new StreamClient(streamPath(ticketId, since), { token: agentToken(a, sub) });
const events = (ticketId: string, from: number, to: number): TicketEvent[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ev(ticketId, from + i));
const seconds = (value: string) => Number(value.slice(0, -1)) * { s: 1, m: 60, h: 3600 }[value.at(-1)!]!;

void describe('the compose load balancer, run in nginx', () => {
  test('HTTP requests reach both gateways; /metrics is not public', async () => {
    const ids = [await instanceOf(a.url), await instanceOf(b.url)];
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) seen.add(await instanceOf(lb.url));
    assert.deepEqual([...seen].sort(), [...ids].sort());
    // Metrics are read at each gateway inside the network, not through the public port.
    assert.equal((await fetch(`${a.url}/metrics`)).status, 200);
    assert.equal((await fetch(`${lb.url}/metrics`)).status, 404, 'the balancer serves no /metrics');
  });

  test('a WebSocket stream passes through and stays open while idle; the timeouts outlast the pings', async () => {
    const conf = fs.readFileSync(BALANCER_CONFIG, 'utf8');
    const defaultPingS = gatewayTestConfig().gateway.pingIntervalMs / 1000;
    for (const name of ['proxy_read_timeout', 'proxy_send_timeout']) {
      const value = new RegExp(`^\\s*${name} (\\d+[smh]);$`, 'm').exec(conf)?.[1];
      assert.ok(value, `${name} is set (nginx's 60 s default would cut idle streams)`);
      assert.ok(seconds(value) >= 4 * defaultPingS, `${name} ${value} outlasts several ${defaultPingS} s pings`);
    }

    const t = uniqueName('T');
    snapshots.set(t, []);
    // As a browser opens it: the token offered as a subprotocol, the gateway's answer passed back.
    const c = new StreamClient(streamPath(t), { protocols: ['ticketflow.v1', `bearer.${agentToken(a)}`] });
    let pings = 0;
    c.ws.on('ping', () => pings++);
    await c.opened;
    assert.deepEqual([c.status, c.ws.protocol], [101, 'ticketflow.v1']);
    // Ten pings at 1 s: past the gateway's idle timeout, which only the client's pongs (through nginx) reset.
    await waitFor(() => pings >= 10, { timeoutMs: 40_000, message: `10 pings (have ${pings})` });
    assert.equal(c.closed, undefined, 'the idle socket is still open');
    await produce(a.topic, events(t, 1, 2));
    await c.waitForSeqCount(2);
    assert.deepEqual(c.seqs(), [1, 2]);
    c.close();
    await c.waitClosed();
  });

  test("more streams at once than nginx's defaults allow (512 connections, two per stream), each fed", async () => {
    const t = uniqueName('T');
    snapshots.set(t, []);
    // Spread over principals: each gateway caps one principal's concurrent streams.
    const clients = Array.from({ length: 300 }, (_, i) => streamThrough(t, undefined, `agent-${i % 10}`));
    const opened = await Promise.allSettled(clients.map((c) => c.opened));
    const refused = clients.filter((_, i) => opened[i]!.status === 'rejected');
    assert.equal(
      refused.length,
      0,
      `refused: ${JSON.stringify(refused.slice(0, 3).map((c) => c.status ?? c.error?.message))}`,
    );
    await produce(a.topic, events(t, 1, 1));
    for (const c of clients) await c.waitForSeqCount(1);
    assert.ok(
      clients.every((c) => c.seqs().join() === '1'),
      'each stream got the event once',
    );
    clients.forEach((c) => c.close());
    await Promise.all(clients.map((c) => c.waitClosed()));
  });

  test("a ticket's streams over both gateways get every event once; a gateway stopped mid-way is routed around", async () => {
    const t = uniqueName('T');
    snapshots.set(t, []);
    const before = [a.gw.hub.sockets, b.gw.hub.sockets];
    const clients = Array.from({ length: 4 }, () => streamThrough(t));
    await Promise.all(clients.map((c) => c.opened));
    const onA = a.gw.hub.sockets - before[0]!;
    assert.ok(onA > 0 && onA < 4, `round robin puts streams on both gateways (${onA} of 4 on A)`);

    await produce(a.topic, events(t, 1, 3));
    snapshots.set(t, events(t, 1, 3));
    for (const c of clients) await c.waitForSeqCount(3);

    await a.stop();
    const cut = await waitFor(() => {
      const closed = clients.filter((c) => c.closed);
      return closed.length === onA ? closed : undefined;
    });
    for (const c of cut) assert.equal(c.closed!.code, 1001, 'the stopped gateway closes its streams as going away');
    // Events the workflow emits while those streams are away; each resumes through the balancer from its last seq.
    await produce(a.topic, events(t, 4, 5));
    snapshots.set(t, events(t, 1, 5));
    const resumed = cut.map((c) => streamThrough(t, c.seqs().at(-1)));
    await Promise.all(resumed.map((c) => c.opened));
    await produce(a.topic, events(t, 6, 6));
    snapshots.set(t, events(t, 1, 6));

    const everyEvent = [1, 2, 3, 4, 5, 6];
    for (const c of clients.filter((x) => !x.closed)) {
      await c.waitForSeqCount(6);
      assert.deepEqual(c.seqs(), everyEvent, 'a stream at the other gateway');
    }
    for (const [i, c] of resumed.entries()) {
      await waitFor(() => cut[i]!.seqs().length + c.seqs().length >= 6, { message: 'the resumed stream caught up' });
      assert.deepEqual([...cut[i]!.seqs(), ...c.seqs()], everyEvent, 'a stream cut and resumed');
    }
    assert.equal(b.gw.hub.sockets - before[1]!, 4, 'every stream is at the gateway still running');

    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await instanceOf(lb.url));
    assert.deepEqual(new Set(answers), new Set([await instanceOf(b.url)]), 'every request answered, by the other');
    assert.match(lb.errorLog(), /connect\(\) failed .*111/, 'nginx tried the stopped gateway and moved on');
    [...clients, ...resumed].forEach((c) => c.close());
  });
});
