/**
 * The comparison gateway: the same job as gateway/ done the common way with the `ws` package, so the
 * benchmark shows what uWebSockets.js buys. Same Kafka consumer module (gateway/kafka/consumer.ts, own group,
 * latest offsets), same decode and frames (decodeRecord, whose record text becomes the frame), same JWT check on the upgrade (authenticateStream +
 * authorizeTicket), same snapshot-then-live frames (gateway/stream/frames.ts), the same duplicate rule (a
 * per-ticket seq frontier) and the same backpressure rule (close a socket whose buffer passes the limit).
 * Routing is a Map ticketId -> Set<WebSocket>; each record is serialised once into a Buffer and written to
 * every subscriber of its ticket. Sockets are kept alive as the uWS gateway keeps its own (ws-keepalive.ts:
 * the same spread pings and idle drop). Not production code: no metrics, sessions, TTL or ws-tickets.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config } from '../core/config';
import { ticketIdSchema, type TicketEvent } from '../core/events';
import type { Logger } from '../core/logger';
import { authorizeTicket } from '../gateway/auth/authorize';
import { AuthError } from '../gateway/auth/errors';
import { createMemoryJtiStore } from '../gateway/auth/jti-store';
import { createJwtAuth } from '../gateway/auth/jwt';
import { authenticateStream } from '../gateway/auth/stream-credentials';
import { CloseCode, CloseReason } from '../gateway/close-codes';
import {
  createRecordConsumer,
  gatewayGroupId,
  type ConsumerStats,
  type RecordConsumer,
} from '../gateway/kafka/consumer';
import type { SnapshotSource } from '../gateway/snapshot-source';
import { RecordFrames, snapshotFrame } from '../gateway/stream/frames';
import { decodeRecord } from '../gateway/stream/record-decode';
import { WsKeepAlive } from './ws-keepalive';

const STREAM_PATH = /^\/v1\/tickets\/([^/?]+)\/stream(?:\?|$)/;

export interface WsGatewayDeps {
  config: Config;
  snapshots: SnapshotSource;
  topic: string;
  instanceId: string;
  logger: Logger;
}

export interface WsGateway {
  listen(port: number, host: string): Promise<number>;
  waitReady(timeoutMs: number): Promise<void>;
  readonly sockets: number;
  readonly recordsIn: number;
  consumerStats(): ConsumerStats;
  /** Hands one event to the fan-out as if it came from Kafka. */
  deliver(event: TicketEvent): void;
  stop(): Promise<void>;
}

export function createWsGateway(deps: WsGatewayDeps): WsGateway {
  const { config: cfg, logger } = deps;
  const auth = createJwtAuth(cfg.jwt);
  const jtis = createMemoryJtiStore();
  const maxBuffered = cfg.gateway.maxBackpressureBytes;
  const tickets = new Map<string, Set<WebSocket>>();
  const frontier = new Map<string, number>();
  let sockets = 0;
  let recordsIn = 0;

  const server = http.createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: cfg.gateway.maxPayloadBytes,
  });
  const keepAlive = new WsKeepAlive(cfg.gateway.pingIntervalMs);

  function refuse(socket: Duplex, status: number, message: string): void {
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
    );
  }

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const m = STREAM_PATH.exec(req.url ?? '');
    const id = ticketIdSchema.safeParse(m ? decodeURIComponent(m[1] ?? '') : '');
    if (!id.success) return refuse(socket, 404, 'no such route');
    const ticketId = id.data;
    const url = new URL(req.url ?? '/', 'http://x');
    void authenticateStream(auth, jtis, {
      authorization: req.headers.authorization ?? '',
      protocols: String(req.headers['sec-websocket-protocol'] ?? ''),
      queryToken: url.searchParams.get('token') ?? '',
    })
      .then(({ principal }) => {
        authorizeTicket(principal, ticketId);
        open(req, socket, head, ticketId);
      })
      .catch((err: unknown) =>
        refuse(
          socket,
          err instanceof AuthError ? err.status : 500,
          err instanceof AuthError ? err.publicMessage : 'internal error',
        ),
      );
  });

  function open(req: http.IncomingMessage, socket: Duplex, head: Buffer, ticketId: string): void {
    void deps.snapshots.getSnapshot(ticketId).then(
      (snapshot) => {
        if (!snapshot) return refuse(socket, 404, 'no such ticket');
        if (socket.destroyed) return;
        wss.handleUpgrade(req, socket, head, (ws) => {
          ws.send(snapshotFrame(ticketId, snapshot, 0));
          let set = tickets.get(ticketId);
          if (!set) tickets.set(ticketId, (set = new Set()));
          if (!frontier.has(ticketId)) frontier.set(ticketId, snapshot.lastSeq);
          set.add(ws);
          sockets++;
          ws.on('close', () => {
            sockets--;
            set.delete(ws);
            if (set.size === 0) {
              tickets.delete(ticketId);
              frontier.delete(ticketId);
            }
          });
          ws.on('error', () => ws.terminate());
          keepAlive.add(ws);
        });
      },
      () => refuse(socket, 503, 'snapshot unavailable'),
    );
  }

  function deliver(event: TicketEvent, json?: string): void {
    const set = tickets.get(event.ticketId);
    if (!set) return;
    if (event.type !== 'token' && event.seq <= (frontier.get(event.ticketId) ?? 0)) return;
    if (event.type !== 'token') frontier.set(event.ticketId, event.seq);
    // Serialised once per record; ws would otherwise copy the string into a new Buffer per socket.
    const frame = Buffer.from(new RecordFrames(event, json, (e) => e).for('agent')!);
    for (const ws of set) {
      if (ws.bufferedAmount > maxBuffered) {
        ws.close(CloseCode.SLOW_CONSUMER, CloseReason.SLOW_CONSUMER);
        continue;
      }
      ws.send(frame, { binary: false });
    }
  }

  const consumer: RecordConsumer = createRecordConsumer({
    kafka: cfg.kafka,
    topic: deps.topic,
    groupId: gatewayGroupId(deps.instanceId),
    logger: logger.child({ component: 'ws-gateway-kafka' }),
    handle: (key, value, where) => {
      recordsIn++;
      const decoded = decodeRecord(key, value);
      if (!decoded.ok) {
        logger.warn('malformed record skipped', { ...where, reason: decoded.reason });
        return;
      }
      deliver(decoded.event, decoded.json);
    },
  });

  return {
    listen(port, host) {
      return new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, 1024, () => {
          consumer.start();
          keepAlive.start();
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    waitReady: (timeoutMs) => consumer.waitReady(timeoutMs),
    get sockets() {
      return sockets;
    },
    get recordsIn() {
      return recordsIn;
    },
    consumerStats: () => consumer.stats(),
    deliver,
    async stop() {
      keepAlive.stop();
      for (const set of tickets.values()) for (const ws of set) ws.terminate();
      server.close();
      await consumer.stop();
    },
  };
}
