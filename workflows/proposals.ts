/**
 * Proposed side effects on the ticket: what the agents' policy held for a person (and what it preapproved),
 * the people's decisions, and running the confirmed ones when the reply is approved. Nothing proposed runs
 * before that approval, so a rejected or never-approved draft leaves nothing done; a failed run stops the
 * reply and hands the ticket back to the reviewer with the failure.
 */
import type { ProposalRecord, ProposedAction, ToolRun } from '../core/domain';
import type { ProposalDecision } from '../core/ticket-actions';
import type { StepContext } from './steps/context';
import { actor } from './steps/context';
import type { Ticket } from './state';
import { ticketMetrics } from './sinks';
import type { TicketModel } from './ticket';
import { fail, nowIso } from './util';

const money = (p: ProposedAction) =>
  p.amountCents !== undefined ? ` (${(p.amountCents / 100).toFixed(2)}${p.currency ? ` ${p.currency}` : ''})` : '';

export const proposalsOf = (s: Ticket): ProposalRecord[] => s.proposals ?? [];

/** Proposals a person has not decided yet: approving (or sending) a reply waits for them. */
export const undecided = (s: Ticket) => proposalsOf(s).filter((p) => p.status === 'pending');

/** The proposals runs held for a person (the security protocol's revocation carries its own). */
export function heldProposals(runs: ToolRun[]): ProposedAction[] {
  return runs
    .filter((r) => r.output.decision === 'propose' && r.output.proposal)
    .map((r) => r.output.proposal as ProposedAction);
}

/** Takes the proposals an agent's investigation returned; one already on the ticket (same id) is kept as is. */
export function recordProposals(t: TicketModel, found: ProposedAction[] | undefined): void {
  if (!found?.length) return;
  const list = (t.s.proposals ??= []);
  for (const p of found) {
    if (list.some((x) => x.id === p.id)) continue;
    const rec: ProposalRecord = p.preapproved
      ? { ...p, status: 'confirmed', decidedBy: 'policy', decidedAt: nowIso() }
      : { ...p, status: 'pending' };
    list.push(rec);
    t.emit('message', {
      from: 'system',
      kind: 'proposal',
      proposalId: p.id,
      action: p.kind,
      target: p.target,
      ...(p.amountCents !== undefined ? { amountCents: p.amountCents } : {}),
      ...(p.currency ? { currency: p.currency } : {}),
      reason: p.reason,
      status: rec.status,
      text: p.preapproved
        ? `${p.tool} of ${p.target}${money(p)} runs when the reply is approved: ${p.reason}`
        : `${p.tool} of ${p.target}${money(p)} waits for a person's confirmation: ${p.reason}`,
    });
  }
}

/** The validator's checks for a person's decision on one proposal. */
export function checkDecision(t: TicketModel, d: ProposalDecision): void {
  const { s, work } = t;
  if (s.status === 'closed' || work.phase === 'done') throw fail('the ticket is closed');
  const p = proposalsOf(s).find((x) => x.id === d.proposalId);
  if (!p) throw fail(`no proposed action ${d.proposalId} on this ticket`);
  if (work.executingProposals) throw fail(`the confirmed actions are running now; ${d.proposalId} cannot change`);
  if (p.status === 'pending') return;
  if (p.status === 'confirmed' && d.decision === 'decline') return;
  throw fail(`${d.proposalId} is already ${p.status}${p.decidedBy ? ` (by ${p.decidedBy})` : ''}`);
}

export function recordDecision(t: TicketModel, d: ProposalDecision): void {
  const p = proposalsOf(t.s).find((x) => x.id === d.proposalId);
  if (!p) return;
  p.status = d.decision === 'confirm' ? 'confirmed' : 'declined';
  p.decidedBy = d.by;
  p.decidedAt = nowIso();
  if (d.note) p.note = d.note;
  ticketMetrics.proposalDecided(p.kind, d.decision);
  t.emit('message', {
    from: 'system',
    kind: 'proposal_decided',
    proposalId: p.id,
    status: p.status,
    by: d.by,
    ...(d.note ? { note: d.note } : {}),
    text: `${p.tool} of ${p.target}${money(p)} ${p.status} by ${d.by}`,
  });
}

/**
 * Runs every confirmed proposal (of those `only` picks), in order, and records each outcome (a declined one is
 * recorded as a run that did nothing, so the reply can say so). Answers the failure, if any run failed; the
 * rest still ran.
 */
export async function runConfirmed(c: StepContext, only?: (p: ProposalRecord) => boolean): Promise<string | null> {
  const { t } = c;
  const failures: string[] = [];
  t.work.executingProposals = true;
  try {
    for (const p of proposalsOf(t.s)) {
      if (p.status !== 'confirmed' || (only && !only(p))) continue;
      const run = await c.act.tools.executeProposal(actor(c), toAction(p));
      p.status = run.ok ? 'executed' : 'failed';
      p.outcome = run.summary;
      t.recordToolRun(run);
      if (!run.ok) failures.push(run.summary);
    }
  } finally {
    t.work.executingProposals = false;
  }
  return failures.length ? failures.join('; ') : null;
}

/** The proposal as it was proposed (the record's bookkeeping stays in the workflow). */
function toAction(p: ProposalRecord): ProposedAction {
  const { status: _s, decidedBy: _b, decidedAt: _a, note: _n, outcome: _o, ...action } = p;
  return action;
}
