/**
 * The setup of a workflow test on the dev server that starts its own workers: one bundle, a worker
 * connection (to `workerAddress`, e.g. a relay that can cut it off), a client and the ticket client, workers
 * for the config's task queue, and at the end every ticket the test started terminated. Registers the
 * file's before and after hooks.
 */
import { after, before } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createTicketClient, type TicketClient } from '../../../client';
import type { Config } from '../../../core/config';
import { workflowIdFor } from '../../../workflows/state';
import { testTemporalAddress, testTemporalNamespace } from '../../helpers/infra';
import { bundleOnce } from './harness';

export interface DevServerCase {
  bundle: WorkflowBundleWithSourceMap;
  native: NativeConnection;
  client: Client;
  tickets: TicketClient;
  namespace: string;
  /** Ticket ids to terminate at the end. */
  started: string[];
  /** A worker for the case's task queue on the bundle and the worker connection, with these activities. */
  worker(activities: object): Promise<Worker>;
}

export function devServerCase(
  cfg: Config,
  opts: { workerAddress?: () => Promise<string>; cleanup?: () => Promise<unknown> } = {},
): DevServerCase {
  const c = { namespace: testTemporalNamespace(), started: [] as string[] } as DevServerCase;
  c.worker = (activities) =>
    Worker.create({
      connection: c.native,
      namespace: c.namespace,
      taskQueue: cfg.temporal.taskQueue,
      workflowBundle: c.bundle,
      activities,
      shutdownGraceTime: '1s',
    });
  let connection: Connection | undefined;
  before(async () => {
    c.bundle = await bundleOnce();
    c.native = await NativeConnection.connect({
      address: opts.workerAddress ? await opts.workerAddress() : testTemporalAddress(),
    });
    connection = await Connection.connect({ address: testTemporalAddress() });
    c.client = new Client({ connection, namespace: c.namespace });
    c.tickets = createTicketClient({ client: c.client, config: cfg });
  });
  after(async () => {
    for (const id of c.started)
      await c.client?.workflow
        .getHandle(workflowIdFor(id))
        .terminate('test cleanup')
        .catch(() => undefined);
    await opts.cleanup?.();
    await connection?.close();
    // Throws while a worker still holds it (a body cut short by its bound): the process ends anyway.
    await c.native?.close().catch(() => undefined);
  });
  return c;
}
