/**
 * The workflow interceptors bundled with the workflow code: OpenTelemetry's, from the SDK's own package, written
 * for the sandbox (span ids from the sandbox's seeded random, times from workflow time, spans out through a
 * sink, never by I/O). They are in every bundle the worker runs, so a run replays the same whether tracing is
 * on or off; the worker's sink exports or drops the spans.
 *
 * Behind the `tracingInterceptors` patch: the SDK's interceptors add a yield before each activity schedule in
 * any run whose history lacks the SDK's flag for avoiding it, which reorders commands, so a run recorded
 * before they were bundled replays without them. Only a run started with a trace context (a gateway with
 * tracing on) asks the patch: any other runs them as pass-throughs, with nothing made or recorded. A signal or
 * update handled before the run's first execute call is not traced (the patch is not asked yet), the same
 * way on replay.
 *
 * The SDK evaluates a bundle's modules afresh for every run, and OpenTelemetry's (with a tracer provider made
 * and registered) were 6.6 % of the workflow thread's CPU for runs that never trace (bench/e2e/profile.ts,
 * docs/benchmarks.md). So they are required, and the interceptors made, only once a run is known to be traced.
 */
import type * as Otel from '@temporalio/interceptors-opentelemetry/lib/workflow';
import {
  patched,
  workflowInfo,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
  type WorkflowInternalsInterceptor,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { PATCHES } from './patches';

/** The header the SDK's client interceptor puts a trace context in (its TRACE_HEADER; tracing-replay test checks). */
export const TRACE_HEADER = '_tracer-data';

/** The SDK's sandbox interceptors, loaded on first use in a run (a require, not an import, so it can wait). */
function loadOtel(): typeof Otel {
  return require('@temporalio/interceptors-opentelemetry/lib/workflow') as typeof Otel;
}

export const interceptors = (): WorkflowInterceptors => {
  let traced = false;
  // Made when the run turns out traced, before any call below can reach them.
  let inbound!: Otel.OpenTelemetryInboundInterceptor;
  let outbound!: Otel.OpenTelemetryOutboundInterceptor;
  let internals: Otel.OpenTelemetryInternalsInterceptor | undefined;
  const gatedInbound: WorkflowInboundCallsInterceptor = {
    execute(input, next) {
      // Started by a traced client or not is in the run's history, so the answer replays; an untraced run
      // never asks the patch live and records nothing for tracing. On replay it is always asked: runs recorded
      // before this gate (ce9231c to 84eae21) asked it without a header and hold its marker; asked on replay,
      // patched() is true only where the marker is, and records nothing (the chaos run of 07:43 UTC: every
      // such ticket failed each task on a worker with the gate, test/fixtures/histories).
      traced =
        (TRACE_HEADER in input.headers || workflowInfo().unsafe.isReplaying) && patched(PATCHES.tracingInterceptors);
      if (!traced) return next(input);
      const otel = loadOtel();
      inbound = new otel.OpenTelemetryInboundInterceptor();
      outbound = new otel.OpenTelemetryOutboundInterceptor();
      internals = new otel.OpenTelemetryInternalsInterceptor();
      return inbound.execute(input, next);
    },
    handleSignal: (input, next) => (traced ? inbound.handleSignal(input, next) : next(input)),
    handleUpdate: (input, next) => (traced ? inbound.handleUpdate(input, next) : next(input)),
    validateUpdate: (input, next) => (traced ? inbound.validateUpdate(input, next) : next(input)),
    handleQuery: (input, next) => (traced ? inbound.handleQuery(input, next) : next(input)),
  };
  const gatedOutbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input, next) => (traced ? outbound.scheduleActivity(input, next) : next(input)),
    scheduleLocalActivity: (input, next) => (traced ? outbound.scheduleLocalActivity(input, next) : next(input)),
    startChildWorkflowExecution: (input, next) =>
      traced ? outbound.startChildWorkflowExecution(input, next) : next(input),
    continueAsNew: (input, next) => (traced ? outbound.continueAsNew(input, next) : next(input)),
    signalWorkflow: (input, next) => (traced ? outbound.signalWorkflow(input, next) : next(input)),
    getLogAttributes: (input, next) => (traced ? outbound.getLogAttributes(input, next) : next(input)),
  };
  // Its only work is to stop the context manager that the inbound one started. The SDK's is declared async
  // but does all of it, next included, before returning.
  const gatedInternals: WorkflowInternalsInterceptor = {
    dispose(input, next) {
      if (internals) void internals.dispose(input, next);
      else next(input);
    },
  };
  return { inbound: [gatedInbound], outbound: [gatedOutbound], internals: [gatedInternals] };
};
