/**
 * The hot path's decoder for `ticket-events` records: the same verdicts as `decodeTicketEvent` (core/events.ts,
 * the zod contract) for every record, proven by test/gateway/record-decode.test.ts, at a fraction of the cost,
 * plus the record's own JSON text when it can stand for the event as is, so its frame needs no
 * `JSON.stringify`. The `at` timestamp's date part is still checked by the schema's own validator, once
 * per distinct date (see validAt).
 */
import {
  decodeTicketEvent,
  EVENT_SCHEMA_VERSION,
  eventTypes,
  ticketEventSchema,
  type DecodeResult,
  type TicketEvent,
} from '../../core/events';

export type RecordDecode = (DecodeResult & { ok: false }) | { ok: true; event: TicketEvent; json: string | undefined };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const TYPES: ReadonlySet<unknown> = new Set(eventTypes);
const TICKET_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const ENVELOPE_KEYS: ReadonlySet<string> = new Set(['v', 'ticketId', 'seq', 'part', 'type', 'at', 'data']);
const atSchema = ticketEventSchema.shape.at;

/**
 * The schema's `datetime({ offset: true })` is one regular expression: a 10-character calendar date, `T`,
 * then this time of day with seconds, an optional fraction and `Z` or an offset. The date part is asked of
 * the schema itself (with a time it always accepts) and memoised, since it changes once a day; the time part
 * is this copy of the schema's own grammar. The schema's full check cost about 9 us a record, every record
 * (each carries its own instant). test/gateway/record-decode.test.ts holds the two to the same verdicts.
 */
const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
let lastDate: string | undefined;
let lastDateValid = false;

function validAt(at: unknown): boolean {
  if (typeof at !== 'string' || at.length < 20 || at.charCodeAt(10) !== 84 /* T */) return false;
  const date = at.slice(0, 10);
  if (date !== lastDate) {
    lastDate = date;
    lastDateValid = atSchema.safeParse(`${date}T00:00:00Z`).success;
  }
  return lastDateValid && TIME_OF_DAY.test(at.slice(11));
}

function isRecord(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The envelope's shape, checked field by field. Any doubt (a failing field, an extra key the schema would
 * strip) goes to the schema itself, so a refusal always carries the schema's own reasons.
 */
function plainEnvelope(json: Record<string, unknown>): boolean {
  const { ticketId, seq, part, data } = json;
  if (typeof ticketId !== 'string' || ticketId.length < 1 || ticketId.length > 64 || !TICKET_ID.test(ticketId))
    return false;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq <= 0) return false;
  if (part !== undefined && (typeof part !== 'number' || !Number.isSafeInteger(part) || part < 0)) return false;
  if (!TYPES.has(json.type) || !validAt(json.at) || !isRecord(data)) return false;
  // The schema copies `data` key by key, and an own "__proto__" key does not survive the copy.
  if (Object.prototype.hasOwnProperty.call(data, '__proto__')) return false;
  for (const k in json) if (!ENVELOPE_KEYS.has(k)) return false;
  return true;
}

/** Never throws; `json` is the record's text when it is exactly the event (no keys the schema would drop). */
export function decodeRecord(key: Buffer | null | undefined, value: Buffer | null | undefined): RecordDecode {
  if (!key || key.length === 0 || !value || value.length === 0) return slow(key, value);
  let text: string;
  let json: unknown;
  try {
    text = utf8.decode(value);
    json = JSON.parse(text);
  } catch {
    return slow(key, value);
  }
  if (!isRecord(json) || json.v !== EVENT_SCHEMA_VERSION || !plainEnvelope(json)) return slow(key, value);
  if (json.ticketId !== key.toString('utf8')) return slow(key, value);
  return { ok: true, event: json as TicketEvent, json: text };
}

/** The schema decides (and words the refusal); a valid event that needed it gets no reusable text. */
function slow(key: Buffer | null | undefined, value: Buffer | null | undefined): RecordDecode {
  const r = decodeTicketEvent(key, value);
  return r.ok ? { ok: true, event: r.event, json: undefined } : r;
}
