import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createDrafter } from '../../activities/drafting';
import { createKnowledgeBase } from '../../activities/knowledge';
import type { DraftInput } from '../../activities/ports';
import type { Findings, Sop, ToolRun } from '../../core/domain';
import type { StructuredModel } from '../../core/llm';
import { unsupportedClaims } from '../../activities/drafting/outcomes';

/**
 * Issue 11, finding 2 (second half): the draft said "We have revoked the exposed credential", copied from
 * the SOP, when nothing had been revoked. Every library SOP is driven here through the success, failure
 * and not-run outcome of each of its tools, and of the security protocol's revocation beside it. The claim
 * check below is this test's own (past-tense statements), not the drafter's.
 */
const kb = createKnowledgeBase({ sopsDir: path.join(__dirname, '..', '..', 'sops'), scoreFloor: 3 });
const ctx = { ticketId: 'rc-1', userId: 'mona', orgId: 'acme-corp' };
const analysis = {
  intent: 'x',
  urgency: 'high' as const,
  tone: 'neutral' as const,
  topic: 'A&S' as const,
  topics: [],
  is_sensitive: true,
};

type Outcome = 'success' | 'failure' | 'not-run';
const OUTCOMES: Outcome[] = ['success', 'failure', 'not-run'];
const EFFECTS: Record<string, { target: string; claimed: RegExp }> = {
  revoke_tokens: { target: 'ghp_****L4m', claimed: /\b(?:revoked|invalidated|deactivated)\b/ },
  refund: { target: 'txn_48214', claimed: /\brefunded\b|\brefund (?:has been|was|is) (?:issued|processed|sent)\b/ },
  reset_2fa: { target: 'two-factor authentication of mona', claimed: /\bwe (?:have )?reset\b.*\b(?:two-factor|2fa)\b/ },
  lock_account: {
    target: 'suspended the account hubot',
    claimed: /\bwe (?:have )?suspended\b|\b(?:has|have) been suspended\b/,
  },
  change_owner: {
    target: 'made hubot the owner of acme-corp',
    claimed: /\bwe (?:have )?(?:made|transferred)\b.*\bowner/,
  },
  change_plan: {
    target: 'plan of acme-corp from pro to free',
    claimed: /\bwe (?:have )?(?:changed|downgraded|upgraded)\b.*\bplan\b/,
  },
};
/** What a successful account change reports (account-tools.ts). */
const CHANGED: Record<string, string> = {
  reset_2fa: 'reset the two-factor authentication of mona; set it up again at the next sign-in',
  lock_account: 'suspended the account hubot',
  change_owner: 'made hubot the owner of acme-corp',
  change_plan: 'changed the plan of acme-corp from pro to free',
};

function run(tool: string, outcome: Outcome): ToolRun | undefined {
  if (outcome === 'not-run') return undefined;
  if (outcome === 'failure')
    return { tool, ok: false, summary: `${tool} failed: the service did not answer`, output: {} };
  if (tool === 'revoke_tokens')
    return {
      tool,
      ok: true,
      summary: 'Revoked 1 credential(s): ghp_****L4m (revoked)',
      output: { revoked: [{ masked: 'ghp_****L4m', status: 'revoked' }] },
    };
  if (tool === 'refund')
    return {
      tool,
      ok: true,
      summary: 'refunded txn_48214 (4 USD)',
      output: { refunded: true, id: 'txn_48214', amountCents: 400, currency: 'USD' },
    };
  if (CHANGED[tool]) return { tool, ok: true, summary: CHANGED[tool], output: { changed: true } };
  return { tool, ok: true, summary: `${tool}: nothing unusual`, output: {} };
}

function* combinations(tools: string[]): Generator<Record<string, Outcome>> {
  if (!tools.length) {
    yield {};
    return;
  }
  const [first, ...rest] = tools;
  for (const o of OUTCOMES) for (const tail of combinations(rest)) yield { [first!]: o, ...tail };
}

/** Sentences claiming a tool's action happened (past tense, not negated, not pending). */
function claims(text: string, tool: string): boolean {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .some(
      (s) =>
        EFFECTS[tool]!.claimed.test(s.toLowerCase()) && !/\b(?:not|could not|cannot|waiting|once|if|will)\b/i.test(s),
    );
}

