/** Logger: every line names its component (and ticket); secrets come out masked wherever they sit. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCapturingLogger, createLogger, rootLogger } from '../../core/logger';

// Made-up credentials of the right shapes.
const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEiLCJqdGkiOiJhYmMifQ.c2lnbmF0dXJlLW5vdC1yZWFs';
const githubToken = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
const password = 'hunter2-correct-horse';

describe('logger', () => {
  it('masks a JWT, a GitHub token and a password in the message', () => {
    const { logger, lines } = createCapturingLogger('test');
    logger.info(`auth with ${jwt} then ${githubToken}, password=${password}`);
    const text = JSON.stringify(lines);
    for (const secret of [jwt, githubToken, password])
      assert.ok(!text.includes(secret), `${secret.slice(0, 8)}… leaked: ${text}`);
    assert.match(String(lines[0]?.message), /masked/);
  });

  it('masks secrets in fields, by key and by shape, and keeps the ticket id', () => {
    const { logger, lines } = createCapturingLogger('gateway');
    logger.child({ ticketId: 'T-42' }).warn('upgrade refused', {
      headers: { authorization: `Bearer ${jwt}` },
      apiKey: 'sk-abcdefghijklmnopqrstu',
      note: githubToken,
    });
    const [line] = lines;
    assert.equal(line?.component, 'gateway');
    assert.equal(line?.ticketId, 'T-42');
    const text = JSON.stringify(line);
    for (const secret of [jwt, githubToken, 'sk-abcdefghijklmnopqrstu'])
      assert.ok(!text.includes(secret), `leaked: ${text}`);
  });

  it('masks personal data (email, phone, card) and keeps what operators need (addresses, versions, ids)', () => {
    const { logger, lines } = createCapturingLogger('worker');
    logger.info('customer jane.doe@example.com paid with 4111 1111 1111 1111', {
      note: 'call +1 415 555 0100',
      broker: '127.0.0.1:9092',
      ref: 'order 12345678, v1.2.3, PR #4521',
    });
    const text = JSON.stringify(lines[0]);
    for (const pii of ['jane.doe@example.com', '4111 1111 1111 1111', '415 555 0100'])
      assert.ok(!text.includes(pii), `${pii} leaked: ${text}`);
    assert.equal(lines[0]?.broker, '127.0.0.1:9092');
    assert.equal(lines[0]?.ref, 'order 12345678, v1.2.3, PR #4521');
  });

  it('masks IBANs, SSNs, international phones before a full stop, and secrets only the maintained rule set knows', () => {
    const { logger, lines } = createCapturingLogger('worker');
    const webhook = 'https://hooks.slack.com/services/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';
    const npmToken = 'npm_Zq8Wm3Zr6Yp1Xn4Vb7Lk2Jh5Gf9Ds0Aq3We6R';
    logger.info(`refund to DE89 3704 0044 0532 0130 00, ssn 219-09-9999, call +44 20 7946 0958.`, {
      hook: `posting to ${webhook}`,
      publish: `${npmToken}.`,
    });
    const text = JSON.stringify(lines[0]);
    for (const pii of ['0532 0130', '219-09-9999', '7946 0958', 'Zq8Wm3Zr6Yp1Xn4Vb7Lk2Jh5'])
      assert.ok(!text.includes(pii), `${pii} leaked: ${text}`);
  });

  it('masks a secret whole: no prefix or tail of its own characters, after a key or alone', () => {
    const { logger, lines } = createCapturingLogger('worker');
    const slack = `xoxb-${'4821093746'.repeat(2)}-Zq8Wm3Zr6Yp1Xn4V`;
    logger.info(`token=${githubToken} and password=${password}; "api_key": "${slack}", ${githubToken}.`, {
      token: password,
    });
    const text = JSON.stringify(lines[0]);
    // Any 4-character run of a secret's own part (after its public type marker) is a leak.
    for (const own of [githubToken.slice(4), password, slack.slice(5)])
      for (let i = 0; i + 4 <= own.length; i++)
        assert.ok(!text.includes(own.slice(i, i + 4)), `"${own.slice(i, i + 4)}" of a secret leaked: ${text}`);
    assert.match(text, /token=ghp_…\[masked 44\]/);
    assert.match(text, /password=…\[masked/);
  });
});

describe('the process logger', () => {
  it('drops a call below its level before reading its fields, and formats one at its level', () => {
    const root = rootLogger();
    const level = root.level;
    const transport = root.transports[0]!;
    const silent = transport.silent;
    let reads = 0;
    const fields = {
      get ticketId() {
        reads++;
        return 't-1';
      },
    };
    try {
      root.level = 'info';
      transport.silent = true;
      const logger = createLogger('test').child({ connId: 1 });
      logger.debug('stream opened', fields);
      logger.verbose('stream opened', fields);
      assert.equal(reads, 0, 'a debug line below the level had its fields read (formatted, then dropped)');
      logger.info('stream opened', fields);
      assert.ok(reads > 0, 'a line at the level was not formatted');
    } finally {
      root.level = level;
      transport.silent = silent;
    }
  });
});
