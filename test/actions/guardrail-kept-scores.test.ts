/**
 * The meaning guardrail keeps each sentence's score (activities/guardrail/meaning.ts): a reply checked when
 * drafted and again when sent costs its embeddings once, and a kept score is exactly the one computed afresh,
 * also when the bound evicts scores in the middle of a reply. Each distinct sentence and clause is embedded once
 * a worker, and a kept vector reads exactly as a fresh one.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadConfig } from '../../core/config';
import { loadEmbedder, type Embedder } from '../../core/embedding';
import {
  meaningGuardrail,
  readHead,
  scoreSentences,
  sentences,
  type MeaningHead,
} from '../../activities/guardrail/meaning';

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

  it('a sentence of one clause is embedded once, not as itself and again as its clause', async () => {
    const e = counting(embedder);
    await meaningGuardrail(e, head).flagged('Thanks for reaching out about the locked account.');
    assert.equal(e.texts, 1);
  });

  it('a clause two sentences share is embedded once', async () => {
    const e = counting(embedder);
    const guard = meaningGuardrail(e, head);
    // Each sentence is itself and its two clauses, split at the colon; the first clause is the same.
    await guard.flagged('What we checked on our side: the SSO certificate expired two days ago.');
    assert.equal(e.texts, 3);
    await guard.flagged('What we checked on our side: no docs page link was in the ticket.');
    assert.equal(e.texts, 5, 'the shared clause was not embedded again');
  });

  it('scores from kept vectors are exactly the scores computed afresh', async () => {
    const text = [
      reply,
      'What we checked on our side: the SSO certificate expired two days ago.',
      'What we checked on our side: just turn off SSO enforcement for now.',
    ].join(' ');
    const parts = sentences(text);
    const everything = { ...head, threshold: -Infinity };
    const guard = meaningGuardrail(embedder, everything);
    await guard.flagged(parts.slice(1).join(' '));
    const kept = await guard.flagged(text);
    assert.deepEqual(
      kept.map((k) => k.p),
      await scoreSentences(embedder, head, parts),
    );
  });
});
