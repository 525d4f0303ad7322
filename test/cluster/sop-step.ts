/**
 * The cluster test's SOP step: an SOP provided through gateway A, approved through gateway B, is used by a
 * ticket that a worker started after the SOP was saved picks up, while the worker that saved it is dead.
 * Every process has a data dir of its own, so the SOP can only reach that worker (and gateway B's approval
 * can only find it) through the shared store: a per-process library fails both.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createJwtAuth } from '../../gateway/auth/jwt';
import type { TicketApi } from '../../scripts/driver/api';
import { repoRoot } from '../../scripts/infra/paths';
import type { ClusterStack } from './stack';

/** Rules triage routes this text to Discourse; with no Discourse SOP in the library the ticket waits for one. */
const TEXT =
  'Our Pages site custom domain certificate is not renewing, HTTPS shows an expired certificate on the docs site';
const SOP_ID = 'human-pages-custom-domain-certificate-renewal@1';

/** A copy of sops/ without the Discourse SOPs, for SOPS_DIR (the caller removes it). */
export function sopsWithoutDiscourse(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-cluster-sops-'));
  for (const f of fs.readdirSync(path.join(repoRoot, 'sops')).filter((f) => !f.startsWith('discourse-')))
    fs.copyFileSync(path.join(repoRoot, 'sops', f), path.join(dir, f));
  return dir;
}

interface View {
  status: string;
  awaiting: string | null;
  sops: { sopId: string }[];
}

export interface SopStepResult {
  /** The tickets it opened (their workflows are left to the caller to end). */
  tickets: string[];
  /** The pid of the worker that was the only one alive when the second ticket ran. */
  freshWorkerPid: number;
}

/**
 * `survivor` is the only worker alive on entry: it saves the SOP. Then `fresh` starts and the survivor is
 * killed, so the second ticket can only run on `fresh`.
 */
export async function sopAcrossInstances(
  stack: ClusterStack,
  api: { A: TicketApi; B: TicketApi },
  survivor: string,
  fresh: string,
): Promise<SopStepResult> {
  const deadline = Date.now() + 120_000;
  const auth = createJwtAuth(stack.cfg.jwt);
  const customer = (sub: string) => auth.signAccessToken({ sub, role: 'customer', orgId: 'pages-corp' }, 3600_000);
  const approver = auth.signAccessToken({ sub: 'cluster-approver', role: 'agent', orgId: 'acme-corp' }, 3600_000);
  const open = async (at: TicketApi, who: string) => {
    const created = await at.call<{ ticketId: string }>('POST', '/v1/tickets', customer(who), { text: TEXT });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body!.ticketId;
  };
  const until = async (at: TicketApi, id: string, what: string, ok: (v: View) => boolean): Promise<View> => {
    for (;;) {
      const v = (await at.state(id)).body as View | undefined;
      if (v && ok(v)) return v;
      if (Date.now() > deadline) throw new Error(`timed out: ${what} (last: ${JSON.stringify(v)})`);
      await new Promise((r) => setTimeout(r, 300));
    }
  };

  const first = await open(api.A, 'pages-customer-1');
  await until(api.A, first, 'the first Pages ticket waits for an SOP', (v) => v.awaiting === 'sop');
  const provided = await api.A.call('POST', `/v1/tickets/${first}/sop`, api.A.agentToken, {
    title: 'Pages custom domain certificate renewal',
    body: '## Steps\n1. Check the DNS records of the custom domain.\n2. Remove and re-add the domain to renew the certificate.',
  });
  assert.equal(provided.status, 200, `the SOP provided through gateway A: ${JSON.stringify(provided.body)}`);
  await until(api.A, first, 'the first ticket uses the provided SOP', (v) => v.sops.some((s) => s.sopId === SOP_ID));

  const approved = await api.B.call('POST', `/v1/sops/${SOP_ID}/approve`, approver);
  assert.equal(approved.status, 200, `approved through gateway B: ${JSON.stringify(approved.body)}`);

  const worker = await stack.startWorker(fresh);
  await stack.kill(survivor);
  const second = await open(api.B, 'pages-customer-2');
  const used = await until(
    api.B,
    second,
    'the second ticket looks its SOP up',
    (v) => v.sops.length > 0 || v.awaiting === 'sop',
  );
  assert.deepEqual(
    used.sops.map((s) => s.sopId),
    [SOP_ID],
    'a worker that never saw the SOP uses it',
  );
  return { tickets: [first, second], freshWorkerPid: worker.child.pid! };
}
