/**
 * The worker's own Prometheus metrics, on a registry of its own (two workers in one test process never share
 * counters): every activity by name and outcome, and its duration, counted by an activity interceptor, so a
 * model call, a tool run or a publish that starts failing shows without reading a log. Model calls are counted
 * by model, call and outcome with their latency (core/llm-observed.ts), proposed side effects by kind and
 * outcome as the activities see them (proposed, preapproved, executed, failed), and a person's confirm or
 * decline by kind as the workflow applies it (its sink, workflows/sinks.ts).
 */
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ProposalObserver } from '../activities/proposal-activities';
import type { ModelObserver } from '../core/llm-observed';
import type { TicketMetricSinks } from '../workflows/sinks';

export interface WorkerMetrics {
  registry: Registry;
  activities: Counter<'activity' | 'outcome'>;
  activitySeconds: Histogram<'activity'>;
  /** Counts and times every activity the worker runs. */
  interceptor: ActivityInterceptorsFactory;
  /** For createIntelligence: every model call. */
  models: ModelObserver;
  /** For createActivities: proposals found and run; with proposalSinks, decided by a person. */
  proposals: ProposalObserver;
}

/** The workflow's sink for a person's decision on a proposal, counted by `observer` (none: dropped). */
export function proposalSinks(observer?: ProposalObserver): InjectedSinks<TicketMetricSinks> {
  return { ticketMetrics: { proposalDecided: { fn: (_info, kind, decision) => observer?.decided(kind, decision) } } };
}

export function createWorkerMetrics(opts: { taskQueue: string; defaultMetrics?: boolean }): WorkerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ task_queue: opts.taskQueue });
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'ticketflow_worker_' });
  const activities = new Counter({
    name: 'ticketflow_worker_activities_total',
    help: 'Activities run, by name and outcome (completed, failed, cancelled)',
    labelNames: ['activity', 'outcome'] as const,
    registers: [registry],
  });
  const activitySeconds = new Histogram({
    name: 'ticketflow_worker_activity_seconds',
    help: 'Activity run time, by name (model calls and tool runs are activities)',
    labelNames: ['activity'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const modelCalls = new Counter({
    name: 'ticketflow_worker_model_calls_total',
    help: 'Model calls, by model, call (triage, feedback, stream...) and outcome (ok or the error code)',
    labelNames: ['model', 'call', 'outcome'] as const,
    registers: [registry],
  });
  const modelSeconds = new Histogram({
    name: 'ticketflow_worker_model_call_seconds',
    help: 'Model call latency, by model and call (a stream until its last chunk)',
    labelNames: ['model', 'call'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
    registers: [registry],
  });
  const proposalCount = new Counter({
    name: 'ticketflow_worker_proposals_total',
    help: 'Proposed side effects, by kind and outcome (proposed: waits for a person; preapproved; executed; failed)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const decisionCount = new Counter({
    name: 'ticketflow_worker_proposal_decisions_total',
    help: "A person's decisions on proposed side effects, by kind and decision (confirm, decline)",
    labelNames: ['kind', 'decision'] as const,
    registers: [registry],
  });
  const models: ModelObserver = {
    modelCall({ model, call, outcome, seconds }) {
      modelCalls.inc({ model, call, outcome });
      modelSeconds.observe({ model, call }, seconds);
    },
  };
  const proposals: ProposalObserver = {
    proposal: (kind, outcome) => proposalCount.inc({ kind, outcome }),
    decided: (kind, decision) => decisionCount.inc({ kind, decision }),
  };
  const interceptor: ActivityInterceptorsFactory = (ctx) => ({
    inbound: {
      async execute(input, next) {
        const activity = ctx.info.activityType;
        const end = activitySeconds.startTimer({ activity });
        try {
          const out = await next(input);
          activities.inc({ activity, outcome: 'completed' });
          return out;
        } catch (err) {
          activities.inc({ activity, outcome: ctx.cancellationSignal.aborted ? 'cancelled' : 'failed' });
          throw err;
        } finally {
          end();
        }
      },
    },
  });
  return { registry, activities, activitySeconds, interceptor, models, proposals };
}
