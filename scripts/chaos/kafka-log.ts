/**
 * The whole ticket-events topic of the chaos broker, read back from the start once the run is over: the
 * ground truth each subscriber is checked against. Token previews are dropped; repeats are kept (the
 * producer's retries and a workflow's retried publishes may write a seq twice, which subscribers must drop).
 */
import { logLevel } from 'kafkajs';
import type { Config } from '../../core/config';
import { decodeTicketEvent, type TicketEvent } from '../../core/events';
import { createKafka } from '../../core/kafka';

export interface KafkaLog {
  /** Durable events per ticket in log order, repeats included. */
  byTicket: Map<string, TicketEvent[]>;
  records: number;
  undecodable: number;
}

export async function readKafkaLog(cfg: Config, timeoutMs = 120_000): Promise<KafkaLog> {
  const kafka = createKafka(cfg.kafka, { logLevel: logLevel.NOTHING });
  const topic = cfg.kafka.ticketEventsTopic;
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, number>();
  try {
    for (const p of await admin.fetchTopicOffsets(topic))
      if (Number(p.high) > Number(p.low)) ends.set(p.partition, Number(p.high));
  } finally {
    await admin.disconnect();
  }
  const log: KafkaLog = { byTicket: new Map(), records: 0, undecodable: 0 };
  if (ends.size === 0) return log;
  const consumer = kafka.consumer({ groupId: `chaos-audit-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read the Kafka log for ${timeoutMs} ms without reaching its end`)),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            log.records++;
            const decoded = decodeTicketEvent(message.key, message.value);
            if (!decoded.ok) log.undecodable++;
            else if (decoded.event.type !== 'token') {
              const list = log.byTicket.get(decoded.event.ticketId) ?? [];
              list.push(decoded.event);
              log.byTicket.set(decoded.event.ticketId, list);
            }
            if (Number(message.offset) + 1 >= (ends.get(partition) ?? 0)) ends.delete(partition);
            if (ends.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return log;
}
