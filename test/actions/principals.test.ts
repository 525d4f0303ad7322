import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createLogSearch } from '../../activities/agents';
import { freshIntelligence, tempDir } from '../intelligence/helpers';

// Issue 11, finding 4: `log_search` matched `user=<sub>` as a substring, so `mon` read `mona`'s audit lines.
describe('exact principals', () => {
  it('a key=value pattern matches the whole value: user=mon never returns user=mona', () => {
    const dir = path.join(tempDir(), 'audit');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'auth.log'),
      'at=1 user=mona action=login\nat=2 user=mon action=login\nat=3 user=mon-ops action=login\nat=4 user=MON action=sudo\n',
    );
    const logs = createLogSearch(dir);
    assert.deepEqual(logs.search({ file: 'auth.log', pattern: 'user=mon' }).lines, ['at=2 user=mon action=login']);
    assert.deepEqual(logs.search({ file: 'auth.log', pattern: 'user=mona' }).lines, ['at=1 user=mona action=login']);
    // A plain word still finds it anywhere (the tool stays a grep for everything that is not a principal).
    assert.equal(logs.search({ file: 'auth.log', pattern: 'login' }).lines.length, 3);
  });

  it("the A&S agent investigating customer `mon` sees none of `mona`'s audit lines", async () => {
    const { intel } = await freshIntelligence();
    const mon = { ticketId: 'pr-1', userId: 'mon', orgId: 'acme-corp' };
    const tri = await intel.triage.triage(
      mon,
      'Someone logged into my account from abroad and added an SSH key, not me',
    );
    const sop = (await intel.knowledge.findSop('A&S', tri.redactedText))!;
    const f = await intel.agents.investigate(mon, 'A&S', sop, tri.analysis, tri.redactedText);
    const search = f.toolRuns.find((r) => r.tool === 'log_search');
    assert.ok(search, 'the SOP runs log_search');
    assert.deepEqual((search.output as { lines: string[] }).lines, []);
    assert.ok(!JSON.stringify(f).includes('user=mona'));
    await intel.close();
  });
});
