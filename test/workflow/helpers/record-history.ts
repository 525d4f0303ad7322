/**
 * Records the histories the replay test checks (`npx tsx test/workflow/helpers/record-history.ts [prefix]` with
 * the infra up). Re-record only on purpose: a history that no longer replays means the workflow changed in a way
 * running tickets would not survive (use patching instead). A prefix (`shape5-`) records today's shape beside
 * the older files instead of over them, so the older shapes stay guarded too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from './history-json';
import { NativeConnection } from '@temporalio/worker';
import { createKafkaPublisher } from '../../../activities/events';
import { createTicketClient } from '../../../client';
import { workflowIdFor, type TicketInput, type Ticket } from '../../../workflows/state';
import { createTopic, deleteTopic, testConfig, testTemporalAddress, uniqueName } from '../../helpers/infra';
import { bundleOnce, createTestWorker } from './harness';
import { createScriptedIntelligence, type Scenario } from './scripted-intelligence';
import { waitFor } from '../../helpers/wait';

const outDir = path.resolve(__dirname, '../../fixtures/histories');

async function main(): Promise<void> {
  const taskQueue = uniqueName('record');
  const topic = uniqueName('record-events');
  await createTopic(topic);
  const cfg = testConfig({
    TEMPORAL_TASK_QUEUE: taskQueue,
    KAFKA_TICKET_EVENTS_TOPIC: topic,
    KAFKA_ALERTS_TOPIC: topic,
    MAX_REDRAFTS: '2',
  });
  const scenarios = new Map<string, Scenario>([
    ['full', { missingSopFor: ['Billing'], healthy: true, orgAlert: true }],
    [
      'secure',
      { analysis: { topic: 'A&S', is_sensitive: true }, security: { risk_category: 'ATO', confidence_score: 0.95 } },
    ],
  ]);
  const { intelligence } = createScriptedIntelligence(scenarios);
  const publisher = await createKafkaPublisher(cfg.kafka);
  const native = await NativeConnection.connect({ address: testTemporalAddress() });
  const connection = await Connection.connect({ address: testTemporalAddress() });
  const client = new Client({ connection });
  const tickets = createTicketClient({ client, config: cfg });
  const worker = await createTestWorker({
    connection: native,
    taskQueue,
    bundle: await bundleOnce(),
    intelligence,
    publisher,
  });

  const until = (id: string, pred: (s: Ticket) => boolean) =>
    waitFor(async () => pred(await tickets.getState(id)), { timeoutMs: 20_000 });

  await worker.runUntil(async () => {
    // 1. SOP missing -> provided; follow-up message; reject -> redraft -> approve; after-runner; feedback; closed.
    const full = uniqueName('hist-full');
    const input: TicketInput = {
      ticketId: full,
      text: 'refund please [scenario:full]',
      userId: 'u1',
      orgId: 'o1',
      channel: 'web',
      durations: { afterRunnerDelayMs: 1_000, feedbackWindowMs: 60_000 },
      maxRedrafts: 2,
    };
    const h1 = await client.workflow.start('ticketWorkflow', {
      workflowId: workflowIdFor(full),
      taskQueue,
      args: [input],
    });
    await until(full, (s) => s.awaiting === 'sop');
    await tickets.provideSop(full, { title: 'Refunds', body: 'Check the transaction id.', author: 'mgr' });
    await until(full, (s) => s.awaiting === 'review');
    await tickets.addMessage(full, { text: 'any update?' });
    await tickets.review(
      full,
      { action: 'reject', draftVersion: 1, reviewer: 'r', reason: 'add the refund date' },
      'upd-1',
    );
    await until(full, (s) => s.awaiting === 'review' && s.draft?.version === 2);
    await h1.signal('review', { action: 'approve', draftVersion: 2, reviewer: 'r' });
    await until(full, (s) => s.awaiting === 'feedback');
    await h1.signal('feedback', { resolved: true, rating: 5, comment: 'thanks' });
    await h1.result();

    // 2. Security protocol -> hold -> release -> escalate -> close.
    const secure = uniqueName('hist-secure');
    const { ticketId } = await tickets.createTicket({
      ticketId: secure,
      text: 'someone took over my account [scenario:secure]',
      userId: 'u2',
      orgId: 'o1',
    });
    await until(ticketId, (s) => s.status === 'security_review' && s.awaiting === 'human');
    await tickets.release(ticketId, { reviewer: 'sec' });
    await until(ticketId, (s) => s.awaiting === 'review');
    await tickets.escalate(ticketId, { reason: 'VIP', by: 'lead' });
    await tickets.close(ticketId, { by: 'lead', reason: 'handled by phone' });

    fs.mkdirSync(outDir, { recursive: true });
    for (const [name, id] of [
      ['ticket-sop-redraft-feedback', full],
      ['ticket-security-release-close', secure],
    ] as const) {
      const history = await client.workflow.getHandle(workflowIdFor(id)).fetchHistory();
      fs.writeFileSync(path.join(outDir, `${process.argv[2] ?? ''}${name}.json`), historyToJSON(history));
      process.stdout.write(`recorded ${name}: ${history.events?.length} events\n`);
    }
  });
  await publisher.close();
  await deleteTopic(topic).catch(() => undefined);
  await connection.close();
  await native.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`record-history: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
