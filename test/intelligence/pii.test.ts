import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detect, fingerprint, isCardNumber, luhnValid, redact, redactDeep, scrub } from '../../core/pii';
import { TicketflowError } from '../../core/errors';

const kinds = (text: string) => detect(text).map((m) => `${m.kind}:${m.value}`);

describe('PII detectors', () => {
  it('email', () => {
    assert.deepEqual(kinds('write to jane.doe+gh@mail.example.co.uk now'), ['email:jane.doe+gh@mail.example.co.uk']);
    assert.deepEqual(kinds('user@localhost and @mention and a@b'), []);
  });

  it('phone: international and national formats, not dates, versions or order numbers', () => {
    assert.deepEqual(kinds('call +1 415 555 0123 or (415) 555-0199 or +447946095800'), [
      'phone:+1 415 555 0123',
      'phone:(415) 555-0199',
      'phone:+447946095800',
    ]);
    assert.deepEqual(kinds('on 2024-05-01 at 12:30, release 2.14.0, order 100234567, issue #1234'), []);
  });

  it('credit card: Luhn, 13 to 19 digits, Amex 15, with spaces or dashes', () => {
    assert.ok(luhnValid('4111111111111111'));
    assert.ok(!luhnValid('4111111111111112'));
    assert.deepEqual(
      kinds('visa 4111 1111 1111 1111, mc 5555-5555-5555-4444, amex 3782 822463 10005, visa13 4222222222222'),
      [
        'credit_card:4111 1111 1111 1111',
        'credit_card:5555-5555-5555-4444',
        'credit_card:3782 822463 10005',
        'credit_card:4222222222222',
      ],
    );
    assert.ok(isCardNumber('6011111111111117'), 'Discover');
    assert.ok(!isCardNumber('378282246310005' + '1'), 'Amex must be 15 digits');
  });

  it('credit card negatives: Luhn failures, order numbers, long ids', () => {
    assert.deepEqual(
      kinds('card 4111 1111 1111 1112 order 1234567890123 invoice 9876543210987654 ticket #4111111111111111'),
      [],
    );
  });

  it('IPv4 and IPv6, not versions or times', () => {
    assert.deepEqual(kinds('from 185.220.101.4 and 2001:db8::8a2e:370:7334 and ::ffff:10.0.0.1'), [
      'ipv4:185.220.101.4',
      'ipv6:2001:db8::8a2e:370:7334',
      'ipv6:::ffff:10.0.0.1',
    ]);
    assert.deepEqual(kinds('v1.2.3.4 version 10.0.0.1 at 12:30:45, 999.1.1.1, release 1.2.3'), []);
  });

  it('GitHub tokens: ghp_, gho_, ghs_, github_pat_', () => {
    const t = [
      'ghp_9Xk2LmQ7vR4tY8wZ1aB3cD5eF6gH0iJ2kL4m',
      'gho_16C7e42F292c6912E7710c838347Ae178B4a',
      'ghs_Tq8Wm3Zr6Yp1Xn4Vb7Lk2Jh5Gf9Ds0Aq3We6R',
      'github_pat_11AB2CDEF0gHiJkLmNoPqR_sTuVwXyZ0123456789abcdefGHIJKLmnopQRstuv',
    ];
    assert.deepEqual(
      kinds(t.join(' ')),
      t.map((v) => `github_token:${v}`),
    );
    assert.deepEqual(kinds('the ghp_ prefix and ghp_short are not tokens'), []);
  });

  it('AWS access key ids and secret keys; a 40-hex commit SHA is not a secret', () => {
    assert.deepEqual(kinds('AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'), [
      'aws_access_key:AKIAIOSFODNN7EXAMPLE',
      'aws_secret_key:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    ]);
    assert.deepEqual(kinds('commit 9fceb02d0ae598e95dc970b74767f19372d61af8 (9fceb02)'), []);
  });

  it('JWTs', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    assert.deepEqual(kinds(`Authorization: Bearer ${jwt}`), [`jwt:${jwt}`]);
  });

  it('other secrets: vendor keys, announced passwords, high-entropy strings', () => {
    assert.deepEqual(kinds('stripe sk_live_51HxQ2eK8mNp4Rt7Vw9Yz3Ab6Cd'), [
      'secret:sk_live_51HxQ2eK8mNp4Rt7Vw9Yz3Ab6Cd',
    ]);
    assert.deepEqual(kinds('my password: hunter2! thanks'), ['secret:hunter2!']);
    assert.deepEqual(kinds('blob Zx9kQ2mP7vL4tR8wN3bY6cJ1 here'), ['secret:Zx9kQ2mP7vL4tR8wN3bY6cJ1']);
  });

  it('no over-redaction: versions, dates, issue/PR numbers, SHAs, order numbers, UUIDs, words survive', () => {
    const text =
      'Upgraded to v3.12.1 on 2024-05-01 (PR #4821, issue #1234); commit 9fceb02d0ae598e95dc970b74767f19372d61af8 / 9fceb02; ' +
      'order ORD-2024-000123, invoice INV-00042, request id 123e4567-e89b-12d3-a456-426614174000; ' +
      'AuthenticationProviderConfiguration, the token is revoked, password reset link, build 1234-5678, at 14:02 UTC.';
    assert.equal(redact(text), text);
  });
});

describe('person names (PII_NAMES)', () => {
  const names = (text: string) => redact(text, 'redact', undefined, { names: true });

  it('finds known names, names after a cue or an honorific, and nothing when the strategy is off', () => {
    assert.equal(names('Please ask John Smith and Maria Garcia.'), 'Please ask [REDACTED_NAME] and [REDACTED_NAME].');
    assert.equal(
      names('Hi, this is Priya from Acme. Mr. Tanaka called.'),
      'Hi, this is [REDACTED_NAME] from Acme. Mr. [REDACTED_NAME] called.',
    );
    assert.equal(names('Regards,\nWojciech Kowalski'), 'Regards,\n[REDACTED_NAME]');
    assert.equal(redact('Please ask John Smith.', 'redact', undefined, { names: false }), 'Please ask John Smith.');
  });

  it('leaves a lone first name that starts a sentence and an ordinary word after a cue', () => {
    assert.equal(
      names('Mark the ticket as solved. Will it be billed?'),
      'Mark the ticket as solved. Will it be billed?',
    );
    assert.equal(names('Hi, this is Urgent. I am Angry.'), 'Hi, this is Urgent. I am Angry.');
  });
});

describe('PII strategies', () => {
  const text =
    'mail jane@example.com, card 4111 1111 1111 1111, token ghp_9Xk2LmQ7vR4tY8wZ1aB3cD5eF6gH0iJ2kL4m, ip 185.220.101.4';

  it('redact: typed placeholders', () => {
    assert.equal(
      redact(text),
      'mail [REDACTED_EMAIL], card [REDACTED_CREDIT_CARD], token [REDACTED_GITHUB_TOKEN], ip [REDACTED_IP]',
    );
  });

  it('mask: keeps a few characters, never the whole value', () => {
    const out = redact(text, 'mask');
    assert.equal(out, 'mail j***@****.com, card **** 1111, token ghp_…kL4m, ip 185.220.*.*');
    assert.ok(!out.includes('jane@') && !out.includes('4111 1111'));
  });

  it('hash: stable short pseudonyms, equal values hash equally', () => {
    const a = redact('from jane@example.com', 'hash');
    const b = redact('again jane@example.com', 'hash');
    const c = redact('other john@example.com', 'hash');
    const tag = (s: string) => /\[EMAIL:([0-9a-f]{10})\]/.exec(s)?.[1];
    assert.ok(tag(a));
    assert.equal(tag(a), tag(b));
    assert.notEqual(tag(a), tag(c));
    assert.equal(tag(a), fingerprint('jane@example.com', 10));
  });

  it('block: throws a non-retriable policy error naming the kinds, not the values', () => {
    assert.throws(
      () => scrub(text, 'block'),
      (err: unknown) =>
        err instanceof TicketflowError &&
        err.code === 'policy' &&
        !err.retriable &&
        /email/.test(err.message) &&
        !err.message.includes('jane'),
    );
    assert.equal(scrub('nothing to see, v1.2.3', 'block').text, 'nothing to see, v1.2.3');
  });

  it('redactDeep keeps the shape of tool results', () => {
    assert.deepEqual(redactDeep({ a: ['jane@example.com', 3], b: { c: 'ip 10.1.2.3' } }), {
      a: ['[REDACTED_EMAIL]', 3],
      b: { c: 'ip [REDACTED_IP]' },
    });
  });
});
