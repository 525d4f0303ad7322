/**
 * The hot path's decoder for `ticket-events` records: the same verdicts as `decodeTicketEvent` (core/events.ts,
 * the zod contract) for every record, proven by test/gateway/record-decode.test.ts, at a fraction of the cost,
 * plus the record's own JSON text when it can stand for the event as is, so its frame needs no
 * `JSON.stringify`. Only the `at` timestamp is still checked by the schema's own validator (its ISO-8601
 * grammar is the one part not worth re-deriving by hand).
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

/** Timestamps repeat (one workflow task stamps several events alike): the last verdict is kept. */
let lastAt: string | undefined;

function validAt(at: unknown): boolean {
  if (typeof at !== 'string') return false;
  if (at === lastAt) return true;
  if (!atSchema.safeParse(at).success) return false;
  lastAt = at;
  return true;
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
