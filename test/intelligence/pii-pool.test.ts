/**
 * Detection off the event loop: a large text redacted through the worker pool gives the same answer as
 * in-process redaction, and the event loop keeps turning while it runs (in-process, it cannot turn once).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { intake } from '../../core/intake';
import { redact } from '../../core/pii';
import { closeDetectionPool, intakeOffThread, redactOffThread } from '../../core/pii/pool';

const sentence =
  'Call +44 20 7946 0958 or mail jane.doe@example.com from 2001:db8::1, card 4111 1111 1111 1111, v2.3.1 on 2024-05-01. ';
const large = sentence.repeat(Math.ceil(1_500_000 / sentence.length));

/** Counts how often a 1 ms timer fires while `work` runs: each firing is one turn of the event loop. */
async function turnsDuring(work: () => unknown): Promise<number> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setTimeout(tick, 1);
  };
  setTimeout(tick, 1);
  await work();
  running = false;
  return turns;
}

describe('detection pool', () => {
  after(() => closeDetectionPool());

  it('gives the same redaction and entities as in-process detection', async () => {
    const text = `${sentence}SSN 123-45-6789, IBAN DE89 3704 0044 0532 0130 00, txn_ab12cd34`;
    assert.deepEqual(await intakeOffThread(text), intake(text));
    assert.equal(await redactOffThread(text, 'mask'), redact(text, 'mask'));
  });

  it('keeps the event loop turning while a 1.5 MB text is redacted', async () => {
    await redactOffThread('warm up the thread');
    const inline = await turnsDuring(() => redact(large));
    const offThread = await turnsDuring(() => redactOffThread(large));
    assert.equal(inline, 0, 'in-process redaction holds the loop for its whole run');
    // One turn is the difference that matters; more depends on how busy the machine is.
    assert.ok(offThread >= 1, `the loop never turned while the worker redacted`);
  });
});
