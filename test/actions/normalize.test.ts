import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeText } from '../../core/text-normalize';
import { routeTicket } from '../../workflows/routing';
import { freshIntelligence } from '../intelligence/helpers';

const plain =
  'Someone hacked my account: my password was changed, two-factor was disabled and an SSH key I do not know was added. It was not me.';
/** Zero-width spaces inside the words the classifier keys on. */
const zeroWidth = plain.replace(/(hack|pass|two|disab|not me)/g, (m) => m.split('').join('\u200B'));
/** Cyrillic look-alikes for a, o, e, c, p. */
const cyrillic = plain
  .replace(/a/g, '\u0430')
  .replace(/o/g, '\u043E')
  .replace(/e/g, '\u0435')
  .replace(/c/g, '\u0441')
  .replace(/p/g, '\u0440');

describe('text normalisation before triage (issue 11, finding 3)', () => {
  it('NFKC, invisible characters removed, look-alike letters folded; ASCII and real accents untouched', () => {
    assert.equal(normalizeText(zeroWidth), plain);
    assert.equal(normalizeText(cyrillic), plain);
    assert.equal(normalizeText('ｄｉｓａｂｌｅ 2ＦＡ'), 'disable 2FA');
    assert.equal(normalizeText('by\u00ADpass the\u2060 che\u200Dck\uFEFF'), 'bypass the check');
    assert.equal(normalizeText('\u202Eevil'), 'evil');
    assert.equal(normalizeText('txn_48213 mona rn m 0O1lI'), 'txn_48213 mona rn m 0O1lI', 'ASCII is never folded');
    assert.equal(normalizeText('café naïve'), 'café naïve');
  });

  for (const [name, text] of [
    ['zero-width characters', zeroWidth],
    ['Cyrillic look-alikes', cyrillic],
  ] as const) {
    it(`account-takeover text written with ${name} is held like the plain text`, async () => {
      const { intel } = await freshIntelligence();
      const ctx = { ticketId: `nz-${name.length}`, userId: 'mona', orgId: 'acme-corp' };
      const tri = await intel.triage.triage(ctx, text);
      assert.equal(tri.security.risk_category, 'ATO');
      assert.ok(
        routeTicket(tri.analysis, tri.security, intel.agents.topics).securityProtocol,
        'the security protocol holds the ticket',
      );
      assert.equal(
        tri.redactedText.includes('\u0430') || tri.redactedText.includes('\u200B'),
        true,
        'the stored text stays as the customer wrote it',
      );
      await intel.close();
    });
  }
});
