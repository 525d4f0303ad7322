/**
 * The leaks issue 12 names, each reproduced: international phones, IPv6, a value followed by a full stop,
 * IBAN, US SSN, and time that grows with the square of the text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redact } from '../../core/pii';

const leaks = (text: string, secret: string) => {
  const out = redact(text);
  assert.ok(!out.includes(secret), `leaked ${JSON.stringify(secret)}: ${out}`);
};

describe('redaction leaks named in issue 12', () => {
  it('international phone numbers', () => {
    for (const phone of [
      '+44 20 7946 0958',
      '+33 1 42 68 53 00',
      '+49 30 901820',
      '+81 3-1234-5678',
      '+91 98765 43210',
      '+61 2 9374 4000',
    ]) {
      leaks(`reach me on ${phone} please`, phone.slice(-4));
    }
  });

  it('IPv6 in compressed, full, bracketed and zoned forms', () => {
    leaks('login from 2001:DB8:0:0:8:800:200C:417A today', '200C:417A');
    leaks('peer [2001:db8::1]:8443 refused', '2001:db8::1');
    leaks('link-local fe80::1ff:fe23:4567:890a%eth0 seen', 'fe23:4567');
    leaks('full form 2001:0db8:0000:0000:0000:ff00:0042:8329 here', '0042:8329');
    assert.equal(redact('ip:2001:db8::1 and IPv6:fe80::1 seen'), 'ip:[REDACTED_IP] and IPv6:[REDACTED_IP] seen');
    assert.equal(redact('mapped ::ffff:192.0.2.128.'), 'mapped [REDACTED_IP].');
  });

  it('any value followed by a full stop', () => {
    leaks('Call me on +1 415 555 0123.', '555 0123');
    leaks('The attacker came from 185.220.101.4.', '185.220.101.4');
    assert.equal(redact('It was 2001:db8::8a2e:370:7334.'), 'It was [REDACTED_IP].');
    assert.equal(redact('Write to jane@example.com.'), 'Write to [REDACTED_EMAIL].');
  });

  it('IBAN, grouped and electronic', () => {
    leaks('refund to DE89 3704 0044 0532 0130 00 please', '0532 0130');
    leaks('IBAN: GB82WEST12345698765432.', 'WEST12345698765432');
  });

  it('US social security numbers', () => {
    leaks('my SSN is 123-45-6789.', '45-6789');
  });

  it('time stays linear: four times the text takes far less than sixteen times as long', () => {
    // CPU time of this process, best of three: a loaded machine taking the CPU away is not the redactor's time.
    const timeOf = (text: string) => {
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const before = process.cpuUsage();
        redact(text);
        const used = process.cpuUsage(before);
        best = Math.min(best, (used.user + used.system) / 1000);
      }
      return best;
    };
    // "a.a.a." re-scanned from every word start was quadratic in the e-mail and secret patterns.
    for (const unit of ['a.', 'a-', '1.']) {
      const small = timeOf(unit.repeat(8_000));
      const big = timeOf(unit.repeat(32_000));
      assert.ok(big < 8 * small + 20, `${unit}: 16 KB took ${small.toFixed(1)} ms, 64 KB took ${big.toFixed(1)} ms`);
    }
  });
});

describe('secrets are removed as whole tokens', () => {
  it('leaves no tail after a match nor the rest of a URL around a key', () => {
    const cases: [string, string][] = [
      ['slack xoxb-2048123456-4096123456-Zq8W.Xn4Vb7Lk2Jh5 leaked', 'slack [REDACTED_SECRET] leaked'],
      ['token=ghp_9Xk2LmQ7vR4tY8wZ1aB3cD5eF6gH0iJ2kL4m.Zq8Wm3', 'token=[REDACTED_GITHUB_TOKEN]'],
      ['key sk-proj-Zq8Wm3Zr6Yp1Xn4Vb7Lk2Jh5.Gf9Ds0Aq3We6R here', 'key [REDACTED_SECRET] here'],
      [
        'hook https://hooks.slack.com/services/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?x=1 now',
        'hook [REDACTED_SECRET] now',
      ],
      ['db postgres://admin:Zq8Wm3Zr6Yp1@10.0.0.5:5432/app ok', 'db [REDACTED_SECRET] ok'],
      ['aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key=[REDACTED_AWS_KEY]'],
    ];
    for (const [text, expected] of cases) assert.equal(redact(text), expected);
  });
});
