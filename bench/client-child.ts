/**
 * A load-side process: opens its share of the authenticated WebSocket clients (light-ws-client.ts), counts
 * the event frames they receive and their produce-to-receive latency, and answers the orchestrator. Each
 * socket gets its own customer token bound to its ticket, so every upgrade pays a real JWT verification.
 */
import { loadConfig } from '../core/config';
import { createJwtAuth } from '../gateway/auth/jwt';
import { nowUs } from './clock';
import { LatencyHistogram, type SparseHistogram } from './histogram';
import { helloParent, serveParent } from './ipc';
import { LightWsClient, type FrameSink } from './light-ws-client';
import { stampFromFrameTail } from './stamp';
import { Timeline } from './timeline';

export interface ConnectRequest {
  port: number;
  tickets: string[];
  perTicket: number;
  /** Upgrades in flight at once from this process. */
  concurrency: number;
  timeoutMs: number;
}
export interface ConnectResult {
  opened: number;
  refused: Record<string, number>;
  ms: number;
}
export interface PhaseReport {
  received: number;
  unstamped: number;
  firstUs: number;
  lastUs: number;
  histogram: SparseHistogram;
  maxUs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  closedDuringPhase: number;
  /** Those closes by the code the server sent (0: the connection ended without a close frame). */
  closeCodes: Record<string, number>;
  unexpected: number;
}

const auth = createJwtAuth(loadConfig(process.env).jwt);
const histogram = new LatencyHistogram();
let clients: LightWsClient[] = [];
let open = 0;
let received = 0;
let unstamped = 0;
let firstUs = 0;
let lastUs = 0;
let closedDuringPhase = 0;
let closeCodes: Record<string, number> = {};
let unexpected = 0;
let phaseCpu = process.cpuUsage();
let onSettled: (() => void) | undefined;
let refused: Record<string, number> = {};
const timeline = new Timeline('client');

const sink: FrameSink = {
  opened() {
    open++;
    onSettled?.();
  },
  frame(buf, start, end, atUs) {
    received++;
    if (firstUs === 0) firstUs = atUs;
    lastUs = atUs;
    const t = stampFromFrameTail(buf, start, end);
    if (t < 0) unstamped++;
    else {
      histogram.record(atUs - t);
      timeline.add(t, atUs);
    }
  },
  refused(_c, status, reason) {
    const key = status ? String(status) : reason;
    refused[key] = (refused[key] ?? 0) + 1;
    onSettled?.();
  },
  closed(_c, code) {
    open--;
    closedDuringPhase++;
    closeCodes[code] = (closeCodes[code] ?? 0) + 1;
    onSettled?.();
  },
  unexpected(_c, what) {
    unexpected++;
    if (unexpected <= 3) process.stderr.write(`bench client ${process.pid}: unexpected ${what}\n`);
  },
};

async function connect(req: ConnectRequest): Promise<ConnectResult> {
  const started = performance.now();
  refused = {};
  const targets: { ticketId: string; sub: string }[] = [];
  for (const ticketId of req.tickets)
    for (let j = 0; j < req.perTicket; j++) targets.push({ ticketId, sub: `bench-${ticketId}-${j}` });
  let next = 0;
  let settled = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`connect: ${settled}/${targets.length} settled after ${req.timeoutMs} ms`)),
      req.timeoutMs,
    );
    const launch = () => {
      while (next < targets.length && next - settled < req.concurrency) {
        const { ticketId, sub } = targets[next++]!;
        const token = auth.signAccessToken({ sub, role: 'customer', incidentId: ticketId }, 3_600_000);
        clients.push(
          new LightWsClient({
            host: '127.0.0.1',
            port: req.port,
            path: `/v1/tickets/${ticketId}/stream`,
            headers: { Authorization: `Bearer ${token}` },
            sink,
            clock: nowUs,
          }),
        );
      }
    };
    onSettled = () => {
      settled++;
      if (settled >= targets.length) {
        clearTimeout(timer);
        onSettled = undefined;
        resolve();
      } else launch();
    };
    launch();
  });
  return { opened: open, refused, ms: performance.now() - started };
}

/** A full collection between phases, so garbage from an earlier run never pauses a measured one. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function disconnect(body: { timeoutMs: number }): Promise<{ stillOpen: number }> {
  const all = clients;
  clients = [];
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, body.timeoutMs);
    onSettled = () => {
      if (open <= 0) {
        clearTimeout(timer);
        resolve();
      }
    };
    for (const c of all) c.close();
    if (open <= 0) resolve();
  });
  onSettled = undefined;
  const stillOpen = open;
  for (const c of all) c.destroy();
  open = 0;
  collectGarbage();
  return { stillOpen };
}

serveParent(
  {
    connect,
    disconnect,
    phaseStart: (body?: { phase?: string }) => {
      collectGarbage();
      timeline.begin(body?.phase, 2);
      histogram.reset();
      received = unstamped = firstUs = lastUs = closedDuringPhase = unexpected = 0;
      closeCodes = {};
      phaseCpu = process.cpuUsage();
      return {};
    },
    progress: () => ({ received, open }),
    phaseEnd: (): PhaseReport => {
      const cpu = process.cpuUsage(phaseCpu);
      timeline.end();
      return {
        received,
        unstamped,
        firstUs,
        lastUs,
        histogram: histogram.toSparse(),
        maxUs: histogram.maxUs,
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        closedDuringPhase,
        closeCodes,
        unexpected,
      };
    },
    stop: () => {
      for (const c of clients) c.destroy();
      setTimeout(() => process.exit(0), 20);
      return {};
    },
  },
  { deadlineMs: Number(process.env.BENCH_CHILD_DEADLINE_MS ?? 600_000) },
);
helloParent({ pid: process.pid });
