/**
 * Hands one partition's fetched record batches to the fan-out, from the consumer's position on: the broker
 * answers whole batches, so the first may begin before the position, and a batch of transaction markers
 * holds no records. No BigInt per record: a record's offset is its batch's base plus a small delta, written
 * out only when the handler reads `where.offset` (a log line about a refused record, a span).
 */
import type { RecordHandler, RecordHeaders, RecordLocation } from './record';

/** A record batch of transaction markers, not records (Kafka's batch attribute bit 5). */
const CONTROL_BATCH = 0x20;

type HeaderPairs = [Buffer | null, Buffer | null][];

/** What the client's fetch answers per batch (the fields read here). */
export interface FetchedBatch {
  firstOffset: bigint;
  lastOffsetDelta: number;
  attributes: number;
  records: { key: Buffer | null; value: Buffer | null; offsetDelta: number; headers: HeaderPairs }[];
}

export interface HandedOver {
  /** The last offset the batches cover: the position moves past it. */
  last: bigint;
  /** Records handed over. */
  count: number;
}

function headersOf(pairs: HeaderPairs): RecordHeaders | undefined {
  if (pairs.length === 0) return undefined;
  const out: RecordHeaders = {};
  for (const [k, v] of pairs) if (k) out[k.toString()] = v ?? undefined;
  return out;
}

export type HandOver = (partition: number, batches: FetchedBatch[], from: bigint) => HandedOver | undefined;

export function createHandOver(topic: string, handle: RecordHandler): HandOver {
  let base = 0n;
  let delta = 0;
  // One location for every record, as the handler reads it synchronously; a getter spreads like a field.
  const where: RecordLocation = {
    topic,
    partition: 0,
    get offset() {
      return String(base + BigInt(delta));
    },
  };
  return (partition, batches, from) => {
    where.partition = partition;
    let last: bigint | undefined;
    let count = 0;
    for (const batch of batches) {
      const batchLast = batch.firstOffset + BigInt(batch.lastOffsetDelta);
      if (batchLast < from) continue;
      last = batchLast;
      if (batch.attributes & CONTROL_BATCH) continue;
      base = batch.firstOffset;
      const skipBelow = batch.firstOffset >= from ? 0 : Number(from - batch.firstOffset);
      for (const r of batch.records) {
        if (r.offsetDelta < skipBelow) continue;
        delta = r.offsetDelta;
        handle(r.key, r.value, where, headersOf(r.headers));
        count++;
      }
    }
    return last === undefined ? undefined : { last, count };
  };
}
