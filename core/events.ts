/**
 * The event envelope on `ticket-events`, shared by the producer (activities) and the gateway.
 *
 * `seq` is assigned by the workflow, gap-free from 1, so an activity retried after a crash republishes the
 * same number and a subscriber drops what it has already seen. `token` events are the one exception to
 * "one seq, one event": they are the live preview of the `draft` event that will follow, so they carry that
 * draft's (reserved) seq plus a `part` index, and are never part of the durable history the snapshot returns.
 */
import { z } from 'zod';
import { EVENT_SCHEMA_VERSION } from './event-version';
import { jsonErrorWhere } from './json-error';

export { EVENT_SCHEMA_VERSION };

export const eventTypes = [
  'status',
  'message',
  'token',
  'tool',
  'draft',
  'review_requested',
  'resolved',
  'reopened',
  'error',
] as const;
export type TicketEventType = (typeof eventTypes)[number];

export const ticketIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'ticket ids are letters, digits, _ and -');

export const ticketEventSchema = z.object({
  v: z.literal(EVENT_SCHEMA_VERSION),
  ticketId: ticketIdSchema,
  seq: z.number().int().positive(),
  /** Only on `token` events: the index of this fragment within the draft being written. */
  part: z.number().int().nonnegative().optional(),
  type: z.enum(eventTypes),
  /** ISO-8601 time the workflow (not the publisher) stamped the event. */
  at: z.string().datetime({ offset: true }),
  data: z.record(z.string(), z.unknown()),
});

export type TicketEvent = z.infer<typeof ticketEventSchema>;

export const alertSchema = z.object({
  v: z.literal(EVENT_SCHEMA_VERSION),
  kind: z.enum(['ticket_reopened', 'review_sla_breached', 'org_pattern', 'security_incident']),
  ticketId: ticketIdSchema.optional(),
  orgId: z.string().optional(),
  queue: z.string().optional(),
  at: z.string().datetime({ offset: true }),
  data: z.record(z.string(), z.unknown()),
});
export type Alert = z.infer<typeof alertSchema>;

export type DecodeResult =
  | { ok: true; event: TicketEvent }
  | {
      ok: false;
      reason: 'no_key' | 'no_value' | 'bad_utf8' | 'bad_json' | 'bad_schema' | 'unknown_version' | 'key_mismatch';
      detail: string;
    };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes one Kafka record; never throws, so one bad record cannot stop a consumer loop. */
export function decodeTicketEvent(key: Buffer | null | undefined, value: Buffer | null | undefined): DecodeResult {
  if (!key || key.length === 0) return { ok: false, reason: 'no_key', detail: 'record has no key' };
  if (!value || value.length === 0) return { ok: false, reason: 'no_value', detail: 'record has no value' };
  let text: string;
  try {
    text = utf8.decode(value);
  } catch {
    return { ok: false, reason: 'bad_utf8', detail: 'value is not valid UTF-8' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // The detail is logged, and a record is anyone's text once a writer goes wrong: its position only.
    return { ok: false, reason: 'bad_json', detail: `value is not valid JSON${jsonErrorWhere(err)}` };
  }
  if (json && typeof json === 'object' && 'v' in json && json.v !== EVENT_SCHEMA_VERSION) {
    return { ok: false, reason: 'unknown_version', detail: `schema version ${String(json.v)}` };
  }
  const parsed = ticketEventSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      reason: 'bad_schema',
      detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    };
  }
  if (parsed.data.ticketId !== key.toString('utf8')) {
    return { ok: false, reason: 'key_mismatch', detail: 'record key differs from ticketId' };
  }
  return { ok: true, event: parsed.data };
}

export function encodeTicketEvent(event: TicketEvent): { key: string; value: string } {
  return { key: event.ticketId, value: JSON.stringify(ticketEventSchema.parse(event)) };
}
