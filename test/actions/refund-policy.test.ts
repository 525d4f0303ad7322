import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { freshIntelligence } from '../intelligence/helpers';

const mona = { ticketId: 'rp-1', userId: 'mona', orgId: 'acme-corp' };
const DAY = 86_400_000;

/** A fresh store with extra charges for mona, then one Billing investigation of `text`. */
async function investigate(
  text: string,
  extra: [id: string, cents: number, description: string, agoMs: number][] = [],
  env: Record<string, string> = {},
) {
  const { intel, dataDir } = await freshIntelligence(env);
  await intel.triage.triage(mona, 'warm up'); // opens the store (seeded) before we add to it
  const file = path.join(dataDir, 'githouse.sqlite');
  const db = new Database(file);
  const ins = db.prepare(
    "INSERT INTO transactions (id, user_id, org_id, amount_cents, currency, description, created_at) VALUES (?, 'mona', 'acme-corp', ?, 'USD', ?, ?)",
  );
  for (const [id, cents, description, ago] of extra)
    ins.run(id, cents, description, new Date(Date.now() - ago).toISOString());
  db.close();
  const tri = await intel.triage.triage(mona, text);
  const sop = (await intel.knowledge.findSop('Billing', tri.redactedText))!;
  const findings = await intel.agents.investigate(mona, 'Billing', sop, tri.analysis, tri.redactedText);
  const refunded = () => {
    const r = new Database(file, { readonly: true });
    const ids = (
      r.prepare('SELECT id FROM transactions WHERE refunded_at IS NOT NULL ORDER BY id').all() as { id: string }[]
    ).map((x) => x.id);
    r.close();
    return ids;
  };
  return { intel, sop, findings, refunded };
}

