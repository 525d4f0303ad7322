/**
 * Records the saved history of a held credential revocation (issue 11) for the replay test: on the real stack
 * (real activities and back office, with revocation held for a person), a customer pastes a token; the
 * security team confirms the proposal, which runs the revocation while the ticket is still held; then they
 * release it, the draft is approved, the reply goes out, and the ticket is closed. Run with the infra up:
 * `npx tsx test/workflow/helpers/record-revocation-history.ts [prefix]`. Re-record only on purpose (see
 * replay.test.ts); a prefix (`shape5-`, as record-history.ts takes it) keeps the older shapes' files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DEMO_TOKENS } from '../../../activities/security/store';
import { workflowIdFor } from '../../../workflows/state';
import { stackCalls, type TicketView } from '../../actions/stack-calls';
import { startStack, type Stack } from '../../e2e/stack';
import { testTemporalAddress, testTemporalNamespace } from '../../helpers/infra';
import { historyToJSON } from './history-json';

const out = path.resolve(
  __dirname,
  `../../fixtures/histories/${process.argv[2] ?? ''}ticket-held-revocation-confirm-reply.json`,
);

/** Fails with the step's name when an agent's call is refused. */
function accepted(step: string, res: { status: number; body: unknown }): void {
  if (res.status !== 200) throw new Error(`${step}: ${res.status} ${JSON.stringify(res.body)}`);
}

async function record(stack: Stack): Promise<string> {
  const { openTicket, agent, waitState } = stackCalls<TicketView>(() => stack);
  const token = DEMO_TOKENS.find((t) => t.user === 'mona')!.value;
  const id = await openTicket('mona', `My CI keeps failing with ${token} as the credential, please help.`);
  const held = await waitState(
    id,
    (s) => s.awaiting === 'human' && (s.proposals ?? []).some((p) => p.kind === 'revoke_credentials'),
    'held with a revocation proposal',
  );
  const proposalId = held.proposals!.find((p) => p.kind === 'revoke_credentials')!.id;
  accepted('confirm', await agent(id, 'proposals', { proposalId, decision: 'confirm', note: 'contain' }));
  await waitState(id, (s) => s.proposals?.[0]?.status === 'executed', 'the revocation run at the confirm');
  accepted('release', await agent(id, 'release', { note: 'contained' }));
  const drafted = await waitState(id, (s) => s.awaiting === 'review' && s.draft !== null, 'a draft in review');
  accepted('approve', await agent(id, 'review', { action: 'approve', draftVersion: drafted.draft!.version }));
  await waitState(id, (s) => s.reply !== null && s.awaiting === 'feedback', 'the reply sent, feedback awaited');
  await stack.tickets.close(id, { by: 'agent-ann', reason: 'contained and answered' });
  return id;
}

async function main(): Promise<void> {
  const stack = await startStack({ env: { ACTIONS_UNATTENDED: 'duplicate_refund' } });
  const connection = await Connection.connect({ address: testTemporalAddress() });
  try {
    const id = await record(stack);
    const handle = new Client({ connection, namespace: testTemporalNamespace() }).workflow.getHandle(workflowIdFor(id));
    await handle.result();
    const history = await handle.fetchHistory();
    fs.writeFileSync(out, historyToJSON(history));
    process.stdout.write(`recorded ${path.basename(out)}: ${history.events?.length} events\n`);
  } finally {
    await connection.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`record-revocation-history: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
