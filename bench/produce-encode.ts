/**
 * The bytes of a Kafka Produce request (version 7, the newest without flexible fields, served by Kafka 2.1 to
 * 4.x) carrying one uncompressed record batch (magic 2) per partition, for the bench's lean producer
 * (lean-producer.ts). Written for this one job: the load generator shares the 2 cores with the servers it
 * measures, and kafkajs spent about 11 µs of CPU per record here (an array copied per message while grouping
 * by partition, a Long per varint, a Buffer per field), more than the gateway spent on the same record.
 * Only what the bench sends: string keys and values, no headers, no idempotence, no transactions.
 */

const PRODUCE = 0;
const PRODUCE_VERSION = 7;

export interface PartitionRecords {
  partition: number;
  keys: string[];
  values: string[];
}

/** CRC-32C (Castagnoli, reflected polynomial 0x82f63b78), the checksum of a magic-2 record batch. */
const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c;
  }
  return table;
})();

export function crc32c(buf: Buffer, start: number, end: number): number {
  let crc = -1;
  for (let i = start; i < end; i++) crc = CRC_TABLE[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** A growable write cursor over one Buffer: a request is encoded in place, no Buffer per field. */
class Writer {
  buf: Buffer;
  at = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }

  i8(v: number): void {
    this.room(1);
    this.at = this.buf.writeInt8(v, this.at);
  }

  i16(v: number): void {
    this.room(2);
    this.at = this.buf.writeInt16BE(v, this.at);
  }

  i32(v: number): void {
    this.room(4);
    this.at = this.buf.writeInt32BE(v, this.at);
  }

  i64(v: number): void {
    this.room(8);
    this.at = this.buf.writeBigInt64BE(BigInt(v), this.at);
  }

  /** A signed varint, zigzag-encoded (record fields); values fit 32 bits here. */
  varint(v: number): void {
    let u = ((v << 1) ^ (v >> 31)) >>> 0;
    this.room(5);
    while (u >= 0x80) {
      this.buf[this.at++] = (u & 0x7f) | 0x80;
      u >>>= 7;
    }
    this.buf[this.at++] = u;
  }

  /** A string with an int16 length (request header and topic names). */
  string(s: string): void {
    const n = Buffer.byteLength(s);
    this.i16(n);
    this.room(n);
    this.at += this.buf.write(s, this.at);
  }

  /** A record's key or value: zigzag varint length, then the UTF-8 bytes. */
  bytes(s: string): void {
    const n = Buffer.byteLength(s);
    this.varint(n);
    this.room(n);
    this.at += this.buf.write(s, this.at);
  }
}

function varintSize(v: number): number {
  let u = ((v << 1) ^ (v >> 31)) >>> 0;
  let n = 1;
  while (u >= 0x80) {
    u >>>= 7;
    n++;
  }
  return n;
}

/** One record batch at the writer's position: header, records, then its length and CRC filled in. */
function writeBatch(w: Writer, p: PartitionRecords, nowMs: number): void {
  w.i64(0); // base offset: the broker assigns it
  const lengthAt = w.at;
  w.i32(0); // batch length, filled in below
  w.i32(-1); // partition leader epoch
  w.i8(2); // magic
  const crcAt = w.at;
  w.i32(0); // CRC, filled in below
  w.i16(0); // attributes: no compression, create time, not transactional
  w.i32(p.values.length - 1); // last offset delta
  w.i64(nowMs); // base timestamp
  w.i64(nowMs); // max timestamp
  w.i64(-1); // producer id: none
  w.i16(-1); // producer epoch
  w.i32(-1); // base sequence
  w.i32(p.values.length);
  for (let i = 0; i < p.values.length; i++) {
    const key = p.keys[i]!;
    const value = p.values[i]!;
    const keyLen = Buffer.byteLength(key);
    const valueLen = Buffer.byteLength(value);
    // attributes, timestamp delta 0, offset delta, key, value, no headers
    const body = 1 + 1 + varintSize(i) + varintSize(keyLen) + keyLen + varintSize(valueLen) + valueLen + 1;
    w.varint(body);
    w.i8(0);
    w.varint(0);
    w.varint(i);
    w.bytes(key);
    w.bytes(value);
    w.varint(0);
  }
  w.buf.writeInt32BE(w.at - lengthAt - 4, lengthAt);
  w.buf.writeUInt32BE(crc32c(w.buf, crcAt + 4, w.at), crcAt);
}

/** A whole Produce request, size prefix included, ready for the socket. */
export function encodeProduce(opts: {
  correlationId: number;
  clientId: string;
  topic: string;
  acks: number;
  timeoutMs: number;
  partitions: PartitionRecords[];
  nowMs?: number;
}): Buffer {
  // Sized for the records at hand (a bench record is about 150 bytes): a fixed 64 KiB was a fresh allocation
  // per send, a thousand a second at the fixed rate, where a send carries a record or two.
  let records = 0;
  for (const p of opts.partitions) records += p.values.length;
  const w = new Writer(256 + 192 * records);
  w.i32(0); // size, filled in below
  w.i16(PRODUCE);
  w.i16(PRODUCE_VERSION);
  w.i32(opts.correlationId);
  w.string(opts.clientId);
  w.i16(-1); // transactional id: null
  w.i16(opts.acks);
  w.i32(opts.timeoutMs);
  w.i32(1); // one topic
  w.string(opts.topic);
  w.i32(opts.partitions.length);
  const nowMs = opts.nowMs ?? Date.now();
  for (const p of opts.partitions) {
    w.i32(p.partition);
    const sizeAt = w.at;
    w.i32(0); // the records' size, filled in below
    writeBatch(w, p, nowMs);
    w.buf.writeInt32BE(w.at - sizeAt - 4, sizeAt);
  }
  w.buf.writeInt32BE(w.at - 4, 0);
  return w.buf.subarray(0, w.at);
}

export interface ProduceAnswer {
  correlationId: number;
  /** Partitions the broker refused, with Kafka's error code. */
  errors: { partition: number; code: number }[];
}

/** A Produce v7 response (without its size prefix). */
export function decodeProduceAnswer(buf: Buffer): ProduceAnswer {
  let at = 0;
  const correlationId = buf.readInt32BE(at);
  at += 4;
  const errors: ProduceAnswer['errors'] = [];
  const topics = buf.readInt32BE(at);
  at += 4;
  for (let t = 0; t < topics; t++) {
    at += 2 + buf.readInt16BE(at);
    const parts = buf.readInt32BE(at);
    at += 4;
    for (let p = 0; p < parts; p++) {
      const partition = buf.readInt32BE(at);
      const code = buf.readInt16BE(at + 4);
      at += 4 + 2 + 8 + 8 + 8; // index, error code, base offset, log append time, log start offset
      if (code !== 0) errors.push({ partition, code });
    }
  }
  return { correlationId, errors };
}
