/**
 * The PII set, written for the redaction tests: every kind of value, in several locales' formats, placed at
 * every position and before every punctuation a ticket puts around it; and ordinary text full of numbers
 * (versions, dates, ids, amounts, issue numbers) that must come out unchanged.
 */

export interface RemoveCase {
  kind: string;
  value: string;
  text: string;
  /** Region for national phone numbers (default US). */
  region?: string;
  names?: boolean;
}

interface Value {
  kind: string;
  value: string;
  region?: string;
  names?: boolean;
}

const VALUES: Value[] = [
  { kind: 'email', value: 'jane.doe@example.com' },
  { kind: 'email', value: 'j.smith+billing@mail.example.co.uk' },
  { kind: 'phone', value: '+1 415 555 0123' },
  { kind: 'phone', value: '(415) 555-0199' },
  { kind: 'phone', value: '+44 20 7946 0958' },
  { kind: 'phone', value: '+33 1 42 68 53 00' },
  { kind: 'phone', value: '+49 30 901820' },
  { kind: 'phone', value: '+81 3-1234-5678' },
  { kind: 'phone', value: '+91 98765 43210' },
  { kind: 'phone', value: '+61 2 9374 4000' },
  { kind: 'phone', value: '+55 11 91234-5678' },
  { kind: 'phone', value: '+447946095800' },
  { kind: 'phone', value: '+1-415-555-0123' },
  { kind: 'phone', value: '+1.415.555.0123' },
  { kind: 'phone', value: '415.555.0123' },
  { kind: 'phone', value: '(+44) 20 7946 0958' },
  { kind: 'phone', value: '+44 (0)20 7946 0958' },
  { kind: 'phone', value: '0044 20 7946 0958', region: 'GB' },
  { kind: 'phone', value: '+86 138 0013 8000' },
  { kind: 'phone', value: '+7 912 345-67-89' },
  { kind: 'phone', value: '+34 612 34 56 78' },
  { kind: 'phone', value: '+39 06 6982 1234' },
  { kind: 'phone', value: '020 7946 0958', region: 'GB' },
  { kind: 'phone', value: '030 901820', region: 'DE' },
  { kind: 'phone', value: '01 42 68 53 00', region: 'FR' },
  { kind: 'phone', value: '06.12.34.56.78', region: 'FR' },
  { kind: 'ipv4', value: '185.220.101.4' },
  { kind: 'ipv4', value: '192.168.10.20' },
  { kind: 'ipv6', value: '2001:db8::8a2e:370:7334' },
  { kind: 'ipv6', value: '2001:0DB8:0000:0000:0000:FF00:0042:8329' },
  { kind: 'ipv6', value: 'fe80::1ff:fe23:4567:890a%eth0' },
  { kind: 'ipv6', value: '::ffff:192.0.2.128' },
  { kind: 'ipv6', value: 'FE80::0202:B3FF:FE1E:8329' },
  { kind: 'ipv6', value: '2001:db8:0:0:1:0:0:1' },
  { kind: 'credit_card', value: '4111 1111 1111 1111' },
  { kind: 'credit_card', value: '5555-5555-5555-4444' },
  { kind: 'credit_card', value: '3782 822463 10005' },
  { kind: 'credit_card', value: '4111\u00a01111\u00a01111\u00a01111' },
  { kind: 'credit_card', value: '4012\u202f8888\u202f8888\u202f1881' },
  { kind: 'credit_card', value: '6011111111111117' },
  { kind: 'credit_card', value: '4111-1111-1111-1111' },
  { kind: 'credit_card', value: '4111.1111.1111.1111' },
  { kind: 'iban', value: 'DE89 3704 0044 0532 0130 00' },
  { kind: 'iban', value: 'GB82WEST12345698765432' },
  { kind: 'iban', value: 'FR14 2004 1010 0505 0001 3M02 606' },
  { kind: 'iban', value: 'NL91ABNA0417164300' },
  { kind: 'iban', value: 'CH93 0076 2011 6238 5295 7' },
  { kind: 'iban', value: 'BE68 5390 0754 7034' },
  { kind: 'iban', value: 'de89370400440532013000' },
  { kind: 'ssn', value: '219-09-9999' },
  { kind: 'ssn', value: '078-05-1121' },
  { kind: 'ssn', value: '123 45 6789' },
  { kind: 'secret', value: 'ghp_9Xk2LmQ7vR4tY8wZ1aB3cD5eF6gH0iJ2kL4m' },
  { kind: 'secret', value: 'AKIAIOSFODNN7EXAMPLE' },
  {
    kind: 'secret',
    value: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  },
  { kind: 'secret', value: 'xoxb-2048123456-4096123456-Zq8Wm3Zr6Yp1Xn4Vb7Lk2Jh5' },
  { kind: 'secret', value: 'sk_live_51HxQ2eK8mNp4Rt7Vw9Yz3Ab6Cd' },
  { kind: 'secret', value: 'npm_Zq8Wm3Zr6Yp1Xn4Vb7Lk2Jh5Gf9Ds0Aq3We6R' },
  { kind: 'person', value: 'John Smith', names: true },
  { kind: 'person', value: 'Maria Garcia', names: true },
  { kind: 'person', value: 'Priya Patel', names: true },
];

