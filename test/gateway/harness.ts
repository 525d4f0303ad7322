/**
 * Shared parts of the gateway tests: a real gateway on port 0 against the shared Kafka broker (a unique
 * topic per test), a snapshot source the test controls (the workflow side is not under test here; the Kafka
 * path is), a producer, and WebSocket clients that record every frame and their close.
 */
import { after, before } from 'node:test';
import type { Producer } from 'kafkajs';
import WebSocket from 'ws';
import type { Config } from '../../core/config';
import { TicketflowError } from '../../core/errors';
import { EVENT_SCHEMA_VERSION, type TicketEvent, type TicketEventType } from '../../core/events';
import type { TicketApiPort } from '../../gateway/api/context';
import { forCustomer } from '../../gateway/api/views';
import { createGateway, type Gateway, type GatewayDeps } from '../../gateway/server';
import type { SnapshotSource, TicketSnapshot } from '../../gateway/snapshot-source';
import { rootLogger } from '../../core/logger';
import { createTopic, testConfig, testKafka, testKafkaBrokers, uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';

// Quiet by default; GATEWAY_TEST_LOG_LEVEL=info shows the gateway's lines.
rootLogger().level = process.env.GATEWAY_TEST_LOG_LEVEL ?? 'error';

export const TEST_SECRET = 'gateway-test-secret-0123456789abcdef-0123456789';

export function gatewayTestConfig(overrides: NodeJS.ProcessEnv = {}): Config {
  return testConfig({
    JWT_SECRET: TEST_SECRET,
    KAFKA_BROKERS: testKafkaBrokers().join(','),
    KAFKA_BACKOFF_INITIAL: '200ms',
    KAFKA_BACKOFF_MAX: '1s',
    ...overrides,
  });
}

/** A snapshot source backed by a map the test writes; `delayMs` holds answers back (async-upgrade tests). */
export class MemorySnapshots implements SnapshotSource {
  readonly tickets = new Map<string, TicketSnapshot>();
  delayMs = 0;
  calls = 0;
  /** Answer the state as it was when asked, not after the delay (a workflow answers what it had then). */
  readAtCall = false;

  set(ticketId: string, events: TicketEvent[], status = 'triaging'): void {
    this.tickets.set(ticketId, { status, events, lastSeq: events.reduce((m, e) => Math.max(m, e.seq), 0) });
  }

  /** The workflow closed the ticket at `lastSeq`: a record ending its streams is checked against this (record-bounds). */
  close(ticketId: string, lastSeq: number): void {
    const events = Array.from({ length: lastSeq }, (_, i) =>
      i + 1 === lastSeq ? closedStatus(ticketId, lastSeq) : ev(ticketId, i + 1),
    );
    this.set(ticketId, events, 'closed');
  }

  async getSnapshot(ticketId: string): Promise<TicketSnapshot | null> {
    this.calls++;
    const asked = this.readAtCall ? this.tickets.get(ticketId) : undefined;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const s = asked ?? this.tickets.get(ticketId);
    return s ? { ...s, events: [...s.events] } : null;
  }
}

/** A ticket port for files whose subject is not the workflow side: every call answers "no such ticket". */
export const noTickets = new Proxy(
  {},
  { get: () => async () => Promise.reject(new TicketflowError('not_found', 'no such ticket')) },
) as TicketApiPort;

/** An event; its default data makes a `message` one customers may see (an agent's, see forCustomer). */
export function ev(
  ticketId: string,
  seq: number,
  type: TicketEventType = 'message',
  data: Record<string, unknown> = {},
  part?: number,
): TicketEvent {
  return {
    v: EVENT_SCHEMA_VERSION,
    ticketId,
    seq,
    type,
    at: new Date().toISOString(),
    data: { n: seq, from: 'agent', ...data },
    ...(part === undefined ? {} : { part }),
  };
}

/** The last event of every ticket: its `closed` status, where its streams end. */
export function closedStatus(ticketId: string, seq: number): TicketEvent {
  return ev(ticketId, seq, 'status', { status: 'closed' });
}

export interface RunningGateway {
  gw: Gateway;
  port: number;
  url: string;
  wsUrl: string;
  topic: string;
  snapshots: MemorySnapshots;
  config: Config;
  stop(): Promise<void>;
}

export async function startGateway(
  opts: {
    topic?: string;
    env?: NodeJS.ProcessEnv;
    snapshots?: MemorySnapshots;
    partitions?: number;
    deps?: Partial<GatewayDeps>;
    waitReady?: boolean;
  } = {},
): Promise<RunningGateway> {
  const topic = opts.topic ?? uniqueName('gw-events');
  if (!opts.topic) await createTopic(topic, opts.partitions ?? 3);
  const config = gatewayTestConfig(opts.env);
  const snapshots = opts.snapshots ?? new MemorySnapshots();
  const gw = createGateway({
    config,
    snapshots,
    topic,
    instanceId: uniqueName('gw'),
    customerView: forCustomer,
    ...opts.deps,
  });
  const port = await gw.listen(0, '127.0.0.1');
  if (opts.waitReady !== false) await gw.waitReady(30_000);
  return {
    gw,
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    topic,
    snapshots,
    config,
    stop: () => gw.stop(),
  };
}

let producerPromise: Promise<Producer> | undefined;
/**
 * One gateway for a whole test file (call at its top level): started before its tests, handed to `started`,
 * stopped with the shared producer after them.
 */
export function gatewayPerFile(opts: Parameters<typeof startGateway>[0], started: (g: RunningGateway) => void): void {
  let g: RunningGateway | undefined;
  before(async () => {
    g = await startGateway(opts);
    started(g);
  });
  after(async () => {
    await g?.stop();
    await closeProducer();
  });
}

export function sharedProducer(): Promise<Producer> {
  producerPromise ??= (async () => {
    const p = testKafka('gateway-test-producer').producer({ allowAutoTopicCreation: false });
    await p.connect();
    return p;
  })();
  return producerPromise;
}

export async function closeProducer(): Promise<void> {
  if (producerPromise) await (await producerPromise).disconnect();
  producerPromise = undefined;
}

/**
 * Call at a test file's top level: answers `cleanup(fn)`, whose fns run after all the file's tests, the last
 * registered first (a gateway stops before the broker it used); a failing one does not stop the others. The
 * shared producer is closed after them.
 */
export function cleanupsAfterAll(): (fn: () => Promise<unknown>) => void {
  const fns: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const fn of fns.reverse()) await fn().catch(() => undefined);
    await closeProducer();
  });
  return (fn) => void fns.push(fn);
}

