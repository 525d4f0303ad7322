/**
 * The open queues over time, for the analytics page: every gateway counts the queues each interval and writes
 * the counts under the interval's bucket (its start, epoch ms). The first sample of a bucket stands, so any
 * number of gateways, or a retried write, give one row per bucket and queue without one chosen writer.
 * Beside the outcomes in the memory database (activities/memory/outcomes.ts opens it).
 */
import type Database from 'better-sqlite3';
import type { PgStore } from '../../core/pg-store';

export const QUEUE_SAMPLES_SCHEMA = `
CREATE TABLE IF NOT EXISTS queue_samples (
  bucket BIGINT NOT NULL, queue TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (bucket, queue));
`;

/** $1..$3 for PostgreSQL; `?` for SQLite. */
const INSERT = (p: [string, string, string]) =>
  `INSERT INTO queue_samples (bucket, queue, count) VALUES (${p.join(', ')}) ON CONFLICT (bucket, queue) DO NOTHING`;
const SELECT = (p: [string, string]) =>
  `SELECT bucket, queue, count FROM queue_samples WHERE bucket >= ${p[0]} AND bucket < ${p[1]} ORDER BY bucket, queue`;

/** One sample: when its bucket starts (ISO) and each queue's open tickets then. */
export interface QueueSample {
  at: string;
  queues: Record<string, number>;
}

export interface QueueSamples {
  /** Writes the counts under the bucket unless that bucket has them already. */
  recordQueues(bucket: number, counts: Record<string, number>): Promise<void>;
  /** The samples whose bucket falls in [from, to), oldest first. */
  queueSizes(from: number, to: number): Promise<QueueSample[]>;
}

interface Row {
  bucket: number | string;
  queue: string;
  count: number;
}

function bySample(rows: Row[]): QueueSample[] {
  const samples = new Map<number, Record<string, number>>();
  for (const r of rows) {
    const bucket = Number(r.bucket);
    const queues = samples.get(bucket) ?? {};
    queues[r.queue] = Number(r.count);
    samples.set(bucket, queues);
  }
  return [...samples].map(([bucket, queues]) => ({ at: new Date(bucket).toISOString(), queues }));
}

export function sqliteQueueSamples(db: Database.Database): QueueSamples {
  db.exec(QUEUE_SAMPLES_SCHEMA);
  const insert = db.prepare(INSERT(['?', '?', '?']));
  const select = db.prepare(SELECT(['?', '?']));
  const recordAll = db.transaction((bucket: number, counts: Record<string, number>) => {
    for (const [queue, n] of Object.entries(counts)) insert.run(bucket, queue, n);
  });
  return {
    recordQueues: async (bucket, counts) => {
      recordAll(bucket, counts);
      return Promise.resolve();
    },
    queueSizes: async (from, to) => Promise.resolve(bySample(select.all(from, to) as Row[])),
  };
}

/** On PostgreSQL: `store` was opened with QUEUE_SAMPLES_SCHEMA in its schema. */
export function pgQueueSamples(store: PgStore): QueueSamples {
  return {
    async recordQueues(bucket, counts) {
      await store.transaction(async (client) => {
        for (const [queue, n] of Object.entries(counts))
          await client.query(INSERT(['$1', '$2', '$3']), [bucket, queue, n]);
      });
    },
    async queueSizes(from, to) {
      return bySample((await store.query<Row>(SELECT(['$1', '$2']), [from, to])).rows);
    },
  };
}
