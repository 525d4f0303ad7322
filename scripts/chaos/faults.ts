/**
 * The faults, each bounded by a count: kill -9 the worker at random moments (and start it again), kill and
 * restart the gateway, stop and start Kafka, stop and start Temporal. Every fault is counted as it happens.
 */
import { delay } from '../infra/proc';
import type { ChaosStack } from './stack';

export interface FaultCounts {
  workerKills: number;
  gatewayRestarts: number;
  kafkaOutages: number;
  temporalOutages: number;
}

export type FaultPlan = Partial<Record<keyof FaultCounts, number>>;

export interface FaultTiming {
  /** Each worker kill comes this long after the worker is ready (ms, uniform). */
  workerGapMs: [number, number];
  /** Gateway restarts, outages: pause before each (ms, uniform). */
  gapMs: [number, number];
  /** How long Kafka or Temporal stays down (ms, uniform). */
  downMs: [number, number];
}

export const emptyCounts = (): FaultCounts => ({
  workerKills: 0,
  gatewayRestarts: 0,
  kafkaOutages: 0,
  temporalOutages: 0,
});

const between = ([lo, hi]: [number, number]) => lo + Math.random() * (hi - lo);

/**
 * Runs the plan's faults one kind after another; `log` says what happened when. No new fault starts after
 * `stopBy` (epoch ms), so a slow machine shortens the run instead of stretching it; the counts say what ran.
 */
export async function runFaults(
  stack: ChaosStack,
  plan: FaultPlan,
  timing: FaultTiming,
  counts: FaultCounts,
  log: (line: string) => void,
  stopBy = Infinity,
): Promise<void> {
  const more = (i: number, n = 0) => i < n && Date.now() < stopBy;
  for (let i = 0; more(i, plan.workerKills); i++) {
    // The replicas in turn, each at a random moment after it polls, while tickets flow through it.
    const worker = stack.workers[i % stack.workers.length]!;
    await stack.ready(worker);
    await delay(between(timing.workerGapMs));
    await stack.killApp(worker);
    counts.workerKills++;
    // Sometimes at once, sometimes after a pause: tasks then wait on the server for a worker.
    await delay(Math.random() < 0.7 ? 0 : between([500, 3_000]));
    stack.startApp(worker);
    if (counts.workerKills % 10 === 0) log(`worker kills: ${counts.workerKills}`);
  }
  for (let i = 0; more(i, plan.gatewayRestarts); i++) {
    await delay(between(timing.gapMs));
    await stack.killApp('gateway');
    await delay(300);
    stack.startApp('gateway');
    await stack.waitGatewayReady(60_000).catch((err: Error) => log(`gateway not ready again: ${err.message}`));
    counts.gatewayRestarts++;
    log(`gateway restarts: ${counts.gatewayRestarts}`);
  }
  const outages = [
    {
      name: 'Kafka',
      count: plan.kafkaOutages,
      stop: () => stack.stopKafka(),
      start: () => stack.startKafka(),
      done: () => ++counts.kafkaOutages,
    },
    {
      name: 'Temporal',
      count: plan.temporalOutages,
      stop: () => stack.stopTemporal(),
      start: () => stack.startTemporal(),
      done: () => ++counts.temporalOutages,
    },
  ];
  for (const o of outages) {
    for (let i = 0; more(i, o.count); i++) {
      await delay(between(timing.gapMs));
      await o.stop();
      const down = between(timing.downMs);
      await delay(down);
      await o.start();
      log(`${o.name} outages: ${o.done()} (down ${(down / 1000).toFixed(1)}s plus its stop and start)`);
    }
  }
}
