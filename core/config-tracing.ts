/**
 * The tracing part of the environment schema (core/config.ts), spread into it there. Off unless an exporter is
 * named or an OTLP endpoint is given: a deployment without a collector pays nothing for spans.
 */
import { z } from 'zod';
import { optionalString } from './config-types';

export const tracingEnv = {
  /** `otlp` (OTLP/HTTP to the endpoint), `console` (spans as JSON on stdout, for a look by hand) or `none`. */
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'console', 'none']).optional(),
  /** The collector's base URL (e.g. http://otel-collector:4318); setting it alone turns OTLP export on. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(z.url({ error: 'must be a URL' }).optional()),
  /** The `service.name` on every span; the process's role (worker, gateway) when unset. */
  OTEL_SERVICE_NAME: optionalString,
};

type TracingEnv = z.infer<z.ZodObject<typeof tracingEnv>>;

export interface TracingConfig {
  exporter: 'otlp' | 'console' | 'none';
  /** Where OTLP/HTTP spans go: the endpoint's /v1/traces. */
  tracesUrl: string | undefined;
  serviceName: string | undefined;
}

export function buildTracingConfig(env: TracingEnv): TracingConfig {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const exporter = env.OTEL_TRACES_EXPORTER ?? (endpoint ? 'otlp' : 'none');
  return {
    exporter,
    tracesUrl: endpoint ? `${endpoint.replace(/\/+$/, '')}/v1/traces` : undefined,
    serviceName: env.OTEL_SERVICE_NAME,
  };
}
