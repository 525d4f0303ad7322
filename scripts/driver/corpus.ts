/**
 * Realistic tickets for the driver: the labelled fixture texts (account access, billing, leaked tokens,
 * account takeover, unknown topics), each from one of a few customers of a few orgs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DriverIdentity } from './api';

const FIXTURE = path.join(__dirname, '..', '..', 'test', 'fixtures', 'tickets.jsonl');

const CUSTOMERS: DriverIdentity[] = [
  { userId: 'mona', orgId: 'acme-corp' },
  { userId: 'hubot', orgId: 'acme-corp' },
  { userId: 'octo-dev', orgId: 'octo-labs' },
  { userId: 'driver-customer', orgId: 'globex' },
];

export interface CorpusTicket {
  who: DriverIdentity;
  text: string;
}

export function loadCorpus(): string[] {
  return fs
    .readFileSync(FIXTURE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { query: string }).query);
}

/** The i-th ticket of a run: texts and customers taken in turn, so runs are comparable. */
export function corpusTicket(texts: string[], i: number): CorpusTicket {
  return { who: CUSTOMERS[i % CUSTOMERS.length]!, text: texts[i % texts.length]! };
}
