/**
 * Each gateway samples the open queues into the memory database once per interval, under the interval's
 * bucket (activities/memory/queue-samples.ts keeps the first sample of a bucket), so the analytics can chart
 * queue sizes over time with no chosen writer among the gateways. A failed count or write skips that bucket:
 * the chart shows a gap, never a made-up number.
 */
import type { Logger } from '../../core/logger';
import type { QueueSamples } from '../../activities/memory/queue-samples';

export interface QueueSamplerOptions {
  countQueues(): Promise<Record<string, number>>;
  samples: Pick<QueueSamples, 'recordQueues'>;
  intervalMs: number;
  logger: Logger;
  now?: () => number;
}

/** Samples now and then every interval; answers the stop. */
export function startQueueSampler(opts: QueueSamplerOptions): () => void {
  const now = opts.now ?? Date.now;
  let running = false;
  const sample = async () => {
    if (running) return; // a slow count must not pile up behind itself
    running = true;
    const bucket = Math.floor(now() / opts.intervalMs) * opts.intervalMs;
    try {
      await opts.samples.recordQueues(bucket, await opts.countQueues());
    } catch (err) {
      opts.logger.warn('queue sample skipped', { bucket, err: (err as Error).message });
    } finally {
      running = false;
    }
  };
  void sample();
  const timer = setInterval(() => void sample(), opts.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
