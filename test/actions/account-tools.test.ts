/**
 * Issue 11: the facts behind each account change, on a real back-office store (SQLite in a temporary data
 * directory): who may ask for what, a change made once per ticket (a retried run reports its own change, a
 * second ticket finds it done), and the request reader taking only explicit requests.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { accountRequests } from '../../activities/agents/account-requests';
import { createAccountTools, executeAccountChange } from '../../activities/agents/account-tools';
import type { ActionRules } from '../../activities/policy';
import { openToolStore } from '../../activities/security/store';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'account-tools-'));
const db = openToolStore(dir);
after(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
const tools = createAccountTools(db);
const ctx = (userId: string, ticketId = 'acct-1') => ({ ticketId, userId, orgId: 'ignored-claim' });
const reason = (f: ReturnType<typeof tools.check>) => (f.ok ? f.summary : f.reason);
const rules: ActionRules = {
  refundMaxCents: 0,
  refundTicketMaxCents: 0,
  refundMaxAgeMs: 0,
  duplicateWindowMs: 0,
  unattended: [],
};

describe('account changes: the facts come from the back office', () => {
  it('only the org owner may transfer ownership, suspend a member or change the plan; never the owner suspended', () => {
    assert.match(
      reason(tools.check(ctx('hubot'), { tool: 'change_plan', target: 'acme-corp', value: 'free' })),
      /owner/,
    );
    assert.match(reason(tools.check(ctx('mona'), { tool: 'lock_account', target: 'octo-dev' })), /not a member/);
    assert.match(reason(tools.check(ctx('mona'), { tool: 'lock_account', target: 'mona' })), /owner cannot be/);
    assert.match(
      reason(tools.check(ctx('mona'), { tool: 'change_plan', target: 'acme-corp', value: 'gold' })),
      /no plan/,
    );
    assert.match(reason(tools.check(ctx('mona'), { tool: 'change_owner', target: 'initech', value: 'hubot' })), /own/);
    assert.match(reason(tools.check(ctx('mona'), { tool: 'reset_2fa', target: 'hubot' })), /holder/);
    const ok = tools.check(ctx('mona'), { tool: 'change_owner', target: 'acme-corp', value: 'hubot' });
    assert.deepEqual(ok, { ok: true, summary: 'made hubot the owner of acme-corp', doneByThisTicket: false });
  });

  it('runs once per ticket: a retry reports its own change; another ticket finds the facts changed', () => {
    const req = { tool: 'change_plan' as const, target: 'acme-corp', value: 'team' };
    const first = tools.apply(ctx('mona', 'acct-2'), req);
    assert.deepEqual(first, {
      ok: true,
      summary: 'changed the plan of acme-corp from pro to team',
      doneByThisTicket: false,
    });
    assert.equal(tools.apply(ctx('mona', 'acct-2'), req).ok, true, 'a retried run reports the change again');
    assert.match(reason(tools.apply(ctx('mona', 'acct-3'), req)), /already on the team plan/);
  });

  it('a confirmed proposal runs through the executor with its facts checked again', () => {
    const p = {
      id: 'lock_account:hubot',
      kind: 'account_change' as const,
      tool: 'lock_account',
      target: 'hubot',
      input: { target: 'hubot' },
      reason: 'waits for a person',
    };
    const run = executeAccountChange(tools, rules, ctx('mona', 'acct-4'), p);
    assert.deepEqual([run.ok, run.summary, run.output.decision], [true, 'suspended the account hubot', 'executed']);
    const again = executeAccountChange(tools, rules, ctx('mona', 'acct-5'), { ...p, id: 'lock_account:hubot' });
    assert.deepEqual([again.ok, again.output.decision], [false, 'failed']);
    assert.match(again.summary, /already suspended/);
  });

  it('reads only explicit requests, never a description of what happened', () => {
    assert.deepEqual(accountRequests('Please reset my 2FA, I lost my phone.', 'mona', 'acme-corp'), [
      { tool: 'reset_2fa', target: 'mona' },
    ]);
    assert.deepEqual(accountRequests('Someone disabled my 2FA and changed my email!', 'mona', 'acme-corp'), []);
    assert.deepEqual(
      accountRequests('Please make @hubot the new owner and suspend the user octo-dev.', 'mona', 'acme-corp'),
      [
        { tool: 'lock_account', target: 'octo-dev' },
        { tool: 'change_owner', target: 'acme-corp', value: 'hubot' },
      ],
    );
    assert.deepEqual(accountRequests('Please downgrade us to the free plan.', 'mona', 'acme-corp'), [
      { tool: 'change_plan', target: 'acme-corp', value: 'free' },
    ]);
  });
});
