/**
 * The worker's own Prometheus metrics, on a registry of its own (two workers in one test process never share
 * counters): every activity by name and outcome, and its duration, counted by an activity interceptor, so a
 * model call, a tool run or a publish that starts failing shows without reading a log.
 */
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface WorkerMetrics {
  registry: Registry;
  activities: Counter<'activity' | 'outcome'>;
  activitySeconds: Histogram<'activity'>;
  /** Counts and times every activity the worker runs. */
  interceptor: ActivityInterceptorsFactory;
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
  return { registry, activities, activitySeconds, interceptor };
}
