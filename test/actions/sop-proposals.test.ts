import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createKnowledgeBase } from '../../activities/knowledge';
import { createPostgresSopStore } from '../../activities/knowledge/sop-store-pg';
import { createSqliteSopStore, type SopStore } from '../../activities/knowledge/sop-store';
import { loadConfig } from '../../core/config';
import { TicketflowError } from '../../core/errors';
import { startTestPostgres } from '../helpers/postgres';
import { freshIntelligence, tempDir } from '../intelligence/helpers';

const sopsDir = `${__dirname}/../../sops`;
const floor = loadConfig({}).knowledge.scoreFloor;
const ticket = 'Our Pages site custom domain certificate is not renewing, HTTPS shows an expired certificate';
const title = 'Pages custom domain certificate renewal';
const v1 =
  '## Steps\n1. Check the DNS records of the custom domain.\n2. Remove and re-add the domain to trigger certificate renewal.\n';
const v2 = '## Steps\n1. Check the CAA records of the custom domain.\n2. Re-add the domain to renew the certificate.\n';

// Issue 11, finding 7: a provided SOP went straight into the library for every customer, and a later SOP
// with the same title overwrote it.
describe('SOPs from people are proposals', () => {
  it('a provided SOP serves its ticket at once but is not in the library until another agent approves it', async () => {
    const { intel } = await freshIntelligence();
    assert.equal(await intel.knowledge.findSop('DevSupport', ticket), null);
    const proposed = await intel.knowledge.saveSop('DevSupport', title, v1, 'agent-ana', 'tk-1');
    assert.equal(
      (await intel.knowledge.sopById(proposed.id))?.body,
      v1.trim(),
      'the ticket it was given for gets it back by id',
    );
    assert.equal(await intel.knowledge.findSop('DevSupport', ticket), null, 'not for other customers before approval');
    await intel.close();
  });

  for (const engine of ['SQLite', 'PostgreSQL'] as const) {
    describe(`on ${engine}`, () => {
      let pgServer: Awaited<ReturnType<typeof startTestPostgres>> = null;
      after(async () => pgServer?.stop());
      const open = async (): Promise<SopStore | null> => {
        if (engine === 'SQLite') return createSqliteSopStore(tempDir());
        pgServer ??= await startTestPostgres();
        return pgServer ? createPostgresSopStore(await pgServer.database()) : null;
      };

      it('versions are kept with who and when, never overwritten; the library serves the latest approved one, on every worker', async (t) => {
        const store = await open();
        if (!store) return t.skip('no PostgreSQL installed on this machine');
        const worker1 = createKnowledgeBase({ sopsDir, store, scoreFloor: floor });
        const worker2 = createKnowledgeBase({ sopsDir, store, scoreFloor: floor });
        const first = await worker1.saveSop('DevSupport', title, v1, 'agent-ana', 'tk-1');
        assert.equal(first.id, 'human-pages-custom-domain-certificate-renewal@1');
        await assert.rejects(
          worker1.approveSop(first.id, 'agent-ana'),
          (e: unknown) => e instanceof TicketflowError && e.code === 'policy',
          'the author cannot approve',
        );
        assert.equal(await worker2.findSop('DevSupport', ticket), null);
        await worker1.approveSop(first.id, 'agent-bo');
        assert.equal((await worker2.findSop('DevSupport', ticket))?.id, first.id, 'another worker sees the approval');

        const second = await worker2.saveSop('DevSupport', title, v2, 'agent-cy', 'tk-2');
        assert.equal(second.id, 'human-pages-custom-domain-certificate-renewal@2');
        assert.equal(
          (await worker1.findSop('DevSupport', ticket))?.id,
          first.id,
          'version 1 serves until version 2 is approved',
        );
        await worker2.approveSop('human-pages-custom-domain-certificate-renewal', 'agent-ana');
        assert.equal((await worker1.findSop('DevSupport', ticket))?.id, second.id);

        const versions = await store.versions('human-pages-custom-domain-certificate-renewal');
        assert.deepEqual(
          versions.map((v) => [v.version, v.author, v.ticketId, v.approvedBy, v.body]),
          [
            [1, 'agent-ana', 'tk-1', 'agent-bo', v1.trim()],
            [2, 'agent-cy', 'tk-2', 'agent-ana', v2.trim()],
          ],
        );
        assert.ok(
          versions.every((v) => !Number.isNaN(Date.parse(v.createdAt)) && !Number.isNaN(Date.parse(v.approvedAt!))),
        );
        await store.close();
      });
    });
  }
});
