import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classify } from '../../activities/triage';
import { routeTicket } from '../../workflows/routing';
import { freshIntelligence } from '../intelligence/helpers';

const ctx = { ticketId: 'ct-1', userId: 'mona', orgId: 'acme-corp' };

// Issue 11, finding 2: a pasted token plus a legal threat lowered the rules model's confidence below 0.85
// (a second risk category multiplied it by 0.9), so nothing was revoked and the ticket was not held.
describe('containment is a fact, not a guess', () => {
  const cases: [string, string, string][] = [
    [
      'a pasted token beside a legal threat',
      'TOKEN_EXPOSURE',
      'Build broken. Config: token=ghp_9Xk2LmQ7vR4tY8wZ1aB3cD5eF6gH0iJ2kL4m. Our lawyer will sue.',
    ],
    [
      'a pasted token in a CI complaint with a legal threat',
      'TOKEN_EXPOSURE',
      'My CI keeps failing with ghp_9Xk2LmQ7vR4tY8wZ1aB3cD5eF6gH0iJ2kL4m as the credential. Our lawyer will sue if this is not fixed today.',
    ],
    [
      'an account takeover with legal wording',
      'ATO',
      'My account was taken over, not me who changed the password. Our lawyer will sue you.',
    ],
  ];
  for (const [name, risk, text] of cases) {
    it(`${name}: the security protocol runs and holds the ticket`, async () => {
      const { intel } = await freshIntelligence();
      const tri = await intel.triage.triage(ctx, text);
      assert.equal(tri.security.risk_category, risk);
      assert.ok(
        routeTicket(tri.analysis, tri.security, intel.agents.topics).securityProtocol,
        `confidence ${tri.security.confidence_score}`,
      );
      await intel.close();
    });
  }

  it('another risk signal never lowers the confidence of the first', () => {
    const alone = classify('My account was taken over, not me who changed the password.', []);
    const withLegal = classify(
      'My account was taken over, not me who changed the password. Our lawyer will sue you.',
      [],
    );
    assert.equal(withLegal.risk, alone.risk);
    assert.ok(withLegal.confidence >= alone.confidence, `${withLegal.confidence} < ${alone.confidence}`);
  });

  it('a detected credential is certain, whatever the classifier scored', async () => {
    const { intel } = await freshIntelligence();
    const tri = await intel.triage.triage(ctx, 'hello, ghp_9Xk2LmQ7vR4tY8wZ1aB3cD5eF6gH0iJ2kL4m');
    assert.equal(tri.security.risk_category, 'TOKEN_EXPOSURE');
    assert.ok(tri.security.confidence_score >= 0.99);
    await intel.close();
  });
});
