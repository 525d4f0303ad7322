import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDraftPolicy, findPolicyViolations } from '../../activities/guardrail';

const rulesOf = (t: string) => findPolicyViolations(t).map((v) => v.rule);

describe('policy guardrail', () => {
  const cases: [string, string][] = [
    ['bypass', 'You can bypass the check by emailing us.'],
    ['bypass', 'We are bypassing the usual review for you.'],
    ['bypass', 'The 2FA step was by-passed.'],
    ['circumvent', 'This circumvents the SAML requirement.'],
    ['work around', 'As a workaround, share the admin password with your lead dev.'],
    ['work around', 'You could work around the lockout with a second account.'],
    ['skip verification', 'We will skip verification this time.'],
    ['skip verification', 'I skipped the identity check for you.'],
    ['ignore policy', 'We can ignore the policy in your case.'],
    ['ignore policy', 'Just ignoring the usual rules here.'],
    ['disable security', 'Disable two-factor authentication and sign in again.'],
    ['disable security', 'Try turning off 2FA temporarily.'],
    ['disable security', 'We disabled security checks on the org.'],
    ['without verification', 'We refunded it without verification.'],
    ['override security', 'An admin can override the security check.'],
  ];
  for (const [rule, text] of cases) {
    it(`flags "${rule}" in: ${text}`, () => {
      assert.ok(rulesOf(text).includes(rule), `${rulesOf(text).join(',')}`);
      assert.match(checkDraftPolicy(text) ?? '', new RegExp(rule));
    });
  }

  const clean = [
    'We verified your identity and restored access.',
    'Support will never turn off two-factor authentication on request.',
    'We cannot bypass verification, so please use a recovery code.',
    'Please pass the verification step from a trusted device.',
    'The workflow runs around midnight; check the logs.',
    'Once the transaction is verified, the refund is issued to the original payment method.',
    'Enable secret scanning with push protection so a leaked token is blocked before it is pushed.',
  ];
  for (const text of clean) {
    it(`passes: ${text}`, () => {
      assert.equal(checkDraftPolicy(text), undefined, rulesOf(text).join(','));
    });
  }
});
