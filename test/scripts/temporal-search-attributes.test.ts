/**
 * The dev server keeps search-attribute definitions cached (DEV_SERVER_SETTINGS, issue 9): an attribute added
 * while it runs (a server started by an older checkout that lacks one today's code sets) is refused for a
 * second or two. The infra's readiness covers it: once `ensureTemporal` returns, a ticket may set it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { loadConfig } from '../../core/config';
import { freePorts } from '../../scripts/chaos/ports';
import { infraPaths } from '../../scripts/infra/paths';
import { pollUntil, portOpen } from '../../scripts/infra/proc';
import { ensureTemporal, stopTemporal, temporalBinary, ticketSearchAttributeTypes } from '../../scripts/infra/temporal';
import { DEV_SERVER_SETTINGS } from '../../scripts/infra/temporal-settings';
import { ticketTextKey } from '../../workflows/search-attributes';
import { uniqueName } from '../helpers/infra';

describe('the dev server and its search attributes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-temporal-sa-'));
  let cfg: ReturnType<typeof loadConfig>;
  let server: ChildProcess | undefined;

  before(async () => {
    const [port, uiPort] = (await freePorts(2)) as [number, number];
    // Its own server, whatever the shared servers' addresses in this process's environment say.
    const env: NodeJS.ProcessEnv = {
      TICKETFLOW_DATA_DIR: dir,
      TEMPORAL_PORT: String(port),
      TEMPORAL_UI_PORT: String(uiPort),
    };
    if (process.env.TICKETFLOW_TOOLS_DIR) env.TICKETFLOW_TOOLS_DIR = process.env.TICKETFLOW_TOOLS_DIR;
    cfg = loadConfig(env);
  });

  after(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await stopTemporal(infraPaths(cfg)); // only if a failed run started one of its own
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an attribute added to a running server is usable when ensureTemporal returns', { timeout: 180_000 }, async () => {
    // A dev server with today's settings that does not know TicketText: as if an older checkout had started it.
    const others = Object.entries(ticketSearchAttributeTypes).filter(([name]) => name !== ticketTextKey.name);
    server = spawn(
      await temporalBinary(cfg, infraPaths(cfg)),
      [
        ...['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(cfg.temporal.port)],
        ...['--log-level', 'warn', '--db-filename', path.join(dir, 'temporal.db')],
        ...DEV_SERVER_SETTINGS.flatMap((v) => ['--dynamic-config-value', v]),
        ...others.flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
      ],
      { stdio: 'ignore' },
    );
    const { host, port } = cfg.temporal;
    await pollUntil('the dev server listens', async () => (await portOpen(host, port)) || undefined, {
      timeoutMs: 90_000,
      alive: () => server?.exitCode === null,
    });
    // The port answers: ensureTemporal uses that server and registers what it lacks.
    const info = await ensureTemporal(cfg, infraPaths(cfg));
    assert.equal(info.startedHere, false, 'ensureTemporal used the running server');
    const connection = await Connection.connect({ address: cfg.temporal.address });
    try {
      const namespace = cfg.temporal.namespace;
      const handle = await new Client({ connection, namespace }).workflow.start('notRun', {
        taskQueue: uniqueName('sa'),
        workflowId: uniqueName('sa'),
        typedSearchAttributes: new TypedSearchAttributes([{ key: ticketTextKey, value: 'runners billing' }]),
      });
      await handle.terminate('only its start was tested');
    } finally {
      await connection.close();
    }
  });
});
