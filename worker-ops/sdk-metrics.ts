/**
 * The Temporal SDK's own metrics (poll and task latencies, slots, sticky cache) on a Prometheus endpoint of the
 * SDK's core, beside the worker's ops port (which serves the worker's own metrics). The runtime is one per
 * process and must be installed before the first connection, so only the worker's entry point calls this.
 */
import { Runtime } from '@temporalio/worker';
import type { Config } from '../core/config';

/** Installs the runtime with the exporter when a port is configured; answers where it listens. */
export function installSdkMetrics(cfg: Pick<Config, 'worker'>): string | undefined {
  const { opsHost, sdkMetricsPort } = cfg.worker;
  if (sdkMetricsPort === undefined) return undefined;
  const bindAddress = `${opsHost}:${sdkMetricsPort}`;
  Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress } } } });
  return bindAddress;
}
