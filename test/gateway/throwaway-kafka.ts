/**
 * A private single-node Kafka for tests that stop and restart their broker (never the shared one): the infra
 * module's own launcher, pointed at free ports and a temporary data folder.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../core/config';
import { ensureKafka, stopKafka } from '../../scripts/infra/kafka';
import { infraPaths } from '../../scripts/infra/paths';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface ThrowawayKafka {
  brokers: string;
  config: Config;
  start(): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

export async function createThrowawayKafka(): Promise<ThrowawayKafka> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-kafka-'));
  const [port, controllerPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    TICKETFLOW_DATA_DIR: dataDir,
    KAFKA_TOPIC_PARTITIONS: '1',
  };
  delete env.KAFKA_BROKERS; // otherwise the launcher would treat the shared broker as "external" and start nothing
  const config = loadConfig(env);
  const paths = infraPaths(config);
  return {
    brokers: `127.0.0.1:${port}`,
    config,
    async start() {
      const info = await ensureKafka(config, paths);
      if (!info.startedHere && info.pid === undefined) throw new Error(`expected a private broker on ${port}`);
    },
    async stop() {
      await stopKafka(config, paths);
    },
    async destroy() {
      await stopKafka(config, paths).catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
