/**
 * A deliberately small WebSocket client for the load side: the RFC 6455 handshake over `net`, then a frame
 * reader over the raw bytes. At 10,000 sockets on a 2-core machine the clients share the CPU with the server
 * under test, so every microsecond a client spends per frame is taken from the server; this reader does no
 * UTF-8 decoding, no JSON.parse and no per-frame allocation (the `ws` package does all three per message).
 *
 * What it handles: unmasked server frames of any length, frames split across TCP chunks, ping (answered with
 * a pong), close (answered, then the socket ends). Fragmented messages are not expected from either gateway
 * and are counted as unexpected. Client frames are masked with a zero key, which RFC 6455 allows.
 */
import crypto from 'node:crypto';
import net from 'node:net';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const HEADER_END = Buffer.from('\r\n\r\n');
const SNAPSHOT_PREFIX = Buffer.from('{"kind":"snapshot"');

export interface FrameSink {
  /** The first frame (the snapshot) arrived: the socket is subscribed. */
  opened(client: LightWsClient): void;
  /** One text frame after the snapshot, as bytes [start, end) of `buf`; `atUs` is the chunk's receive time. */
  frame(buf: Buffer, start: number, end: number, atUs: number): void;
  /** The upgrade was answered with something other than 101 (or the connection failed before it). */
  refused(client: LightWsClient, status: number, reason: string): void;
  closed(client: LightWsClient, code: number): void;
  unexpected(client: LightWsClient, what: string): void;
}

export interface LightWsOptions {
  host: string;
  port: number;
  path: string;
  headers: Record<string, string>;
  sink: FrameSink;
  clock: () => number;
}

type State = 'handshake' | 'snapshot' | 'open' | 'closed';

export class LightWsClient {
  private readonly socket: net.Socket;
  private state: State = 'handshake';
  private pending: Buffer | undefined;
  private readonly key = crypto.randomBytes(16).toString('base64');
  closeCode = 0;

  constructor(private readonly o: LightWsOptions) {
    this.socket = net.connect({ host: o.host, port: o.port, noDelay: true });
    const head: string[] = [
      `GET ${o.path} HTTP/1.1`,
      `Host: ${o.host}:${o.port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${this.key}`,
      'Sec-WebSocket-Version: 13',
    ];
    for (const [k, v] of Object.entries(o.headers)) head.push(`${k}: ${v}`);
    this.socket.write(`${head.join('\r\n')}\r\n\r\n`);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err) => this.fail(0, err.message));
    this.socket.on('close', () => this.fail(0, 'connection closed'));
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Sends a close frame (1000) and ends the connection. */
  close(): void {
    if (this.state === 'closed') return;
    this.socket.end(Buffer.from([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8]));
  }

  destroy(): void {
    this.socket.destroy();
  }

  private fail(status: number, reason: string): void {
    const was = this.state;
    if (was === 'closed') return;
    this.state = 'closed';
    if (was === 'handshake' || was === 'snapshot') this.o.sink.refused(this, status, reason);
    else this.o.sink.closed(this, this.closeCode);
  }

  private onData(chunk: Buffer): void {
    let buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    if (this.state === 'handshake') {
      const end = buf.indexOf(HEADER_END);
      if (end < 0) {
        this.pending = buf;
        return;
      }
      const head = buf.toString('latin1', 0, end);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const accept = /\r\nsec-websocket-accept:\s*(\S+)/i.exec(head)?.[1];
      const expected = crypto
        .createHash('sha1')
        .update(this.key + WS_GUID)
        .digest('base64');
      if (status !== 101 || accept !== expected) {
        this.fail(status, status === 101 ? 'bad Sec-WebSocket-Accept' : (head.split('\r\n')[0] ?? ''));
        this.socket.destroy();
        return;
      }
      this.state = 'snapshot';
      buf = buf.subarray(end + HEADER_END.length);
      if (buf.length === 0) return;
    }
    this.readFrames(buf, this.o.clock());
  }

  private readFrames(buf: Buffer, atUs: number): void {
    let o = 0;
    const n = buf.length;
    while (o + 2 <= n) {
      const b0 = buf[o]!;
      const b1 = buf[o + 1]!;
      let len = b1 & 0x7f;
      let hdr = 2;
      if (len === 126) {
        if (o + 4 > n) break;
        len = buf.readUInt16BE(o + 2);
        hdr = 4;
      } else if (len === 127) {
        if (o + 10 > n) break;
        len = buf.readUInt32BE(o + 2) * 2 ** 32 + buf.readUInt32BE(o + 6);
        hdr = 10;
      }
      if (b1 & 0x80) return this.protocolError('masked server frame');
      const start = o + hdr;
      const end = start + len;
      if (end > n) break;
      const opcode = b0 & 0x0f;
      if ((b0 & 0x80) === 0 || opcode === 0) {
        this.o.sink.unexpected(this, 'fragmented frame');
      } else if (opcode === 1 || opcode === 2) {
        if (this.state === 'snapshot') {
          if (
            len < SNAPSHOT_PREFIX.length ||
            buf.compare(SNAPSHOT_PREFIX, 0, SNAPSHOT_PREFIX.length, start, start + SNAPSHOT_PREFIX.length) !== 0
          ) {
            this.o.sink.unexpected(this, 'first frame is not a snapshot');
          }
          this.state = 'open';
          this.o.sink.opened(this);
        } else {
          this.o.sink.frame(buf, start, end, atUs);
        }
      } else if (opcode === 9) {
        this.pong(buf.subarray(start, end));
      } else if (opcode === 8) {
        this.closeCode = len >= 2 ? buf.readUInt16BE(start) : 1005;
        this.close();
      }
      o = end;
    }
    if (o < n) this.pending = buf.subarray(o);
  }

  private pong(payload: Buffer): void {
    const header = Buffer.from([0x8a, 0x80 | payload.length, 0, 0, 0, 0]);
    this.socket.write(Buffer.concat([header, payload]));
  }

  private protocolError(what: string): void {
    this.o.sink.unexpected(this, what);
    this.socket.destroy();
  }
}
