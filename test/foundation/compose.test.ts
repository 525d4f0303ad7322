/**
 * The production compose file parses with a real Compose client (no engine needed) and has every service the
 * system needs, wired to each other by environment.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
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
    env: {
      ...process.env,
      JWT_SECRET: 'compose-validation-only',
      USER_ID_SECRET: 'compose-validation-only-user-id-secret',
      ...env,
    },
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
    for (const name of [
      'temporal',
      'temporal-ui',
      'postgresql',
      'kafka',
      'worker',
      'gateway-a',
      'gateway-b',
      'gateway-lb',
    ]) {
      assert.ok(services.includes(name), `service ${name} missing (found ${services.join(', ')})`);
    }
  });

  it('wires the apps to Temporal and Kafka by environment', () => {
    const result = compose(['config']);
    assert.equal(result.status, 0, result.stderr);
    // The resolved file, service by service: each app carries the cluster addresses.
    const resolved = result.stdout;
    for (const app of ['worker', 'gateway-a', 'gateway-b']) {
      const block = serviceBlock(resolved, app);
      assert.match(block, /TEMPORAL_ADDRESS: temporal:7233/, `${app} is not pointed at temporal:7233`);
      assert.match(block, /KAFKA_BROKERS: kafka:9092/, `${app} is not pointed at kafka:9092`);
      // Instances share state only through the database: every store on the one PostgreSQL.
      for (const v of ['SOP', 'MEMORY', 'WS_TICKET', 'RATE_LIMIT', 'DESK'])
        assert.match(block, new RegExp(`${v}_DATABASE_URL: postgres://\\S+@postgresql:5432/ticketflow`), `${app} ${v}`);
    }
    assert.match(serviceBlock(resolved, 'temporal-ui'), /TEMPORAL_ADDRESS: temporal:7233/);
    assert.match(serviceBlock(resolved, 'temporal'), /POSTGRES_SEEDS: postgresql/);
    for (const gw of ['gateway-a', 'gateway-b']) {
      assert.match(serviceBlock(resolved, gw), /JWT_SECRET: compose-validation-only/);
      assert.match(serviceBlock(resolved, gw), /USER_ID_SECRET: compose-validation-only-user-id-secret/);
      assert.match(serviceBlock(resolved, gw), new RegExp(`GATEWAY_INSTANCE_ID: ${gw}\\n`), `${gw} has its own id`);
    }
  });

  it('puts both gateways behind one load balancer that passes WebSocket upgrades', () => {
    const result = compose(['config']);
    assert.equal(result.status, 0, result.stderr);
    const lb = serviceBlock(result.stdout, 'gateway-lb');
    // Only the balancer is published; the gateways are reached through it.
    assert.match(lb, /published: 8080|8080:8080/);
    for (const gw of ['gateway-a', 'gateway-b']) {
      assert.doesNotMatch(serviceBlock(result.stdout, gw), /\n {4}ports:/, `${gw} publishes no port`);
      assert.match(lb, new RegExp(`${gw}:\\n\\s+condition: service_healthy`), `the balancer waits for ${gw}`);
    }
    const mount = /(\S*deploy\/nginx-gateways\.conf):\/etc\/nginx\/nginx\.conf:ro/.exec(lb);
    assert.ok(mount, `the balancer mounts deploy/nginx-gateways.conf (got ${lb})`);
    const conf = fs.readFileSync(path.join(root, 'deploy', 'nginx-gateways.conf'), 'utf8');
    for (const gw of ['gateway-a', 'gateway-b']) assert.match(conf, new RegExp(`server ${gw}:8080;`));
    assert.match(conf, /proxy_http_version 1\.1;/);
    assert.match(conf, /proxy_set_header Upgrade \$http_upgrade;/);
    assert.match(conf, /proxy_set_header Connection \$connection_upgrade;/);
    assert.match(conf, /listen 8080;/);
  });

  it('refuses to render without a JWT secret for the gateway', () => {
    const result = compose(['config', '--services'], { JWT_SECRET: '' });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /JWT_SECRET/);
  });

  it('refuses to render without the key of the pseudonyms for the gateway', () => {
    const result = compose(['config', '--services'], { USER_ID_SECRET: '' });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /USER_ID_SECRET/);
  });
});
