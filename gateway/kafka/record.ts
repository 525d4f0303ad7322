/** What the consumer hands the fan-out for each record (consumer.ts), kept apart so the consumer stays one job. */

export interface RecordLocation {
  topic: string;
  partition: number;
  offset: string;
}

/** A record's headers by name (the trace context the worker's publish put there). */
export type RecordHeaders = Record<string, Buffer | undefined>;

/** Called for each record, synchronously; it must not throw. `headers` carry the record's trace context. */
export type RecordHandler = (
  key: Buffer | null,
  value: Buffer | null,
  where: RecordLocation,
  headers?: RecordHeaders,
) => void;
