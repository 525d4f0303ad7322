/**
 * One ticket, one trace, on the real stack (Temporal dev server, Kafka, the gateway): the HTTP request's span
 * is the root; the Temporal client's start, the workflow's activity schedule, the activity run, its Kafka
 * publish and the gateway's fan-out of that record all carry its trace id, each under the span before it.
 * Spans go to an in-memory exporter. No span says anything of the ticket's text, and the traced run replays.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { loadConfig } from '../../core/config';
import { startTracing, type Tracing } from '../../core/tracing';
import { WORKFLOW_INTERCEPTOR_MODULE, workerTracing } from '../../worker-ops/tracing';
import { PATCHES } from '../../workflows/patches';
import { workflowIdFor } from '../../workflows/state';
import { call } from '../api/http';
import { startStack, type Stack } from '../e2e/stack';
import { testConfig } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { recordedPatches } from './patch-markers';

const exporter = new InMemorySpanExporter();
let tracing: Tracing | undefined;
let stack: Stack;

// A word no span may carry: the ticket's text stays out of the trace.
const MARKER = 'quokkaventure';
const TEXT = `My invoice download fails with an error page since yesterday, reference ${MARKER}. Please help.`;

before(async () => {
  tracing = startTracing(testConfig().tracing, 'test', { processor: new SimpleSpanProcessor(exporter) });
  stack = await startStack({ tracing });
});

after(async () => {
  await stack?.stop();
  await tracing?.shutdown();
});

const spans = () => exporter.getFinishedSpans();
const byName = (list: ReadableSpan[], name: string) => list.filter((s) => s.name === name);
const parentOf = (s: ReadableSpan) => s.parentSpanId;

describe('tracing config', () => {
  test('off unless an exporter or an OTLP endpoint is configured', () => {
    assert.equal(loadConfig({}).tracing.exporter, 'none');
    const otlp = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing;
    assert.deepEqual([otlp.exporter, otlp.tracesUrl], ['otlp', 'http://collector:4318/v1/traces']);
    assert.equal(loadConfig({ OTEL_TRACES_EXPORTER: 'console' }).tracing.exporter, 'console');
    assert.throws(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector' }), /OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});

describe('one ticket, one trace', () => {
  test("a caller's traceparent is continued by the request span", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await fetch(`${stack.url}/v1/session`, {
      headers: {
        authorization: `Bearer ${stack.token('agent', 'agent-ann')}`,
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
    });
    assert.equal(res.status, 200);
    const span = await waitFor(() => byName(spans(), 'GET /v1/session')[0], { message: 'the session span' });
    assert.deepEqual([span.spanContext().traceId, span.parentSpanId], [traceId, '00f067aa0ba902b7']);
  });

  test('from the HTTP request through the workflow and its activity to the Kafka record and the fan-out', async () => {
    const token = stack.token('customer', 'tracy');
    const res = await call(stack.url, 'POST', '/v1/tickets', { token, body: { text: TEXT } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const ticketId = (res.body as { ticketId: string }).ticketId;

    const http = await waitFor(() => byName(spans(), 'POST /v1/tickets')[0], { message: 'the request span' });
    const traceId = http.spanContext().traceId;
    assert.equal(http.attributes['http.response.status_code'], 201);
    assert.equal(parentOf(http), undefined, 'the request is the root');
    const inTrace = () => spans().filter((s) => s.spanContext().traceId === traceId);

    // The gateway has fanned out a record the triage activity published: the whole path has ended by then.
    const delivered = await waitFor(
      () => {
        const list = inTrace();
        const runs = new Map(byName(list, 'RunActivity:triageTicket').map((s) => [s.spanContext().spanId, s]));
        const publishes = list.filter((s) => s.name.endsWith(' publish') && runs.has(parentOf(s) ?? ''));
        const ids = new Set(publishes.map((s) => s.spanContext().spanId));
        const deliver = list.find((s) => s.name.endsWith(' deliver') && ids.has(parentOf(s) ?? ''));
        // The workflow's own spans leave through its sink when its task completes, after the activity's.
        const scheduled = byName(list, 'StartActivity:triageTicket').length > 0;
        return deliver && scheduled ? { list, deliver } : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100, message: "the fan-out of a record the ticket's triage published" },
    );
    const { list, deliver } = delivered;
    const named = (name: string) => list.find((s) => s.name === name);

    // The Temporal client's call is a child of the request; the workflow continues it.
    const start = list.find((s) => parentOf(s) === http.spanContext().spanId && /Workflow/.test(s.name));
    assert.ok(start, `a Temporal client span under the request: ${list.map((s) => s.name).join(', ')}`);
    const schedule = named('StartActivity:triageTicket');
    assert.ok(schedule, `the workflow scheduled the triage activity in this trace: ${list.map((s) => s.name).join()}`);
    const run = list.find((s) => s.name === 'RunActivity:triageTicket');
    assert.equal(run && parentOf(run), schedule.spanContext().spanId, 'the activity runs under its schedule');
    assert.equal(deliver.attributes['ticketflow.ticket_id'], ticketId);

    for (const s of spans()) {
      const seen = JSON.stringify([s.name, s.attributes, s.events, s.status]);
      assert.ok(!seen.includes(MARKER), `span ${s.name} carries the ticket text: ${seen}`);
    }

    // The traced run replays through a production-shaped bundle: its spans change no command.
    const connection = await Connection.connect({ address: stack.config.temporal.address });
    try {
      const client = new Client({ connection, namespace: stack.config.temporal.namespace });
      assert.ok((await recordedPatches(client, ticketId)).includes(PATCHES.tracingInterceptors));
      const history = await client.workflow.getHandle(workflowIdFor(ticketId)).fetchHistory();
      const workflowBundle = await bundleWorkflowCode({
        workflowsPath: path.resolve(__dirname, '../../workflows'),
        workflowInterceptorModules: [WORKFLOW_INTERCEPTOR_MODULE],
        logger: new DefaultLogger('WARN'),
      });
      await Worker.runReplayHistory({ workflowBundle, sinks: workerTracing(undefined).sinks }, history, ticketId);
    } finally {
      await connection.close();
    }
  });
});
