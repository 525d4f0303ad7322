/**
 * The words free-text search keeps and reads (workflows/ticket-text.ts): no operator or quote survives, and
 * the attribute stays under Temporal's size limit for a search attribute value, whatever the script.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterQuery, textSearchSchema } from '../../client/ticket-query';
import { searchableText, textWords, TICKET_TEXT_MAX_BYTES } from '../../workflows/ticket-text';

test('a search is reduced to lower-case words: quotes, operators and punctuation never reach the query', () => {
  assert.deepEqual(textWords(`"Charged twice" OR refund* NOT x' -- card:visa NEAR(a b)`), [
    'charged',
    'twice',
    'or',
    'refund',
    'not',
    'x',
    'card',
    'visa',
    'near',
    'a',
    'b',
  ]);
  assert.deepEqual(textWords('Überweisung fehlgeschlagen, 払い戻し'), ['überweisung', 'fehlgeschlagen', '払い戻し']);
  const query = filterQuery({ text: `refund' OR TicketStatus != 'x` });
  assert.match(
    query,
    / AND TicketText = 'refund' AND TicketText = 'or' AND TicketText = 'ticketstatus' AND TicketText = 'x'$/,
  );
});

test('the API refuses a search with no word, too many words or a word longer than any ticket has', () => {
  assert.equal(textSearchSchema.safeParse('*** "" ()').success, false);
  assert.equal(textSearchSchema.safeParse('a b c d e f g h i').success, false);
  assert.equal(textSearchSchema.safeParse('x'.repeat(65)).success, false);
  assert.equal(textSearchSchema.safeParse('charged twice').success, true);
});

test('the attribute keeps each word once, in order, and stays under the size cap in UTF-8 bytes', () => {
  assert.equal(searchableText('Refund, refund! [REDACTED_EMAIL] please refund'), 'refund redacted email please');
  // Three bytes a character: a cap counted in characters would pass 2 KiB long before this one.
  const long = Array.from({ length: 400 }, (_, i) => `払い戻し${i}`).join(' ');
  const kept = searchableText(long);
  assert.ok(Buffer.byteLength(kept, 'utf8') <= TICKET_TEXT_MAX_BYTES, `${Buffer.byteLength(kept, 'utf8')} bytes`);
  assert.ok(kept.startsWith('払い戻し0 払い戻し1 '));
  assert.ok(!kept.endsWith(' '));
});
