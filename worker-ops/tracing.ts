/**
 * The worker's side of tracing: the Temporal interceptors that continue a ticket's trace from the workflow's
 * headers into each activity, and the sink that takes the workflow sandbox's spans out to the process's span
 * processor. With tracing off the workflow interceptors still run (they are in the bundle), and their sink
 * drops what they make.
 */
import path from 'node:path';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  makeWorkflowExporter,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { WorkflowInfo } from '@temporalio/workflow';
import type { Tracing } from '../core/tracing';

/** workflows/interceptors.ts: bundled into every workflow bundle (scripts/infra/workflow-bundle.ts, worker.ts). */
export const WORKFLOW_INTERCEPTOR_MODULE = require.resolve(path.join(__dirname, '..', 'workflows', 'interceptors'));

export interface WorkerTracing {
  activity: ActivityInterceptorsFactory[];
  sinks: InjectedSinks<OpenTelemetrySinks>;
}

export function workerTracing(tracing: Tracing | undefined): WorkerTracing {
  if (!tracing) return { activity: [], sinks: { exporter: { export: { fn: () => undefined } } } };
  const options = { tracer: tracing.tracer };
  return {
    activity: [
      (ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx, options),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
    sinks: { exporter: withoutTicketData(makeWorkflowExporter(tracing.processor, tracing.resource)) },
  };
}

/**
 * The SDK's sink copies the whole WorkflowInfo into every workflow span's attributes: its search attributes
 * (TicketText holds the ticket's words) and memo (whose ticket it is) among them. Only the run's names go.
 */
function withoutTicketData(
  sink: InjectedSinks<OpenTelemetrySinks>['exporter'],
): InjectedSinks<OpenTelemetrySinks>['exporter'] {
  const { fn } = sink.export;
  return {
    export: {
      ...sink.export,
      fn: (info, spans) => {
        const { workflowId, runId, workflowType, taskQueue, namespace, attempt } = info;
        return fn({ workflowId, runId, workflowType, taskQueue, namespace, attempt } as WorkflowInfo, spans);
      },
    },
  };
}
