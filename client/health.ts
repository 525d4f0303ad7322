/**
 * Is Temporal answering? A gRPC health check with a short deadline, its answer kept briefly so a load
 * balancer polling /readyz every second costs Temporal one check per `cacheMs`, and concurrent polls share
 * the check in flight.
 */
import type { Connection } from '@temporalio/client';
import { grpc } from '@temporalio/proto';

export interface TemporalProbeOptions {
  /** How long one check may take before Temporal counts as down. @default 1000 */
  timeoutMs?: number;
  /** How long an answer is reused. @default 2000 */
  cacheMs?: number;
}

export interface TemporalProbe {
  /** True when Temporal answered SERVING within the timeout (now or less than `cacheMs` ago). */
  check(): Promise<boolean>;
}

const SERVING = grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING;

export function createTemporalProbe(
  connection: Pick<Connection, 'healthService' | 'withDeadline'>,
  opts: TemporalProbeOptions = {},
): TemporalProbe {
  const timeoutMs = opts.timeoutMs ?? 1_000;
  const cacheMs = opts.cacheMs ?? 2_000;
  let last: { at: number; ok: boolean } | undefined;
  let inflight: Promise<boolean> | undefined;

  async function probe(): Promise<boolean> {
    try {
      const res = await connection.withDeadline(Date.now() + timeoutMs, () => connection.healthService.check({}));
      return res.status === SERVING;
    } catch {
      return false;
    }
  }

  return {
    check() {
      if (last && Date.now() - last.at < cacheMs) return Promise.resolve(last.ok);
      inflight ??= probe().then((ok) => {
        last = { at: Date.now(), ok };
        inflight = undefined;
        return ok;
      });
      return inflight;
    },
  };
}
