/**
 * The TLS options of every Kafka client (kafkajs's and @platformatic/kafka's take Node's own), from the
 * validated settings: the certificate files are read here, per client, so a rotated file is read again by the
 * next connection's client.
 */
import fs from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { KafkaSecurity } from './config-kafka';

export function kafkaTlsOptions(tls: KafkaSecurity['tls']): ConnectionOptions | undefined {
  if (!tls) return undefined;
  const read = (file: string | undefined) => (file === undefined ? undefined : fs.readFileSync(file, 'utf8'));
  return {
    ca: read(tls.caFile),
    cert: read(tls.certFile),
    key: read(tls.keyFile),
    rejectUnauthorized: tls.rejectUnauthorized,
  };
}
