/**
 * `npx tsx bench/timeline-report.ts <BENCH_TIMELINE_DIR> [broker gc log]`: joins the timelines a bench run wrote
 * (timeline.ts) by record stamp and says, for each fixed-rate phase, where the slowest 1 % of records spent
 * their time (the producer's send until the broker's ack, then until the consumer handed the record over, then
 * until the last socket had it) and what overlapped them: the server's GC, the broker's pauses (its
 * `-Xlog:gc*,safepoint` file), another slow record (a shared stall). Diagnosis only; nothing here is measured
 * into the bench's figures.
 */
import fs from 'node:fs';
import path from 'node:path';

interface Dump {
  who: string;
  kind?: string;
  sockets?: number;
  clocks: { wallMs: number; monoUs: number };
  rows: number[][];
}
type Span = [startUs: number, endUs: number, what: string];

const [dir, gcLog] = process.argv.slice(2);
if (!dir) throw new Error('usage: timeline-report <dir> [broker gc log]');
const dumps: Dump[] = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Dump);

const lastDelivery = new Map<number, number>();
const handedOver = new Map<number, number>();
const serverGc: Span[] = [];
for (const d of dumps) {
  if (d.who === 'client') for (const [s, at] of d.rows) lastDelivery.set(s!, Math.max(lastDelivery.get(s!) ?? 0, at!));
  if (d.who === 'server') for (const [s, at] of d.rows) handedOver.set(s!, Math.max(handedOver.get(s!) ?? 0, at!));
  if (d.who === 'gc') for (const [s, dur, major] of d.rows) serverGc.push([s!, s! + dur!, major ? 'major' : 'minor']);
}
const clocks = dumps.find((d) => d.who === 'producer')?.clocks;
const brokerPauses = gcLog && clocks ? readBrokerPauses(gcLog, clocks) : [];

/** Safepoint lines end a pause at the line's wall time; GC lines name the cause. Both moved to the mono clock. */
function readBrokerPauses(file: string, c: Dump['clocks']): Span[] {
  const out: Span[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const wall = /^\[([^\]]+)\]/.exec(line)?.[1];
    const total = /Total: (\d+) ns/.exec(line)?.[1];
    if (!wall || !total) continue;
    const endUs = (Date.parse(wall) - c.wallMs) * 1000 + c.monoUs;
    const name = /Safepoint "([^"]+)"/.exec(line)?.[1] ?? 'safepoint';
    out.push([endUs - Number(total) / 1000, endUs, name]);
  }
  return out;
}

const overlaps = (spans: Span[], from: number, to: number) => spans.filter(([s, e]) => s < to && e > from);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};
const ms = (us: number) => (us / 1000).toFixed(2);

for (const p of dumps.filter((d) => d.who === 'producer').sort((a, b) => a.clocks.monoUs - b.clocks.monoUs)) {
  const recs = p.rows
    .map(([stamp, ack]) => ({
      stamp: stamp!,
      ack: ack! - stamp!,
      handed: (handedOver.get(stamp!) ?? NaN) - stamp!,
      total: (lastDelivery.get(stamp!) ?? NaN) - stamp!,
    }))
    .filter((r) => Number.isFinite(r.total));
  if (recs.length === 0) continue;
  const median = (rs: typeof recs, part: (r: (typeof recs)[number]) => number) => ms(quantile(rs.map(part), 0.5));
  const p99 = quantile(
    recs.map((r) => r.total),
    0.99,
  );
  const slow = recs.filter((r) => r.total >= p99);
  const t0 = recs[0]!.stamp;
  const t1 = recs.at(-1)!.stamp;
  const pauses = brokerPauses.filter(([s]) => s >= t0 && s <= t1);
  const longPauses = pauses.filter(([s, e]) => e - s > 1000);
  const gcPauses = pauses.filter(([, , k]) => k.startsWith('G1'));
  const gcMs = gcPauses.map(([s, e]) => e - s);
  const otherLong = longPauses.length - gcMs.filter((d) => d > 1000).length;
  console.log(
    `\n${p.kind} N=${p.sockets}: ${recs.length} sends; last delivery p50 ${median(recs, (r) => r.total)} ` +
      `p99 ${ms(p99)} ms; server GCs ${serverGc.filter(([s]) => s >= t0 && s <= t1).length}; ` +
      `broker GC pauses ${gcPauses.length} (${ms(gcMs.reduce((n, d) => n + d, 0))} ms, longest ${ms(Math.max(0, ...gcMs))} ms; ` +
      `${gcPauses.map(([, , k]) => k.replace('G1', '')).join(' ')}), other pauses over 1 ms ${otherLong}`,
  );
  const parts = (rs: typeof recs) =>
    `ack ${median(rs, (r) => r.ack)} / handed ${median(rs, (r) => r.handed)} / delivered ${median(rs, (r) => r.total)}`;
  console.log(`  medians, all: ${parts(recs)}; the slow 1 %: ${parts(slow)} (ms after the stamp)`);
  let withServerGc = 0;
  let withBrokerPause = 0;
  for (const r of slow) {
    const from = r.stamp;
    const to = r.stamp + r.total;
    const g = overlaps(serverGc, from, to);
    const b = overlaps(longPauses, from, to);
    if (g.length) withServerGc++;
    if (b.length) withBrokerPause++;
    console.log(
      `  +${ms(r.stamp - t0)} ms: ack ${ms(r.ack)} handed ${ms(r.handed)} delivered ${ms(r.total)}` +
        (g.length ? `; server GC ${g.map(([s, e, k]) => `${k} ${ms(e - s)} at +${ms(s - from)}`).join(', ')}` : '') +
        (b.length ? `; broker ${b.map(([s, e, k]) => `${k} ${ms(e - s)} at +${ms(s - from)}`).join(', ')}` : ''),
    );
  }
  console.log(
    `  slow records overlapping: a server GC ${withServerGc}/${slow.length}, a broker pause over 1 ms ${withBrokerPause}/${slow.length}`,
  );
}
