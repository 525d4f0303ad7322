/**
 * Formatting a KRaft node's storage with the arguments infra and the test brokers use, on the real Kafka jars:
 * a cluster id that starts with '-' (one random id in 64) must format like any other. Given as `-t <id>`, the
 * tool took such an id for an option and every start of that node failed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../core/config';
import { requireJava } from '../../scripts/infra/java';
import { formatStorageArgs, installKafka } from '../../scripts/infra/kafka';
import { infraPaths } from '../../scripts/infra/paths';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-kafka-format-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function format(clusterId: string): { status: number | null; stderr: string; meta?: string } {
  const cfg = loadConfig({ TICKETFLOW_DATA_DIR: process.env.TICKETFLOW_DATA_DIR });
  const libs = path.join(installKafka(cfg, infraPaths(cfg)), '*');
  const data = path.join(dir, `data-${clusterId}`);
  const file = path.join(dir, `server-${clusterId}.properties`);
  fs.writeFileSync(
    file,
    [
      'process.roles=broker,controller',
      'node.id=1',
      'controller.quorum.voters=1@127.0.0.1:9',
      'listeners=PLAINTEXT://127.0.0.1:8,CONTROLLER://127.0.0.1:9',
      'controller.listener.names=CONTROLLER',
      `log.dirs=${data}`,
      '',
    ].join('\n'),
  );
  const out = spawnSync(
    requireJava(),
    ['-Xmx128m', '-cp', libs, 'kafka.tools.StorageTool', ...formatStorageArgs(file, clusterId)],
    { encoding: 'utf8' },
  );
  const metaFile = path.join(data, 'meta.properties');
  return {
    status: out.status,
    stderr: out.stderr,
    meta: fs.existsSync(metaFile) ? fs.readFileSync(metaFile, 'utf8') : undefined,
  };
}

describe('Kafka storage format arguments', () => {
  for (const clusterId of ['-x3Nq0dXTaeHvFgJ1Ky2Qw', 'Zx3Nq0dXTaeHvFgJ1Ky2Qw']) {
    it(`format a node under cluster id ${clusterId}`, () => {
      const result = format(clusterId);
      assert.equal(result.status, 0, result.stderr.slice(-500));
      assert.match(result.meta ?? '', new RegExp(`cluster\\.id=${clusterId}`));
    });
  }
});