describe('a reply says only what happened', () => {
  it("every library SOP x every outcome of each of its tools (and of the protocol's revocation)", async () => {
    const drafter = createDrafter({ sopById: (id) => kb.all().find((s) => s.id === id) });
    let cases = 0;
    for (const sop of kb.all()) {
      for (const outcomes of combinations([...sop.allowedTools, 'protocol:revoke_tokens'])) {
        const runs = sop.allowedTools.map((t) => run(t, outcomes[t]!)).filter((r): r is ToolRun => Boolean(r));
        const protocol = run('revoke_tokens', outcomes['protocol:revoke_tokens']!);
        const findings: Findings = { topic: sop.topic, sopId: sop.id, summary: 's', steps: [], toolRuns: runs };
        const input: DraftInput = {
          ctx,
          analysis: { ...analysis, topic: sop.topic },
          redactedText: 'help',
          findings: [findings],
          version: 1,
          ...(protocol ? { actions: [protocol] } : {}),
        };
        const { text } = await drafter.draft(input, () => {});
        const all = [...runs, ...(protocol ? [protocol] : [])];
        for (const tool of Object.keys(EFFECTS)) {
          const done = all.some((r) => r.tool === tool && r.ok);
          const label = `${sop.id} ${JSON.stringify(outcomes)}`;
          if (!done) assert.ok(!claims(text, tool), `${label}: claims ${tool} that did not succeed:\n${text}`);
          else
            assert.ok(
              text.includes(EFFECTS[tool]!.target),
              `${label}: the successful ${tool} is not mentioned:\n${text}`,
            );
        }
        cases++;
      }
    }
    assert.ok(cases >= kb.all().length * 3, `${cases} cases`);
  });

  it("a model's reply that claims a revocation nobody did is refused, and passes when the run did it", async () => {
    const model: StructuredModel = {
      id: 'fake',
      invoke: async () => ({}) as never,
      stream: async () => 'Hi. We have revoked the exposed credential and you are safe now.',
    } as unknown as StructuredModel;
    const drafter = createDrafter({ sopById: () => undefined as Sop | undefined, model });
    const base: DraftInput = { ctx, analysis, redactedText: 'x', findings: [], version: 1 };
    assert.match((await drafter.draft(base, () => {})).violation ?? '', /claims an action that did not happen: revoke/);
    const revoked = run('revoke_tokens', 'success')!;
    assert.equal((await drafter.draft({ ...base, actions: [revoked] }, () => {})).violation, undefined);
  });
});

// Issue 11: the check worked per kind of action, so one real refund let a reply claim any other.
describe('claims are checked per item', () => {
  const refund = (id: string): ToolRun => ({
    tool: 'refund',
    ok: true,
    summary: `refunded ${id} (4 USD)`,
    output: { refunded: true, id, amountCents: 400, currency: 'USD' },
  });
  const revoke = (entries: { masked: string; status: string }[]): ToolRun => ({
    tool: 'revoke_tokens',
    ok: true,
    summary: 'Revoked',
    output: { revoked: entries },
  });

  it('a refund claim naming a charge no run refunded is unsupported, even beside one that was', () => {
    assert.deepEqual(unsupportedClaims('We have refunded txn_48214.', [refund('txn_48214')]), []);
    assert.deepEqual(unsupportedClaims('We have refunded txn_48214 and txn_63001.', [refund('txn_48214')]), ['refund']);
  });

  it('a credential found already revoked is no revocation of ours, and naming one we did not revoke is refused', () => {
    const before = revoke([{ masked: 'ghp_…Ec3Y', status: 'already_revoked' }]);
    assert.deepEqual(unsupportedClaims('We have revoked the exposed credential.', [before]), ['revoke']);
    const mixed = revoke([
      { masked: 'ghp_…Ec3Y', status: 'revoked' },
      { masked: 'ghp_…Zz99', status: 'already_revoked' },
    ]);
    assert.deepEqual(unsupportedClaims('We have revoked the credential ghp_…Ec3Y.', [mixed]), []);
    assert.deepEqual(unsupportedClaims('We have revoked the credentials ghp_…Ec3Y and ghp_…Zz99.', [mixed]), [
      'revoke',
    ]);
  });
});