/** Positions and punctuation around the value, in English, German, French and Spanish sentences. */
const TEMPLATES: ((v: string) => string)[] = [
  (v) => `${v} is the one on file`,
  (v) => `please use ${v} for this ticket`,
  (v) => `It is ${v}.`,
  (v) => `see the record (${v}) below`,
  (v) => `details: [${v}]`,
  (v) => `contact:${v}`,
  (v) => `Reference: ${v}, thanks`,
  (v) => `it was ${v}; then it failed`,
  (v) => `is it ${v}?`,
  (v) => `they used "${v}"!`,
  (v) => `Meine Angabe ist ${v}.`,
  (v) => `Mon identifiant : ${v} .`,
  (v) => `Mi dato es ${v}, gracias.`,
  (v) => `last line\n${v}\n`,
];

export const removeCases: RemoveCase[] = VALUES.flatMap((v) =>
  TEMPLATES.map((t) => ({ kind: v.kind, value: v.value, text: t(v.value), region: v.region, names: v.names })),
);

/** Text a support agent must still read: none of it is personal data. */
export const keepCases: string[] = [
  'Upgraded to v3.12.1 on 2024-05-01 and it broke.',
  'Release 2.14.0 fixed it; 2.14.1 is out (see 1.2.3.4 version string in the changelog).',
  'Since version 10.0.0.1 of the agent the runner hangs.',
  'It started on 01/05/2024 at 12:30:45 UTC.',
  'Am 5.1.2024 um 14:02 Uhr ging es nicht mehr.',
  'Between 2024-05-01 and 2024-05-03, 14:00-16:30.',
  'Order ORD-2024-000123, invoice INV-00042, refund of $1,234.56.',
  'Charged €99.00 twice, then 1 234,56 € and 12 500 USD.',
  'Amounts: 1500, 2500 and 3750 credits.',
  'Issue #1234 and PR #4821 are linked to ticket #4111111111111111.',
  'See issue 12 and issue 13; build 1234-5678 failed.',
  'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 (9fceb02) is bad.',
  'request id 123e4567-e89b-12d3-a456-426614174000 returned 500.',
  'Error 0x80070005 at line 4821, HTTP 404 then 503.',
  'order 100234567 and account 2024001122 were merged.',
  'We have 3 users, 25 seats and 99.9 % uptime.',
  'Port 8080 and 5432 are open on the staging box.',
  'Runner minutes: 1 000 used of 3 000 this month.',
  'Listen on 127 threads, 64 GB, 2 x 8 cores.',
  'The API returned {"count": 42, "page": 3}.',
  'Time zones UTC+2 and UTC-5 apply; 24/7 support.',
  'AuthenticationProviderConfiguration, the token is revoked, password reset link sent.',
  'Run npm install lodash@4.17.21 and node 20.19.0.',
  'ISO 8601 date 2024-05-01T12:30:45Z in the log.',
  'The chart shows 10, 20, 30, 40 and 50 percent.',
  'Quarter Q3 2024, week 17, day 112.',
  'Mark the ticket as solved. Will the grace period apply?',
  'Account Security asked Billing about Workers minutes.',
  'Tracking number 1Z999AA10123456784 for the hardware token.',
  'SKU 12-3456-789 and model A1234.',
  'MAC 00:1A:2B:3C:4D:5E on the appliance.',
  'Coordinates 48.8566, 2.3522 of the office.',
  'The build took 1:23:45 and used 12.5 GB.',
  'Ticket t-7f3a and workflow ticket-123 are stuck.',
  'Chapter 3.2.1 of the docs, section 4.5.',
  'Invoice 2024-0042 is due on 15.06.2024, +20% vs last year.',
  'Build 20240501.3 on runner ubuntu-22.04 took 00:12:34.',
  'PO #12345678 for 3 x 250.00 EUR (total 750,00 EUR).',
  'The meeting is 10:30-11:45 CET, room 4.012.',
  'Node v20.19.0, npm 10.8.2, TypeScript 5.9.3, Python 3.12.4.',
  'Error code E1234-5678-90 when syncing 1,024 files.',
  'SAML cert expires 2025-01-31T23:59:59Z; serial 0x1A2B3C4D.',
  'We pay 1.299,00 € per month for 50 seats since 01.01.2024.',
  'Webhook delivery 7f3a9c2e failed 3 times (HTTP 502, 504, 502).',
  'Runner group 12, job 4567890, step 3 of 8.',
  'The repo has 12,345 stars and 1.2k forks.',
  'CVE-2024-3094 affects xz 5.6.0 and 5.6.1.',
  'Rate limit: 5000 requests per hour, reset at 1717171717.',
  'Our org id is 98765432 and the enterprise slug is acme-corp.',
  'Plan Team, 25 seats at $4 each = $100 per month.',
  'Page 3 of 10, rows 21-30 of 97.',
  'Bug in line 1024 of src/app.ts, column 17.',
  'Please call back tomorrow between 9 and 5.',
  'ticket 2024-05-01-0001 and ticket 2024-05-01-0002 are duplicates.',
  'The IP allow list has 12 entries; the subnet mask is /24.',
];
