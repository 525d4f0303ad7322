/** What the consumer hands the fan-out for each record (consumer.ts), kept apart so the consumer stays one job. */
import type { IHeaders } from 'kafkajs';

export interface RecordLocation {
  topic: string;
  partition: number;
  offset: string;
}

/** Called for each record, synchronously; it must not throw. `headers` carry the record's trace context. */
export type RecordHandler = (
  key: Buffer | null,
  value: Buffer | null,
  where: RecordLocation,
  headers?: IHeaders,
) => void;
