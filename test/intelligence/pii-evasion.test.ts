/**
 * Values written in characters that read the same: full-width digits (a Japanese or Chinese keyboard),
 * zero-width and soft-hyphen characters (pasted from a chat or a PDF), typographic dashes, look-alike letters.
 * A person and any model read each as the plain value, so each must be redacted as the plain value is, while
 * the text around it keeps its own characters. Also the secrets people announce in words: a password in
 * JSON, a PIN, a card's security code, a one-time code, an Authorization header of any entropy.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { intake } from '../../core/intake';
import { fingerprint, redact } from '../../core/pii';
import { detectionView } from '../../core/pii/view';
import { normalizeText } from '../../core/text-normalize';

/** Without spaces and the separators people put between digit groups. */
const squash = (s: string) => normalizeText(s).replace(/[\s().+-]/g, '');

/** The value, whole or as any run of 3+ letters or digits: none may be readable in the output, normalised. */
function readable(out: string, value: string): string[] {
  const seen = normalizeText(out);
  const whole = squash(out).includes(squash(value)) ? [value] : [];
  return [...whole, ...(value.match(/[A-Za-z0-9]{3,}/g) ?? []).filter((p) => seen.includes(p))];
}

const ZW = '\u200b';
const SHY = '\u00ad';
const fullWidth = (s: string) =>
  s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');

const disguised: { kind: string; text: string; value: string }[] = [
  { kind: 'card, full-width', text: `カード ${fullWidth('4111 1111 1111 1111')} です`, value: '4111111111111111' },
  { kind: 'card, zero-width', text: `card 4111${ZW}1111${ZW}1111${ZW}1111 ok`, value: '4111111111111111' },
  { kind: 'card, word joiners', text: 'card 5555\u20605555\u20605555\u20604444.', value: '5555555555554444' },
  { kind: 'SSN, non-breaking hyphens', text: 'SSN 078\u201105\u20111120 on file', value: '078-05-1120' },
  { kind: 'SSN, en dashes', text: 'ssn: 078\u201305\u20131120', value: '078-05-1120' },
  { kind: 'SSN, full-width', text: `SSN ${fullWidth('078-05-1120')}`, value: '078-05-1120' },
  { kind: 'phone, full-width', text: `call ${fullWidth('+1 415 555 2671')} today`, value: '4155552671' },
  { kind: 'phone, minus signs', text: 'call 415\u2212555\u22122671 today', value: '4155552671' },
  { kind: 'e-mail, zero-width', text: `write to jane${ZW}.doe@example.com please`, value: 'jane.doe@example.com' },
  { kind: 'e-mail, soft hyphen', text: `write to jane.doe@exam${SHY}ple.com please`, value: 'jane.doe@example.com' },
  { kind: 'e-mail, full-width @', text: 'write to jane.doe\uff20example.com', value: 'jane.doe@example.com' },
  { kind: 'e-mail, Cyrillic letters', text: 'write to j\u0430ne.doe@ex\u0430mple.com', value: 'jane.doe@example.com' },
  { kind: 'IP, full-width', text: `login from ${fullWidth('185.220.101.4')}`, value: '185.220.101.4' },
  {
    kind: 'IBAN, zero-width',
    text: `IBAN DE89${ZW}3704${ZW}0044${ZW}0532${ZW}0130${ZW}00`,
    value: 'DE89370400440532013000',
  },
  {
    kind: 'token, zero-width',
    text: `my token ghp_16C7e42F292c6912E7${ZW}710c838347Ae178B4a leaked`,
    value: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  },
];

/** Next to a symbol or letter that normalises into letters or digits, or joined to another value invisibly. */
const glued: { kind: string; text: string; value: string }[] = [
  { kind: 'card after №', text: 'карта №4111111111111111 заблокирована', value: '4111111111111111' },
  { kind: 'card after nº', text: 'cartão nº4111 1111 1111 1111 recusado', value: '4111111111111111' },
  { kind: 'IBAN after nº', text: 'IBAN nºES9121000418450200051332', value: 'ES9121000418450200051332' },
  { kind: 'phone after №', text: 'tel. №+14155552671', value: '14155552671' },
  { kind: 'e-mail before ¹', text: 'write to jane@example.com¹ today', value: 'jane@example.com' },
  { kind: 'e-mail before ™', text: 'write to support@acme.com™', value: 'support@acme.com' },
  { kind: 'SSN before ª', text: 'SSN 078-05-1120ª', value: '078-05-1120' },
  { kind: 'two cards, zero-width between', text: '4111111111111111\u200b5555555555554444', value: '5555555555554444' },
];