// Issue 11, finding 1: every verified id after the first typed one was refunded, whatever its amount, plan or date.
describe('a duplicate is a duplicate (refunds under the action policy)', () => {
  it('a 500 USD yearly charge is not refunded as a "duplicate" of a 4 USD monthly one: it becomes a proposal', async () => {
    const { intel, sop, findings, refunded } = await investigate(
      'Charged twice: txn_48213 and txn_48990, refund the duplicate charge please.',
      [['txn_48990', 50_000, 'Pro plan, yearly', 5 * DAY - 120_000]],
    );
    assert.equal(sop.id, 'billing-duplicate-charge');
    assert.deepEqual(refunded(), [], 'nothing is refunded');
    assert.deepEqual(
      findings.proposals?.map((p) => [p.target, p.amountCents]),
      [['txn_48990', 50_000]],
    );
    assert.match(findings.proposals[0]!.reason, /not a verified duplicate/);
    assert.match(findings.needsHuman ?? '', /waits for a person/);
    await intel.close();
  });

  it('the later copy is refunded and the original kept, whatever order the customer typed them in', async () => {
    const { intel, findings, refunded } = await investigate(
      'I was charged twice, txn_48214 and txn_48213, refund the duplicate charge.',
    );
    assert.match(findings.summary, /Kept the original charge\(s\): txn_48213/);
    // Preapproved by the policy, yet nothing runs while investigating: only when the reply is approved.
    assert.deepEqual(refunded(), []);
    assert.deepEqual(
      findings.proposals?.map((p) => [p.target, p.preapproved]),
      [['txn_48214', true]],
    );
    assert.equal(findings.needsHuman, undefined);
    const run = await intel.agents.execute(mona, findings.proposals[0]!);
    assert.ok(run.ok, run.summary);
    assert.deepEqual(refunded(), ['txn_48214']);
    // Re-checked at run time: the same proposal again (another ticket, or after a refund) is no second refund.
    const again = await intel.agents.execute({ ...mona, ticketId: 'rp-2' }, findings.proposals[0]!);
    assert.equal(again.ok, false);
    assert.match(again.summary, /already_refunded/);
    await intel.close();
  });

  it('a charge dated in the future is no charge to refund: refused, never proposed', async () => {
    const { intel, findings, refunded } = await investigate(
      'Charged twice: txn_73001 and txn_73002, refund the duplicate charge.',
      [
        ['txn_73001', 400, 'Pro plan, monthly', -2 * DAY],
        ['txn_73002', 400, 'Pro plan, monthly', -2 * DAY - 60_000],
      ],
    );
    assert.deepEqual(refunded(), []);
    assert.equal(findings.proposals, undefined);
    assert.match(
      findings.toolRuns.find((r) => r.tool === 'refund')?.summary ?? '',
      /refused: the charge is dated in the future/,
    );
    await intel.close();
  });

  it('the same charge outside the duplicate window is no duplicate: a proposal, not a refund', async () => {
    const { intel, findings, refunded } = await investigate(
      'Charged twice for the Pro plan: txn_48213 and txn_47001, refund the duplicate charge.',
      [['txn_47001', 400, 'Pro plan, monthly', 40 * DAY]],
    );
    assert.deepEqual(refunded(), []);
    assert.deepEqual(
      findings.proposals?.map((p) => p.target),
      ['txn_47001'],
    );
    await intel.close();
  });

  it('a copy above the per-transaction cap waits for a person; one older than the maximum age is refused', async () => {
    const big = await investigate('Charged twice: txn_70001 and txn_70002, refund the duplicate charge.', [
      ['txn_70001', 30_000, 'Enterprise, monthly', 2 * DAY],
      ['txn_70002', 30_000, 'Enterprise, monthly', 2 * DAY - 60_000],
    ]);
    assert.deepEqual(big.refunded(), []);
    assert.match(big.findings.proposals?.[0]?.reason ?? '', /above the per-transaction cap of 100\.00/);
    await big.intel.close();

    const old = await investigate('Charged twice: txn_71001 and txn_71002, refund the duplicate charge.', [
      ['txn_71001', 400, 'Pro plan, monthly', 90 * DAY],
      ['txn_71002', 400, 'Pro plan, monthly', 90 * DAY - 60_000],
    ]);
    assert.deepEqual(old.refunded(), []);
    assert.equal(old.findings.proposals, undefined);
    assert.match(
      old.findings.toolRuns.find((r) => r.tool === 'refund')?.summary ?? '',
      /refused: the charge is 90 day\(s\) old; refunds stop at 60 day\(s\)/,
    );
    await old.intel.close();
  });

  it('the per-ticket cap counts what the ticket already refunded', async () => {
    const env = { REFUND_TICKET_MAX_CENTS: '500' };
    const { intel, findings, refunded } = await investigate(
      'Charged twice twice: txn_48213 txn_48214 txn_72001 txn_72002, refund the duplicate charges.',
      [
        ['txn_72001', 300, 'Team seat', DAY],
        ['txn_72002', 300, 'Team seat', DAY - 60_000],
      ],
      env,
    );
    assert.deepEqual(refunded(), []);
    assert.deepEqual(
      findings.proposals?.map((p) => [p.target, p.preapproved ?? false]),
      [
        ['txn_48214', true],
        ['txn_72002', false],
      ],
      'the first copy fits under 5.00; the second would make 7.00',
    );
    assert.match(findings.proposals?.[1]?.reason ?? '', /above the per-ticket cap of 5\.00/);
    await intel.close();
  });

  it('a plain refund request is a proposal by default, and runs only when ACTIONS_UNATTENDED includes refund', async () => {
    const asked = await investigate('Please refund txn_48213, I did not mean to buy it.');
    assert.equal(asked.sop.id, 'billing-refund');
    assert.deepEqual(asked.refunded(), []);
    assert.deepEqual(
      asked.findings.proposals?.map((p) => p.id),
      ['refund:txn_48213'],
    );
    await asked.intel.close();
    const allowed = await investigate('Please refund txn_48213, I did not mean to buy it.', [], {
      ACTIONS_UNATTENDED: 'refund',
    });
    assert.deepEqual(allowed.refunded(), []);
    assert.equal(allowed.findings.proposals?.[0]?.preapproved, true);
    await allowed.intel.close();
  });
});