export async function produce(topic: string, events: TicketEvent[]): Promise<void> {
  const p = await sharedProducer();
  await p.send({ topic, messages: events.map((e) => ({ key: e.ticketId, value: JSON.stringify(e) })) });
}

export async function produceRaw(
  topic: string,
  messages: { key: string | Buffer | null; value: string | Buffer | null }[],
): Promise<void> {
  const p = await sharedProducer();
  await p.send({ topic, messages });
}

export interface Frame {
  kind: string;
  event?: TicketEvent;
  events?: TicketEvent[];
  lastSeq?: number;
  status?: string;
}

/** A WebSocket client that records frames, the upgrade answer and the close. */
export class StreamClient {
  readonly frames: Frame[] = [];
  closed?: { code: number; reason: string };
  status?: number;
  error?: Error;
  readonly ws: WebSocket;
  readonly opened: Promise<void>;

  constructor(url: string, opts: { token?: string; protocols?: string[]; headers?: Record<string, string> } = {}) {
    const headers = { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers };
    this.ws = new WebSocket(url, opts.protocols ?? [], { headers });
    this.ws.on('message', (data: Buffer) => this.frames.push(JSON.parse(data.toString()) as Frame));
    this.ws.on('unexpected-response', (_req, res) => {
      this.status = res.statusCode;
      res.resume();
      this.ws.terminate();
    });
    this.ws.on('upgrade', (res) => (this.status = res.statusCode));
    this.ws.on('close', (code, reason) => (this.closed = { code, reason: String(reason) }));
    this.ws.on('error', (err) => (this.error = err));
    this.opened = new Promise<void>((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('close', () => reject(new Error(`closed before open (status ${this.status ?? '?'})`)));
    });
    this.opened.catch(() => undefined);
  }

  /** Durable and token events received, snapshot events included, in order. */
  events(): TicketEvent[] {
    const out: TicketEvent[] = [];
    for (const f of this.frames) {
      if (f.kind === 'snapshot') out.push(...(f.events ?? []));
      else if (f.kind === 'event' && f.event) out.push(f.event);
    }
    return out;
  }

  seqs(): number[] {
    return this.events().map((e) => e.seq);
  }

  async waitForSeqCount(n: number, timeoutMs = 15_000): Promise<void> {
    await waitFor(() => this.events().length >= n, {
      timeoutMs,
      message: `${n} events (have ${this.events().length})`,
    });
  }

  async waitClosed(timeoutMs = 15_000): Promise<{ code: number; reason: string }> {
    return waitFor(() => this.closed, { timeoutMs, message: 'socket close' });
  }

  async waitAnswered(timeoutMs = 10_000): Promise<number> {
    return waitFor(() => this.status ?? (this.closed ? -1 : undefined), { timeoutMs, message: 'upgrade answer' });
  }

  close(): void {
    this.ws.close();
  }
}

export function streamUrl(g: RunningGateway, ticketId: string, query = ''): string {
  return `${g.wsUrl}/v1/tickets/${encodeURIComponent(ticketId)}/stream${query}`;
}

export function agentToken(g: RunningGateway, sub = 'agent-1'): string {
  return g.gw.auth.signAccessToken({ sub, role: 'agent' }, 300_000);
}

export function customerToken(g: RunningGateway, ticketId: string, sub = 'cust-1'): string {
  return g.gw.auth.signAccessToken({ sub, role: 'customer', incidentId: ticketId }, 300_000);
}

/** Reads one metric's value (sum over label sets matching `labels`) from the gateway's registry. */
export async function metricValue(
  g: RunningGateway,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = await g.gw.metrics.registry.getSingleMetric(name)?.get();
  if (!metric) return 0;
  return metric.values
    .filter((v) => Object.entries(labels).every(([k, val]) => (v.labels as Record<string, unknown>)[k] === val))
    .reduce((sum, v) => sum + v.value, 0);
}

export { uniqueName, waitFor };