const announced: { kind: string; text: string; value: string }[] = [
  { kind: 'password in JSON', text: '{"user":"jd","password":"hunter2hunter2"}', value: 'hunter2hunter2' },
  { kind: 'pass:', text: 'login jd, pass: P@ssw0rd! thanks', value: 'P@ssw0rd!' },
  { kind: 'password, no colon', text: 'his password Tr0ub4dor&3xyzzy still works', value: 'Tr0ub4dor&3xyzzy' },
  { kind: 'pw', text: 'user jd pw hunter2! please reset', value: 'hunter2!' },
  { kind: 'numeric password', text: 'my password 84512977 was leaked', value: '84512977' },
  { kind: 'passcode', text: 'my passcode: 884422', value: '884422' },
  { kind: 'PIN', text: 'my PIN is 4321, please reset it', value: '4321' },
  { kind: 'PIN code', text: 'PIN code: 0071', value: '0071' },
  { kind: 'CVV', text: 'card ending 1111, exp 12/27, CVV 123', value: '123' },
  { kind: 'CVC', text: 'cvc: 9876', value: '9876' },
  { kind: 'security code', text: 'the security code is 456', value: '456' },
  { kind: 'verification code', text: 'I got verification code 552211 twice', value: '552211' },
  { kind: 'OTP', text: 'OTP 123456 expired', value: '123456' },
  {
    kind: 'bearer, low entropy',
    text: 'Authorization: Bearer abcdef0123456789abcdef',
    value: 'abcdef0123456789abcdef',
  },
  { kind: 'basic credentials', text: 'Authorization: Basic dXNlcjpwYXNzd29yZA==', value: 'dXNlcjpwYXNzd29yZA' },
  { kind: 'bearer, lower case', text: 'Authorization: Bearer abcdefghijklmnop', value: 'abcdefghijklmnop' },
  { kind: 'bearer alone', text: 'curl says Bearer 7Fq9xK2mPz4vLw8RtY3n is refused', value: '7Fq9xK2mPz4vLw8RtY3n' },
  { kind: 'basic alone', text: 'the header was Basic dXNlcjpwYXNzd29yZA== in the log', value: 'dXNlcjpwYXNzd29yZA' },
  { kind: 'password is:', text: 'my password is: hunter2! please reset', value: 'hunter2' },
  { kind: 'PIN without a colon', text: 'PIN 4321 does not work', value: '4321' },
  { kind: 'OTP in two groups', text: 'OTP: 123 456 expired', value: '123456' },
  { kind: 'code with dashes', text: 'verification code: 12-34-56', value: '123456' },
];

describe('values in characters that read the same', () => {
  for (const c of disguised) {
    it(c.kind, () => assert.deepEqual(readable(redact(c.text), c.value), [], redact(c.text)));
  }

  for (const c of glued) {
    it(c.kind, () => assert.deepEqual(readable(redact(c.text), c.value), [], redact(c.text)));
  }

  it('makes no digit of a letter: a Cyrillic З before digits is not an SSN', () => {
    assert.equal(redact('артикул З00-12-3456'), 'артикул З00-12-3456');
  });

  it('keeps the characters around a value as they were', () => {
    assert.equal(
      redact(`Merci ! Carte ${fullWidth('4111 1111 1111 1111')} — réglé, 漢字 ①.`),
      'Merci ! Carte [REDACTED_CREDIT_CARD] — réglé, 漢字 ①.',
    );
    assert.equal(redact(`mail jane${ZW}@example.com ok ${ZW}`), `mail [REDACTED_EMAIL] ok ${ZW}`);
  });

  it('leaves ordinary text in other scripts and widths alone', () => {
    for (const text of [
      '２０２６年１２月１日に注文しました。注文番号は１２３４５です。',
      'Привет, у меня проблема с оплатой заказа 4521.',
      'Straße 12, 10115 Berlin — Rechnung Nr. 2024-118',
      'ｖｅｒｓｉｏｎ ２．３．１ crashes on start ①②③',
      'Ticket №123 ½ done 😀 ﷺ ㍻',
      'café déjà vu: the e\u0301 key sticks',
    ])
      assert.equal(redact(text), text);
  });

  it('fingerprints a disguised credential as the credential itself, so the tools find it', () => {
    const plain = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
    const { entities } = intake(`leaked ghp_16C7e42F292c6912E7${ZW}710c838347Ae178B4a today`);
    assert.deepEqual(
      entities.map((e) => e.fingerprint),
      [fingerprint(plain)],
    );
  });

  it('a text that NFKC spells out at length is not scanned at that length', () => {
    const text = `${'\ufdfa'.repeat(50_000)} ４１１１ １１１１ １１１１ １１１１`;
    assert.ok(detectionView(text).text.length <= 2 * text.length);
    assert.equal(redact(text), `${'\ufdfa'.repeat(50_000)} [REDACTED_CREDIT_CARD]`);
  });
});

describe('secrets announced in words', () => {
  for (const c of announced) {
    it(c.kind, () => assert.deepEqual(readable(redact(c.text), c.value), [], redact(c.text)));
  }

  it('leaves the same words alone when no secret follows them', () => {
    for (const text of [
      'the verification code never arrived',
      'pin 2 of the connector is bent',
      'PIN reset please',
      'Bearer authentication is failing since the update',
      'basic troubleshooting steps did not help',
      'I tried to pass the test twice',
      'error code 500 on checkout',
      'our security code review found nothing',
      'my password is not working',
      'What is the password policy?',
      'is there a password requirement? a password manager? password reset/change?',
      'pw reset? password length=8',
      'the boarding pass is expired.',
      'My day pass is invalid.',
      'my passcode is wrong!!',
      'I have basic JavaScript and basic WordPress knowledge, and Basic PowerPoint.',
      'basic troubleshooting/FAQs for Basic v2.3.1-beta on the Basic Plan2024',
      'bearer tokenAuth fails with Bearer HTTP/1.1 in the trace',
      'OTP 2024 rollout, CSC 2024 conference',
      'auth code 401 from the upstream; login code 2024 expired',
      'PIN code: 560001 (Bengaluru)',
      'the password reset link expired',
      'we use a password manager (1Password) for that',
      'password change required since yesterday',
    ])
      assert.equal(redact(text), text);
  });
});
