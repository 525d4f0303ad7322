/**
 * The one way the gateway, the console API and the ops CLI talk to ticket workflows: creating (create.ts),
 * the actions (actions.ts), reads of one ticket (here) and lists (list.ts). Every error comes back in the
 * project's family (errors.ts): not_found, conflict, bad_input, upstream_unavailable.
 */
import { Client, WorkflowUpdateStage, type UpdateDefinition } from '@temporalio/client';
import type { Tracer } from '@opentelemetry/api';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import { config as processConfig, type Config } from '../core/config';
import { ticketIdSchema } from '../core/events';
import { workflowIdFor } from '../workflows/state';
import { actionBounds, resultOnceAccepted } from './accept-deadline';
import { createTicketActions } from './actions';
import { retryWhileBusy } from './busy-retry';
import { temporalConnection } from './connection';
import { ticketStateQuery, type MessageAck } from './contract';
import { createTicketCreator } from './create';
import { checkTicketId, isNotFound, mapTicketError } from './errors';
import { createTemporalProbe, type TemporalProbe, type TemporalProbeOptions } from './health';
import { createDeskFigures } from './figures';
import { createTicketLister } from './list';
import { snapshotOf, type CreatedTicket, type TicketOwner, type TicketSnapshot, type Ticket } from './types';
import type { TicketWorkflow } from './workflow-type';

export interface TicketClientOptions {
  client: Client;
  /** Namespace, task queue and ticket durations; defaults to the process config. */
  config?: Config;
}

export function createTicketClient(opts: TicketClientOptions) {
  const { client } = opts;
  const cfg = opts.config ?? processConfig();
  const handle = (ticketId: string) =>
    client.workflow.getHandle<TicketWorkflow>(workflowIdFor(checkTicketId(ticketId)));

  async function describeStatus(ticketId: string): Promise<string | null> {
    try {
      return (await handle(ticketId).describe()).status.name;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  const mapError = (err: unknown, ticketId: string) => mapTicketError(err, ticketId, () => describeStatus(ticketId));

  /** Runs one call on one ticket's handle with the errors mapped. */
  async function onTicket<T>(ticketId: string, fn: (h: ReturnType<typeof handle>) => Promise<T>): Promise<T> {
    try {
      return await fn(handle(ticketId));
    } catch (err) {
      throw await mapError(err, ticketId);
    }
  }

  /** The whole state (works on closed tickets too, while a worker runs). */
  const getState = (ticketId: string): Promise<Ticket> => onTicket(ticketId, (h) => h.query(ticketStateQuery));

  /** Whose ticket it is: the start's memo (answered by the server alone), else the state. */
  async function ownerOf(ticketId: string): Promise<TicketOwner> {
    const memo = (await onTicket(ticketId, (h) => h.describe())).memo as Partial<TicketOwner> | undefined;
    if (typeof memo?.userId === 'string' && typeof memo.orgId === 'string')
      return { userId: memo.userId, orgId: memo.orgId };
    const s = await getState(ticketId);
    return { userId: s.userId, orgId: s.orgId };
  }

  async function existing(ticketId: string): Promise<CreatedTicket & { owner: TicketOwner }> {
    const s = await getState(ticketId);
    return {
      ticketId,
      status: s.status,
      queue: s.queue,
      lastSeq: s.lastSeq,
      owner: { userId: s.userId, orgId: s.orgId },
    };
  }

  const send = <A>(
    ticketId: string,
    def: UpdateDefinition<MessageAck, [A]>,
    arg: A,
    updateId?: string,
  ): Promise<MessageAck> =>
    onTicket(ticketId, (h) =>
      retryWhileBusy(() =>
        resultOnceAccepted(client, actionBounds(cfg, updateId !== undefined), () =>
          h.startUpdate(def, {
            args: [arg],
            waitForStage: WorkflowUpdateStage.ACCEPTED,
            ...(updateId ? { updateId } : {}),
          }),
        ),
      ),
    );

  return {
    ...createTicketCreator({ client, config: cfg, mapError, existing }),
    ...createTicketLister(client),
    ...createDeskFigures(client),
    ...createTicketActions(send),
    getState,
    ownerOf,

    /** What a stream subscriber needs first: the durable events so far. Null when there is no such ticket. */
    async getSnapshot(ticketId: string): Promise<TicketSnapshot | null> {
      if (!ticketIdSchema.safeParse(ticketId).success) return null;
      try {
        return snapshotOf(await handle(ticketId).query(ticketStateQuery));
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },

    /** The ticket's final outcome (waits for the workflow to finish). */
    result: (ticketId: string) => onTicket(ticketId, (h) => h.result()),

    handle,
  };
}

export type TicketClient = ReturnType<typeof createTicketClient>;

/**
 * Connects to the configured Temporal and returns a ticket client plus `disconnect()`. The connection is lazy:
 * a process that starts while Temporal is down comes up, reports itself unready and answers 503 until
 * Temporal is back, instead of failing to start.
 */
/**
 * Attempts per gRPC call while Temporal does not answer: about half a second of retries (the SDK's default
 * of 10 takes some 20 s). A person or a load balancer waiting on the HTTP API is better served by a prompt
 * 503 with Retry-After than by a request that hangs through the outage.
 */
const RPC_ATTEMPTS = 4;

/**
 * With a tracer, starts, updates, signals and queries are client spans whose context the workflow continues;
 * `onCall` is told each Temporal call by its method (client/connection.ts).
 */
export function connectTicketClient(
  cfg: Config = processConfig(),
  tracer?: Tracer,
  onCall?: (method: string) => void,
): ConnectedTicketClient {
  const connection = temporalConnection({ address: cfg.temporal.address, maxAttempts: RPC_ATTEMPTS, onCall });
  const client = new Client({
    connection,
    namespace: cfg.temporal.namespace,
    interceptors: { workflow: tracer ? [new OpenTelemetryWorkflowClientInterceptor({ tracer })] : [] },
  });
  return {
    ...createTicketClient({ client, config: cfg }),
    probe: (probeOpts) => createTemporalProbe(connection, probeOpts),
    disconnect: () => connection.close(),
  };
}

export type ConnectedTicketClient = TicketClient & {
  /** A cached health check of this connection's Temporal, for readiness. */
  probe(opts?: TemporalProbeOptions): TemporalProbe;
  disconnect(): Promise<void>;
};
