import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createToolbox } from '../../activities/agents/toolbox';
import { decideAction, decideConfirmed, type ActionRules } from '../../activities/policy';
import { loadConfig } from '../../core/config';
import type { Sop } from '../../core/domain';
import { TicketflowError } from '../../core/errors';

const now = Date.parse('2026-06-01T12:00:00Z');
const rules: ActionRules = {
  refundMaxCents: 10_000,
  refundTicketMaxCents: 20_000,
  refundMaxAgeMs: 60 * 86_400_000,
  duplicateWindowMs: 86_400_000,
  unattended: ['revoke_credentials', 'duplicate_refund'],
};
const charge = {
  kind: 'refund' as const,
  tool: 'refund',
  target: 'txn_1',
  amountCents: 400,
  currency: 'USD',
  chargedAt: '2026-05-30T12:00:00Z',
};

describe('action policy', () => {
  it('run / propose / refuse, each with its reason', () => {
    assert.equal(decideAction({ ...charge, duplicateOf: 'txn_0' }, rules, now).verdict, 'run');
    assert.match(decideAction(charge, rules, now).reason, /not a verified duplicate/);
    assert.equal(decideAction({ ...charge, duplicateOf: 'txn_0', amountCents: 10_001 }, rules, now).verdict, 'propose');
    assert.equal(
      decideAction({ ...charge, duplicateOf: 'txn_0', ticketRefundedCents: 19_700 }, rules, now).verdict,
      'propose',
    );
    assert.equal(
      decideAction({ ...charge, duplicateOf: 'txn_0', chargedAt: '2026-03-01T12:00:00Z' }, rules, now).verdict,
      'refuse',
    );
    assert.equal(decideAction({ ...charge, amountCents: undefined }, rules, now).verdict, 'refuse');
    assert.equal(
      decideAction({ kind: 'revoke_credentials', tool: 'revoke_tokens', target: 'credentials of mona' }, rules, now)
        .verdict,
      'run',
    );
    assert.equal(
      decideAction({ kind: 'account_change', tool: 'reset_2fa', target: 'mona' }, rules, now).verdict,
      'propose',
    );
    assert.equal(
      decideAction(
        { kind: 'revoke_credentials', tool: 'revoke_tokens', target: 'x' },
        { ...rules, unattended: [] },
        now,
      ).verdict,
      'propose',
    );
  });

  it("a person's confirmation lifts the caps and the unattended list, never the facts (age, verification)", () => {
    assert.equal(decideConfirmed({ ...charge, amountCents: 90_000 }, rules, now).verdict, 'run');
    assert.equal(decideConfirmed({ ...charge, chargedAt: '2025-01-01T00:00:00Z' }, rules, now).verdict, 'refuse');
  });

  it('the rules come from config, validated', () => {
    const cfg = loadConfig({
      REFUND_MAX_CENTS: '2500',
      REFUND_MAX_AGE: '30d',
      ACTIONS_UNATTENDED: 'revoke_credentials',
    });
    assert.deepEqual(cfg.actions, {
      refundMaxCents: 2500,
      refundTicketMaxCents: 20_000,
      refundMaxAgeMs: 30 * 86_400_000,
      duplicateWindowMs: 86_400_000,
      unattended: ['revoke_credentials'],
    });
    assert.throws(() => loadConfig({ ACTIONS_UNATTENDED: 'refund,everything' }), /ACTIONS_UNATTENDED/);
  });

  it('a side-effect tool handed over as a plain function is refused: it cannot skip the policy', async () => {
    const sop: Sop = { id: 's', title: 't', topic: 'Billing', body: '', allowedTools: ['refund'], source: 'human' };
    let ran = false;
    const box = createToolbox(
      sop,
      { refund: () => ((ran = true), { tool: 'refund', ok: true, summary: '', output: {} }) },
      () => ({ verdict: 'run', reason: '' }),
    );
    await assert.rejects(
      box.call('refund', { id: 'txn_1' }),
      (e: unknown) => e instanceof TicketflowError && /declare it as an EffectTool/.test(e.message),
    );
    assert.equal(ran, false);
  });
});
