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

  it('masks personal data (email, phone, card) and keeps what operators need (addresses, versions, ids)', () => {
    const { logger, lines } = createCapturingLogger('worker');
    logger.info('customer jane.doe@example.com paid with 4111 1111 1111 1111', { note: 'call +1 415 555 0100', broker: '127.0.0.1:9092', ref: 'order 12345678, v1.2.3, PR #4521' });
    const text = JSON.stringify(lines[0]);
    for (const pii of ['jane.doe@example.com', '4111 1111 1111 1111', '415 555 0100']) assert.ok(!text.includes(pii), `${pii} leaked: ${text}`);
    assert.equal(lines[0]?.broker, '127.0.0.1:9092');
    assert.equal(lines[0]?.ref, 'order 12345678, v1.2.3, PR #4521');
  });
});
