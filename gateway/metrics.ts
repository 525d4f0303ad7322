/**
 * The gateway's Prometheus metrics, on a registry of its own so two gateways in one process (tests, the
 * benchmark) never share counters.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export function createGatewayMetrics(opts: { instanceId: string; defaultMetrics?: boolean }) {
  const registry = new Registry();
  registry.setDefaultLabels({ instance_id: opts.instanceId });
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'ticketflow_gateway_' });
  const m = {
    registry,
    sockets: new Gauge({
      name: 'ticketflow_gateway_sockets',
      help: 'Open WebSocket connections',
      registers: [registry],
    }),
    subscriptions: new Gauge({
      name: 'ticketflow_gateway_subscribed_tickets',
      help: 'Tickets with at least one open socket',
      registers: [registry],
    }),
    pendingConnections: new Gauge({
      name: 'ticketflow_gateway_pending_connections',
      help: 'Connections authenticated and waiting for their snapshot, and snapshot queries buffering for the streams that join them',
      registers: [registry],
    }),
    sessions: new Gauge({
      name: 'ticketflow_gateway_sessions',
      help: 'Open sessions by status',
      labelNames: ['status'],
      registers: [registry],
    }),
    snapshotQueries: new Counter({
      name: 'ticketflow_gateway_stream_snapshots_total',
      help: "Streams opening, by how they got their snapshot: asked (a query of their own) or joined (the ticket's query in flight)",
      labelNames: ['how'],
      registers: [registry],
    }),
    recordsIn: new Counter({
      name: 'ticketflow_gateway_records_in_total',
      help: 'Kafka records consumed',
      registers: [registry],
    }),
    recordsPublished: new Counter({
      name: 'ticketflow_gateway_records_published_total',
      help: 'Records published to a ticket topic with subscribers',
      registers: [registry],
    }),
    framesOut: new Counter({
      name: 'ticketflow_gateway_frames_out_total',
      help: 'Frames handed to sockets (a published record counts once per subscriber)',
      registers: [registry],
    }),
    dropped: new Counter({
      name: 'ticketflow_gateway_records_dropped_total',
      help: 'Valid records not delivered, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    malformed: new Counter({
      name: 'ticketflow_gateway_records_malformed_total',
      help: 'Records skipped as malformed, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    refused: new Counter({
      name: 'ticketflow_gateway_records_refused_total',
      help: 'Valid records refused as beyond what the workflow did (part, seq_jump, resolved, unverified)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    slowCloses: new Counter({
      name: 'ticketflow_gateway_slow_socket_closes_total',
      help: 'Sockets closed for exceeding the backpressure limit',
      registers: [registry],
    }),
    closes: new Counter({
      name: 'ticketflow_gateway_socket_closes_total',
      help: 'Socket closes by code',
      labelNames: ['code'],
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'ticketflow_gateway_consumer_lag',
      help: 'Records between the consumer position and the high watermark',
      labelNames: ['topic', 'partition'],
      registers: [registry],
    }),
    consumerReady: new Gauge({
      name: 'ticketflow_gateway_consumer_ready',
      help: '1 when the Kafka consumer is running and the breaker closed',
      registers: [registry],
    }),
    consumerFailures: new Counter({
      name: 'ticketflow_gateway_consumer_failures_total',
      help: 'Kafka consumer failures (crashes, failed connects)',
      registers: [registry],
    }),
    authFailures: new Counter({
      name: 'ticketflow_gateway_auth_failures_total',
      help: 'Refused tokens by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    upgrades: new Counter({
      name: 'ticketflow_gateway_upgrades_total',
      help: 'Stream upgrade attempts by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    temporalCalls: new Counter({
      name: 'ticketflow_gateway_temporal_calls_total',
      help: 'Calls this gateway made to Temporal, by method (QueryWorkflow, ExecuteMultiOperation...), retries not counted',
      labelNames: ['method'],
      registers: [registry],
    }),
    upgradeDrops: new Counter({
      name: 'ticketflow_gateway_upgrade_drops_total',
      help: 'Stream sockets uWS shut inside their own late upgrade (1006, README); the clients reconnect',
      registers: [registry],
    }),
  };
  return m;
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

/**
 * The consumer reports lag after every partition batch (hundreds a second at a steady rate), and prom-client
 * sorts and hashes the labels on every `set`: only a changed value is written. The gauge is only ever set
 * here, so the last value written per partition is the one it holds.
 */
export function lagReporter(metrics: GatewayMetrics): (topic: string, partition: number, lag: number) => void {
  const last = new Map<string, Map<number, number>>();
  return (topic, partition, lag) => {
    let byPartition = last.get(topic);
    if (!byPartition) last.set(topic, (byPartition = new Map<number, number>()));
    if (byPartition.get(partition) === lag) return;
    byPartition.set(partition, lag);
    metrics.consumerLag.set({ topic, partition: String(partition) }, lag);
  };
}
