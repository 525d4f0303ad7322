/** Logger: every line names its component (and ticket); secrets come out masked wherever they sit. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCapturingLogger } from '../../core/logger';

// Made-up credentials of the right shapes.
const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEiLCJqdGkiOiJhYmMifQ.c2lnbmF0dXJlLW5vdC1yZWFs';
const githubToken = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
const password = 'hunter2-correct-horse';

describe('logger', () => {
  it('masks a JWT, a GitHub token and a password in the message', () => {
    const { logger, lines } = createCapturingLogger('test');
    logger.info(`auth with ${jwt} then ${githubToken}, password=${password}`);
    const text = JSON.stringify(lines);
    for (const secret of [jwt, githubToken, password]) assert.ok(!text.includes(secret), `${secret.slice(0, 8)}… leaked: ${text}`);
    assert.match(String(lines[0]?.message), /masked/);
  });

  it('masks secrets in fields, by key and by shape, and keeps the ticket id', () => {
    const { logger, lines } = createCapturingLogger('gateway');
    logger.child({ ticketId: 'T-42' }).warn('upgrade refused', { headers: { authorization: `Bearer ${jwt}` }, apiKey: 'sk-abcdefghijklmnopqrstu', note: githubToken });
    const [line] = lines;
    assert.equal(line?.component, 'gateway');
    assert.equal(line?.ticketId, 'T-42');
    const text = JSON.stringify(line);
    for (const secret of [jwt, githubToken, 'sk-abcdefghijklmnopqrstu']) assert.ok(!text.includes(secret), `leaked: ${text}`);
  });
});
