/**
 * Every workflow run the chaos run produced, from its own Temporal: status, non-determinism errors in the
 * history (workflow tasks failed with TMPRL1100 or "nondeterminism"), and a replay of each history against
 * the current workflow code (the prebuilt bundle, which the chaos run built from the working tree).
 */
import { Client, type WorkflowExecutionInfo } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { temporalConnection } from '../../client';
import type { Config } from '../../core/config';
import { WORKFLOW_BUNDLE_PATH } from '../../worker';

export interface RunInfo {
  workflowId: string;
  runId: string;
  status: string;
  startedAt: number;
  workflowTaskFailures: number;
  nondeterminism: string[];
  /** Set for a run whose replay against the current code failed. */
  replayError?: string;
  /** Whether the latest event is a failed workflow task (a run that cannot move on). */
  failingNow: boolean;
}

const NONDETERMINISM = /TMPRL1100|nondetermin/i;

export async function auditHistories(cfg: Config): Promise<RunInfo[]> {
  const connection = temporalConnection({ address: cfg.temporal.address });
  await connection.ensureConnected();
  const client = new Client({ connection, namespace: cfg.temporal.namespace });
  const runs: RunInfo[] = [];
  const histories: { workflowId: string; history: temporal.api.history.v1.IHistory }[] = [];
  try {
    const infos: WorkflowExecutionInfo[] = [];
    for await (const info of client.workflow.list({ query: `TaskQueue = '${cfg.temporal.taskQueue}'` }))
      infos.push(info);
    for (const info of infos) {
      const history = await client.workflow.getHandle(info.workflowId, info.runId).fetchHistory();
      const failed = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes);
      const nondeterminism = failed
        .map((e) => e.workflowTaskFailedEventAttributes?.failure?.message ?? '')
        .filter((m) => NONDETERMINISM.test(m));
      runs.push({
        workflowId: info.workflowId,
        runId: info.runId,
        status: info.status.name,
        startedAt: info.startTime.getTime(),
        workflowTaskFailures: failed.length,
        nondeterminism,
        failingNow: Boolean(history.events?.at(-1)?.workflowTaskFailedEventAttributes),
      });
      histories.push({ workflowId: info.workflowId, history });
    }
  } finally {
    await connection.close();
  }
  await replayAll(histories, runs);
  return runs;
}

async function replayAll(
  histories: { workflowId: string; history: temporal.api.history.v1.IHistory }[],
  runs: RunInfo[],
): Promise<void> {
  if (histories.length === 0) return;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // already installed in this process
  }
  const byRun = new Map(runs.map((r) => [r.runId, r]));
  const results = Worker.runReplayHistories(
    { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH }, replayName: 'chaos-replay' },
    histories,
  );
  for await (const result of results) {
    const run = byRun.get(result.runId);
    if (run && result.error) run.replayError = result.error.message.split('\n')[0];
  }
}
