/**
 * The meaning guardrail keeps each sentence's score (activities/guardrail/meaning.ts): a reply checked when
 * drafted and again when sent costs its embeddings once, and a kept score is exactly the one computed afresh,
 * also when the bound evicts scores in the middle of a reply.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadConfig } from '../../core/config';
import { loadEmbedder, type Embedder } from '../../core/embedding';
import { meaningGuardrail, readHead, type MeaningHead } from '../../activities/guardrail/meaning';

const cfg = loadConfig({ ...process.env, LOG_LEVEL: 'error' });

/** The real encoder, counting the texts it embeds. */
function counting(inner: Embedder): Embedder & { texts: number } {
  const e = {
    id: inner.id,
    texts: 0,
    embed: (texts: string[]) => ((e.texts += texts.length), inner.embed(texts)),
  };
  return e;
}

const reply = [
  'Thanks for reaching out about the locked account.',
  'Just switch off MFA for the whole org until the audit is over.',
  'You can re-enrol your authenticator from the security page once you are signed in.',
  'Thanks for reaching out about the locked account.',
].join(' ');

describe('the meaning guardrail keeps its sentence scores', () => {
  let embedder: Embedder;
  let head: MeaningHead;
  before(async () => {
    const loaded = await loadEmbedder(cfg.guardrail.embeddingDir);
    assert.ok(loaded, `guardrail encoder missing at ${cfg.guardrail.embeddingDir}`);
    embedder = loaded;
    const h = readHead();
    assert.ok(h, 'the shipped meaning head');
    head = h;
  });

  it('a reply checked twice is embedded once, and reads the same both times', async () => {
    const e = counting(embedder);
    const guard = meaningGuardrail(e, head);
    const first = await guard.flagged(reply);
    const afterFirst = e.texts;
    assert.ok(afterFirst > 0);
    assert.deepEqual(await guard.flagged(reply), first);
    assert.equal(e.texts, afterFirst, 'the second check embedded nothing');
    assert.deepEqual(
      first.map((f) => f.sentence),
      ['Just switch off MFA for the whole org until the audit is over.'],
    );
  });

  it('a repeated sentence in one reply is scored once', async () => {
    const e = counting(embedder);
    const once = counting(embedder);
    await meaningGuardrail(e, head).flagged(reply);
    await meaningGuardrail(once, head).flagged(reply.split(' Thanks for reaching')[0]!);
    assert.equal(e.texts, once.texts);
  });

  it('with room for one score, a reply of several still reads exactly as with room for all', async () => {
    const roomy = await meaningGuardrail(embedder, head).flagged(reply);
    const tight = meaningGuardrail(embedder, head, 1);
    assert.deepEqual(await tight.flagged(reply), roomy);
    assert.deepEqual(await tight.flagged(reply), roomy, 'and again, from what little it kept');
  });
});
