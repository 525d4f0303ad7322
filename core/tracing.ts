/**
 * OpenTelemetry for one process (worker or gateway): a tracer provider registered once, with the exporter the
 * config names (OTLP/HTTP, console) or a processor a test hands in. Nothing is registered when tracing is off,
 * so the API's calls stay no-ops and callers skip their span code altogether.
 *
 * Trace context crosses Kafka in W3C `traceparent`/`tracestate` record headers; the helpers here read and
 * write them so no other module touches the propagation API. Span attributes carry ids, kinds, counts and
 * outcomes only: never ticket text, never a secret.
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { TracingConfig } from './config-tracing';

export { SpanKind };

export interface Tracing {
  readonly tracer: Tracer;
  /** Also fed the workflow sandbox's spans (the Temporal interceptors' sink). */
  readonly processor: SpanProcessor;
  readonly resource: Resource;
  /** Exports what is buffered (tests read spans after it). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

let registered: Tracing | undefined;

function configuredProcessor(cfg: TracingConfig): SpanProcessor | undefined {
  if (cfg.exporter === 'otlp') return new BatchSpanProcessor(new OTLPTraceExporter({ url: cfg.tracesUrl }));
  if (cfg.exporter === 'console') return new SimpleSpanProcessor(new ConsoleSpanExporter());
  return undefined;
}

/**
 * Registers the process's tracer provider, or returns undefined when tracing is off. One provider per process
 * (the context manager and propagator are global): a second call returns the first.
 */
export function startTracing(
  cfg: TracingConfig,
  role: string,
  opts: { processor?: SpanProcessor } = {},
): Tracing | undefined {
  if (registered) return registered;
  const processor = opts.processor ?? configuredProcessor(cfg);
  if (!processor) return undefined;
  const resource = new Resource({ 'service.name': cfg.serviceName ?? `ticketflow-${role}` });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  // The AsyncLocalStorage context manager (a span stays current across awaits) and the W3C propagator.
  provider.register();
  registered = {
    tracer: provider.getTracer('ticketflow'),
    processor,
    resource,
    flush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      registered = undefined;
    },
  };
  return registered;
}

/** Runs `fn` in a new span that is current inside it; the span records a throw and ends when `fn` settles. */
export async function inSpan<T>(
  tracer: Tracer,
  name: string,
  opts: { kind?: SpanKind; attributes?: Attributes; parent?: Context },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const span = tracer.startSpan(
    name,
    { kind: opts.kind, attributes: opts.attributes },
    opts.parent ?? context.active(),
  );
  try {
    return await context.with(trace.setSpan(opts.parent ?? context.active(), span), () => fn(span));
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.name : 'error' });
    throw err;
  } finally {
    span.end();
  }
}

/** The current trace context as record headers (`traceparent`, and `tracestate` when set). */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(ctx, headers);
  return headers;
}

type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

const headerGetter: TextMapGetter<Record<string, HeaderValue>> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    const value = carrier[key];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/** The trace context a Kafka record (or an HTTP request's headers) carries; the root context when none. */
export function contextFromHeaders(headers: Record<string, HeaderValue> | undefined): Context {
  return headers ? propagation.extract(ROOT_CONTEXT, headers, headerGetter) : ROOT_CONTEXT;
}
