/**
 * The product's own reply sentences, as benign training rows for the guardrail's meaning head: every SOP's
 * reply drafted by the rules model (activities/drafting/template.ts) in each tone, with each kind of action
 * outcome and proposal. The live guardrail reads whole replies, greeting and outcome lines included, while
 * the paraphrase sets hold only sentences about controls: a head trained on those alone read "We are looking
 * into this and will follow up" as support announcing an act (p 0.98), which would have held every draft.
 */
import type { Findings, ProposedAction, Sop, ToolRun } from '../core/domain';
import { proposalStatement } from '../activities/drafting/outcomes';
import { composeReply } from '../activities/drafting/template';
import { sentences } from '../activities/guardrail/meaning';
import type { DraftInput } from '../activities/ports';

const RUNS: ToolRun[][] = [
  [],
  [
    {
      tool: 'revoke_tokens',
      ok: true,
      summary: 'Revoked 2 credential(s)',
      output: {
        revoked: [
          { masked: 'ghp_****L4m', status: 'revoked' },
          { masked: 'ghp_****9Qa', status: 'already_revoked' },
        ],
      },
    },
  ],
  [{ tool: 'revoke_tokens', ok: false, summary: 'revocation failed', output: {} }],
  [{ tool: 'refund', ok: true, summary: 'refunded 4.00 USD for the duplicate charge txn_2', output: {} }],
  [{ tool: 'refund', ok: false, summary: 'refund refused', output: { decision: 'refuse' } }],
  [
    {
      tool: 'change_plan',
      ok: false,
      summary: 'refused',
      output: { decision: 'refuse', reason: 'the requester is not an owner' },
    },
  ],
];

const TONES = ['frustrated', 'urgent', 'neutral'] as const;
const STATUSES = ['executed', 'failed', 'declined', 'confirmed', undefined] as const;

function proposals(): string[] {
  const out: string[] = [];
  for (const tool of ['reset_2fa', 'lock_account', 'change_owner', 'change_plan', 'refund'])
    for (const status of STATUSES) {
      const p: ProposedAction & { status?: (typeof STATUSES)[number] } = {
        id: `p-${tool}`,
        kind: tool === 'refund' ? 'refund' : 'account_change',
        tool,
        target: tool === 'refund' ? 'txn_2' : 'mona',
        input: { value: 'team' },
        reason: 'asked by the owner',
        ...(status ? { status } : {}),
      };
      out.push(proposalStatement(p));
    }
  return out;
}

export function productSentences(sops: Sop[]): string[] {
  const out = new Set(proposals());
  const draft = (sop: Sop | undefined, tone: (typeof TONES)[number], runs: ToolRun[], i: number) => {
    const topic = sop?.topic ?? 'A&S';
    const findings: Findings[] = [
      { topic, ...(sop ? { sopId: sop.id } : {}), summary: 'checked', steps: [], toolRuns: runs },
    ];
    if (i % 2) findings[0]!.needsHuman = 'a step';
    const input: DraftInput = {
      ctx: { ticketId: 't-1', userId: 'mona', orgId: 'acme-corp' },
      analysis: { intent: 'help', urgency: 'high', tone, topic, topics: [], is_sensitive: i % 3 === 0 },
      redactedText: '',
      findings,
      version: 1,
      history: tone === 'neutral' ? ['a 2FA reset in March'] : [],
      ...(tone === 'urgent' ? { brief: { summary: 'reviewed', actionsTaken: [], recommendations: [] } } : {}),
    };
    for (const s of sentences(composeReply(input, sop ? [sop] : []))) out.add(s);
  };
  for (const tone of TONES)
    RUNS.forEach((runs, i) => {
      draft(undefined, tone, runs, i);
      for (const sop of sops) draft(sop, tone, runs, i);
    });
  return [...out];
}
