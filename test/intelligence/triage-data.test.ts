/**
 * The labelled data the semantic model learns from and is judged on: enough of it, every team, unknown
 * and every risk, and two disjoint splits in the 75/25 proportion fixed before any tuning. Also the
 * embedder's contract: unit vectors whose dot product ranks meaning, loaded once per process.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readLabelled } from '../../activities/triage/examples';
import { loadConfig } from '../../core/config';
import { dot, loadEmbedder } from '../../core/embedding';
import { riskCategories, topics } from '../../core/domain';

const fixtures = path.join(__dirname, '..', 'fixtures', 'triage');

describe('triage data', () => {
  const train = readLabelled(path.join(fixtures, 'train.jsonl'));
  const heldout = readLabelled(path.join(fixtures, 'heldout.jsonl'));
  // Round four: heldout.jsonl is spent (looked at five times); round five: heldout2.jsonl is spent too.
  const heldout2 = readLabelled(path.join(fixtures, 'heldout2.jsonl'));
  const text = (r: { query: string }) => r.query.trim().toLowerCase();

  it('has at least 400 tickets, split 75/25 with no ticket (or text) in both', () => {
    assert.ok(train.length + heldout.length >= 400, `${train.length + heldout.length} tickets`);
    // The 454 tickets written first (ids n...) were split 75/25 before any fitting; tickets written later
    // (w...) only ever join the train file, so the held-out split stays the one the first split made.
    const firstTrain = train.filter((r) => r.id.startsWith('n'));
    const share = heldout.length / (firstTrain.length + heldout.length);
    assert.ok(share > 0.23 && share < 0.27, `held-out share ${share}`);
    assert.ok(
      train.every((r) => /^[nw]\d{3}$/.test(r.id)),
      'train ids: n (first split) or w (written later, train only)',
    );
    const trainIds = new Set(train.map((r) => r.id));
    const trainTexts = new Set(train.map((r) => r.query.trim().toLowerCase()));
    assert.ok(heldout.every((r) => !trainIds.has(r.id) && !trainTexts.has(r.query.trim().toLowerCase())));
  });

  it('keeps the second held-out set whole: 168 distinct tickets with their own ids', () => {
    assert.ok(heldout2.length >= 160, `${heldout2.length} tickets`);
    assert.ok(
      heldout2.every((r) => /^h2-\d{3}$/.test(r.id)),
      'heldout2 ids: h2-NNN',
    );
    assert.equal(new Set(heldout2.map(text)).size, heldout2.length, 'no ticket twice');
  });

  it('keeps the third held-out set (the blind one since round five) apart from every file the model learns from', () => {
    // Round five: heldout.jsonl and heldout2.jsonl are spent and learnt from; heldout3.jsonl is the held-out set.
    const heldout3 = readLabelled(path.join(fixtures, 'heldout3.jsonl'));
    assert.ok(heldout3.length >= 150, `${heldout3.length} tickets`);
    const learnt = loadConfig({ ...process.env, LOG_LEVEL: 'error' }).triage.examples.flatMap((f) => readLabelled(f));
    assert.ok(learnt.length >= 1000, `${learnt.length} learning tickets`);
    const ids = new Set(learnt.map((r) => r.id));
    const texts = new Set(learnt.map(text));
    // Two one-liners its blind author wrote as others had before ("hello?" is n427, "test ticket please ignore"
    // is w336, same labels): a coincidence of generic text, known and counted in docs/triage.md; any other is a leak.
    const coincident = ['h3-015', 'h3-172'];
    const leaked = heldout3.filter((r) => ids.has(r.id) || texts.has(text(r))).map((r) => r.id);
    assert.deepEqual(
      leaked.filter((id) => !coincident.includes(id)),
      [],
    );
    assert.equal(new Set(heldout3.map(text)).size, heldout3.length, 'no ticket twice');
  });

  it('covers every team, unknown, every risk, manipulation and several topics at once in every split', () => {
    for (const split of [train, heldout, heldout2]) {
      for (const t of topics)
        assert.ok(
          split.some((r) => r.topic === t),
          t,
        );
      for (const c of riskCategories)
        assert.ok(
          split.some((r) => r.risk_category === c),
          c,
        );
      assert.ok(
        split.some((r) => r.manipulation),
        'manipulation',
      );
      assert.ok(
        split.some((r) => r.topics.length > 0),
        'multi-topic',
      );
      assert.ok(
        split.every((r) => r.is_sensitive === (r.risk_category !== 'none')),
        'sensitive iff a risk',
      );
    }
  });
});

describe('embedder', () => {
  const dir = loadConfig({ ...process.env, LOG_LEVEL: 'error' }).triage.embeddingDir;

  it('returns unit vectors that rank meaning, and one model per process', async () => {
    const e = await loadEmbedder(dir);
    assert.ok(e, `no model at ${dir}`);
    assert.equal(await loadEmbedder(dir), e);
    const [a, b, c] = await e.embed([
      'someone else logged into my account',
      'a stranger signed in as me',
      'how do I download an invoice',
    ]);
    assert.ok(Math.abs(dot(a!, a!) - 1) < 1e-4);
    assert.ok(dot(a!, b!) > dot(a!, c!) + 0.2, `${dot(a!, b!)} vs ${dot(a!, c!)}`);
    // A text embeds the same alone or beside others (no padding drift between training and serving).
    const [alone] = await e.embed(['how do I download an invoice']);
    assert.ok(dot(alone!, c!) > 0.9999);
  });

  it('is undefined, not an error, when the files are missing', async () => {
    assert.equal(await loadEmbedder(path.join(dir, 'missing')), undefined);
  });
});
