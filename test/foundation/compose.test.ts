/**
 * The production compose file parses with a real Compose client (no engine needed) and has every service the
 * system needs, wired to each other by environment.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { findComposeClient } from '../../scripts/infra/compose-client';

const root = path.resolve(__dirname, '..', '..');
const composeFile = path.join(root, 'temporal-docker-compose.yml');
const client = findComposeClient();
const skip = client
  ? false
  : 'no Docker Compose client on this machine (npm test installs docker-compose when run as root)';

function compose(args: string[], env: NodeJS.ProcessEnv = {}) {
  assert.ok(client);
  return spawnSync(client.command, [...client.prefix, '-f', composeFile, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, JWT_SECRET: 'compose-validation-only', ...env },
  });
}

/** One service's lines in the rendered file (services are indented two spaces under `services:`). */
function serviceBlock(rendered: string, name: string): string {
  const services = rendered.slice(Math.max(0, rendered.search(/^services:$/m) - 1));
  const start = services.indexOf(`\n  ${name}:\n`);
  assert.ok(start >= 0, `service ${name} not in the rendered file`);
  const rest = services.slice(start + name.length + 5);
  const end = rest.search(/\n {2}\S|\n\S/);
  return end < 0 ? rest : rest.slice(0, end);
}

describe('temporal-docker-compose.yml', { skip }, () => {
  it('is valid for the compose client and has every service the system needs', () => {
    const result = compose(['config', '--services']);
    assert.equal(result.status, 0, result.stderr);
    const services = result.stdout.trim().split('\n');
    for (const name of ['temporal', 'temporal-ui', 'postgresql', 'kafka', 'worker', 'gateway']) {
      assert.ok(services.includes(name), `service ${name} missing (found ${services.join(', ')})`);
    }
  });

  it('wires the apps to Temporal and Kafka by environment', () => {
    const result = compose(['config']);
    assert.equal(result.status, 0, result.stderr);
    // The resolved file, service by service: each app carries the cluster addresses.
    const resolved = result.stdout;
    for (const app of ['worker', 'gateway']) {
      const block = serviceBlock(resolved, app);
      assert.match(block, /TEMPORAL_ADDRESS: temporal:7233/, `${app} is not pointed at temporal:7233`);
      assert.match(block, /KAFKA_BROKERS: kafka:9092/, `${app} is not pointed at kafka:9092`);
      // Instances share state only through the database: every store on the one PostgreSQL.
      for (const v of ['SOP', 'MEMORY', 'WS_TICKET', 'RATE_LIMIT', 'DESK'])
        assert.match(block, new RegExp(`${v}_DATABASE_URL: postgres://\\S+@postgresql:5432/ticketflow`), `${app} ${v}`);
    }
    assert.match(serviceBlock(resolved, 'temporal-ui'), /TEMPORAL_ADDRESS: temporal:7233/);
    assert.match(serviceBlock(resolved, 'temporal'), /POSTGRES_SEEDS: postgresql/);
    assert.match(serviceBlock(resolved, 'gateway'), /JWT_SECRET: compose-validation-only/);
  });

  it('refuses to render without a JWT secret for the gateway', () => {
    const result = compose(['config', '--services'], { JWT_SECRET: '' });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /JWT_SECRET/);
  });
});
