/**
 * The hot-path decoder against the zod contract: for every record, valid or not, the same verdict, the same
 * event, the same refusal reason, and reusable text only when that text parses to exactly the event.
 * Hand-picked edge cases, then a seeded fuzz of mutations of valid records.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeTicketEvent } from '../../core/events';
import { decodeRecord } from '../../gateway/stream/record-decode';

const base = {
  v: 1,
  ticketId: 'T-1_a',
  seq: 3,
  type: 'message',
  at: '2026-11-30T01:02:03.456Z',
  data: { text: 'hi', n: 1 },
};

function agree(key: Buffer | null, value: Buffer | null, label: string): boolean {
  const slow = decodeTicketEvent(key, value);
  const fast = decodeRecord(key, value);
  assert.equal(fast.ok, slow.ok, `${label}: same verdict`);
  if (slow.ok && fast.ok) {
    assert.deepEqual(fast.event, slow.event, `${label}: same event`);
    if (fast.json !== undefined)
      assert.deepEqual(JSON.parse(fast.json), slow.event, `${label}: the reused text is the event`);
  } else if (!slow.ok && !fast.ok) {
    assert.equal(fast.reason, slow.reason, `${label}: same reason`);
    assert.equal(fast.detail, slow.detail, `${label}: same detail`);
  }
  return fast.ok && fast.json !== undefined;
}

const rec = (o: unknown, key = 'T-1_a') =>
  [Buffer.from(key), Buffer.from(typeof o === 'string' ? o : JSON.stringify(o))] as const;

void test('edge cases: same verdicts as the schema', () => {
  const variants: [string, unknown][] = [
    ['valid', base],
    ['token with part', { ...base, type: 'token', part: 0 }],
    ['part -1', { ...base, part: -1 }],
    ['part 1.5', { ...base, part: 1.5 }],
    ['part null', { ...base, part: null }],
    ['seq 0', { ...base, seq: 0 }],
    ['seq -1', { ...base, seq: -1 }],
    ['seq 1.5', { ...base, seq: 1.5 }],
    ['seq 2^53', { ...base, seq: 2 ** 53 }],
    ['seq 2^53-1', { ...base, seq: 2 ** 53 - 1 }],
    ['seq string', { ...base, seq: '3' }],
    ['seq 1e400', JSON.stringify(base).replace('"seq":3', '"seq":1e400')],
    ['v 2', { ...base, v: 2 }],
    ['v "1"', { ...base, v: '1' }],
    ['no v', { ...base, v: undefined }],
    ['ticketId empty', { ...base, ticketId: '' }],
    ['ticketId 64', { ...base, ticketId: 'a'.repeat(64) }],
    ['ticketId 65', { ...base, ticketId: 'a'.repeat(65) }],
    ['ticketId starts with -', { ...base, ticketId: '-a' }],
    ['ticketId space', { ...base, ticketId: 'a b' }],
    ['type unknown', { ...base, type: 'secret' }],
    ['type missing', { ...base, type: undefined }],
    ['at with offset', { ...base, at: '2026-11-30T01:02:03+02:00' }],
    ['at no seconds fraction', { ...base, at: '2026-11-30T01:02:03Z' }],
    ['at without zone', { ...base, at: '2026-11-30T01:02:03' }],
    ['at date only', { ...base, at: '2026-11-30' }],
    ['at garbage', { ...base, at: 'yesterday' }],
    ['at number', { ...base, at: 5 }],
    ['data array', { ...base, data: [1] }],
    ['data null', { ...base, data: null }],
    ['data string', { ...base, data: 'x' }],
    ['data empty', { ...base, data: {} }],
    ['data nested', { ...base, data: { a: { b: [1, { c: null }] } } }],
    [
      'data __proto__',
      `{"v":1,"ticketId":"T-1_a","seq":3,"type":"message","at":"2026-11-30T01:02:03.456Z","data":{"__proto__":{"x":1}}}`,
    ],
    [
      'envelope __proto__',
      `{"__proto__":{"x":1},"v":1,"ticketId":"T-1_a","seq":3,"type":"message","at":"2026-11-30T01:02:03.456Z","data":{}}`,
    ],
    ['extra key', { ...base, secret: 'dropped by the schema' }],
    ['duplicate seq key', JSON.stringify(base).replace('"seq":3', '"seq":0,"seq":3')],
    ['top-level array', [base]],
    ['top-level number', '5'],
    ['top-level null', 'null'],
    ['bad json', '{"v":1,'],
    ['whitespace around', `  ${JSON.stringify(base)}\n`],
    ['escaped text', JSON.stringify(base).replace('"hi"', '"\\u0068i \\n"')],
  ];
  let reusable = 0;
  for (const [label, o] of variants) if (agree(...rec(o), label)) reusable++;
  assert.ok(reusable >= 10, 'the plain valid records keep their text');
  agree(...rec(base, 'other'), 'key mismatch');
  agree(null, rec(base)[1], 'no key');
  agree(Buffer.from('T-1_a'), null, 'no value');
  agree(Buffer.from('T-1_a'), Buffer.alloc(0), 'empty value');
  agree(Buffer.from('T-1_a'), Buffer.from([0x7b, 0xff, 0x7d]), 'bad utf-8');
  const extra = decodeRecord(...rec({ ...base, secret: 1 }));
  assert.ok(extra.ok && extra.json === undefined, 'text with keys the schema drops is not reused');
});

void test('timestamps: every date and time form gets the schema verdict', () => {
  const dates = ['2026-11-30', '2024-02-29', '2026-02-29', '2000-02-29', '1900-02-29', '2026-04-31', '2026-13-01'];
  const times = [
    '00:00:00Z',
    '23:59:59.999999Z',
    '24:00:00Z',
    '12:60:00Z',
    '12:00:60Z',
    '12:00Z',
    '12:00:00+14:00',
    '12:00:00-23:59',
    '12:00:00+24:00',
    '12:00:00.Z',
    '12:00:00z',
    '12:00:00 Z',
    '12:00:00+0200',
    '12:00:00.5-05:30',
    '12:00:00',
  ];
  let valid = 0;
  for (const date of [...dates, ...dates.slice(0, 2)]) {
    for (const sep of ['T', 't', ' ']) {
      for (const time of times) {
        const at = `${date}${sep}${time}`;
        agree(...rec({ ...base, at }), at);
        if (decodeTicketEvent(...rec({ ...base, at })).ok) valid++;
      }
    }
  }
  assert.ok(valid > 20, `valid and invalid instants both seen (${valid} valid)`);
});

void test('fuzz: mutations of valid records get the schema verdict', () => {
  let state = 42;
  const rand = (n: number) => ((state = (state * 1103515245 + 12345) % 2 ** 31), state % n);
  const values: unknown[] = [
    0,
    -1,
    1,
    2.5,
    2 ** 53,
    '',
    'x',
    'T-9',
    null,
    true,
    [],
    {},
    { a: 1 },
    '2026-01-01T00:00:00Z',
    '2026-01-01T00:00:00.1+05:30',
    'token',
    'resolved',
    1,
    'a'.repeat(70),
  ];
  const fields = ['v', 'ticketId', 'seq', 'part', 'type', 'at', 'data', 'extra'];
  let valid = 0;
  for (let i = 0; i < 3000; i++) {
    const o: Record<string, unknown> = {
      ...base,
      seq: 1 + rand(1000),
      type: ['message', 'token', 'draft', 'status'][rand(4)],
    };
    for (let m = rand(3); m > 0; m--) {
      const f = fields[rand(fields.length)]!;
      if (rand(5) === 0) delete o[f];
      else o[f] = values[rand(values.length)];
    }
    const key = rand(20) === 0 ? 'T-9' : typeof o.ticketId === 'string' ? o.ticketId : 'T-1_a';
    const text = JSON.stringify(o);
    agree(Buffer.from(key), Buffer.from(text), text);
    if (decodeTicketEvent(Buffer.from(key), Buffer.from(text)).ok) valid++;
  }
  assert.ok(valid > 300 && valid < 2700, `both kinds are exercised (${valid} valid of 3000)`);
});

void test('encodings: BOMs, ill-formed UTF-8 and keys get the schema verdict', () => {
  const key = Buffer.from('T-1_a');
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const valid = Buffer.from(JSON.stringify(base));
  // A record whose data text holds `bytes` as they are (valid or not).
  const [head, tail] = JSON.stringify({ ...base, data: { s: 'h@@i' } }).split('@@') as [string, string];
  const withText = (bytes: number[]) => Buffer.concat([Buffer.from(head), Buffer.from(bytes), Buffer.from(tail)]);
  const cases: [string, Buffer, Buffer][] = [
    ['BOM before the record', key, Buffer.concat([bom, valid])],
    ['two BOMs', key, Buffer.concat([bom, bom, valid])],
    ['BOM alone', key, bom],
    ['non-ASCII text', key, withText([...Buffer.from('é ✓ 😀 \u2028')])],
    ['lone continuation byte', key, withText([0x80])],
    ['overlong "/"', key, withText([0xc0, 0xaf])],
    ['overlong three bytes', key, withText([0xe0, 0x80, 0xaf])],
    ['surrogate half', key, withText([0xed, 0xa0, 0x80])],
    ['beyond U+10FFFF', key, withText([0xf4, 0x90, 0x80, 0x80])],
    ['truncated sequence', key, withText([0xe2, 0x9c])],
    ['0xff', key, withText([0xff])],
    ['NUL escaped', key, Buffer.from(JSON.stringify({ ...base, data: { s: '\u0000' } }))],
    ['key with a BOM', Buffer.concat([bom, key]), valid],
    ['key with a trailing NUL', Buffer.concat([key, Buffer.from([0])]), valid],
    ['key one byte short', key.subarray(0, 4), valid],
    ['key in ill-formed UTF-8', Buffer.from([0x54, 0x2d, 0x31, 0x5f, 0xe1]), valid],
    ['key of another case', Buffer.from('t-1_a'), valid],
    ['non-ASCII key and id', Buffer.from('T-é'), Buffer.from(JSON.stringify({ ...base, ticketId: 'T-é' }))],
  ];
  let ok = 0;
  for (const [label, k, v] of cases) {
    agree(k, v, label);
    if (decodeTicketEvent(k, v).ok) ok++;
  }
  assert.ok(ok >= 3 && ok < cases.length, `valid and refused records both seen (${ok} valid)`);
});

void test('a value that is not JSON: refused without quoting it in the detail (the detail is logged)', () => {
  for (const text of ['hunter2', 'password=hunter2-and-more', '{"v":1,"data":"hunter2" x}']) {
    const r = decodeRecord(Buffer.from('T-1'), Buffer.from(text));
    assert.ok(!r.ok && r.reason === 'bad_json', text);
    assert.ok(!r.detail.includes('hunter'), `the detail quotes the value: ${r.detail}`);
  }
});
