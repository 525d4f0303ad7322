/**
 * An API request as a server span (tracing on): named by the route's pattern, never its ids or query, with the
 * answer's status. A caller's W3C `traceparent` is continued, so a proxy's trace reaches the workflow.
 */
import { SpanStatusCode, context, trace, type Tracer } from '@opentelemetry/api';
import { SpanKind, contextFromHeaders } from '../../core/tracing';

export const TRACE_HEADERS = ['traceparent', 'tracestate'] as const;

export interface RouteSpan {
  /** Runs the request's work with the span current (the Temporal client's spans become its children). */
  within<T>(fn: () => Promise<T>): Promise<T>;
  end(status: number): void;
}

export function startRouteSpan(
  tracer: Tracer | undefined,
  method: string,
  pattern: string,
  header: (name: string) => string,
): RouteSpan | undefined {
  if (!tracer) return undefined;
  const parent = contextFromHeaders(Object.fromEntries(TRACE_HEADERS.map((h) => [h, header(h) || undefined] as const)));
  const verb = method.toUpperCase();
  const span = tracer.startSpan(
    `${verb} ${pattern}`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': verb, 'http.route': pattern } },
    parent,
  );
  const current = trace.setSpan(parent, span);
  return {
    within: (fn) => context.with(current, fn),
    end(status) {
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}
