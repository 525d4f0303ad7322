/**
 * The detector registry: every detector runs in linear time over the text; overlaps are resolved by
 * priority (a JWT beats the generic secret that also matches it), then length. Validation lives in each
 * detector (Luhn, mod-97, libphonenumber metadata, node:net), because a bare pattern would eat the
 * versions, dates, issue numbers and commit SHAs that support staff need to read.
 */
import { bankDetectors } from './bank';
import { cardDetector } from './card';
import { personDetector } from './names';
import { emailDetector, ipDetector } from './network';
import { detectOptions } from './options';
import { phoneDetector } from './phone';
import { secretOwnDetector, secretRuleSetDetector } from './secret-rules';
import type { DetectOptions, Detector, PiiKind, PiiMatch } from './types';
import { detectionView, originalSpan } from './view';

export const detectors: readonly Detector[] = [
  secretRuleSetDetector,
  secretOwnDetector,
  ...bankDetectors,
  cardDetector,
  emailDetector,
  ipDetector,
  phoneDetector,
  personDetector,
];

type Candidate = PiiMatch & { priority: number };

/** Every detector's spans over `scanned`, placed in the original text by `place`. */
function candidates(
  scanned: string,
  opts: DetectOptions,
  kinds: readonly PiiKind[] | undefined,
  place: (start: number, end: number) => [number, number],
): Candidate[] {
  const found: Candidate[] = [];
  for (const d of detectors) {
    if (kinds && !d.kinds.some((k) => kinds.includes(k))) continue;
    for (const s of d.find(scanned, opts)) {
      if (s.end <= s.start || (kinds && !kinds.includes(s.kind))) continue;
      const [start, end] = place(s.start, s.end);
      found.push({ kind: s.kind, start, end, value: scanned.slice(s.start, s.end), priority: d.priority });
    }
  }
  return found;
}

/** Overlaps resolved by priority, then length: non-overlapping, in order of position. */
function resolve(found: Candidate[], length: number): Candidate[] {
  found.sort((a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start);
  // Each character belongs to at most one kept span: checking a span costs its length, so this stays linear.
  const taken = new Uint8Array(length);
  const kept: Candidate[] = [];
  for (const m of found) {
    if (taken.subarray(m.start, m.end).includes(1)) continue;
    taken.fill(1, m.start, m.end);
    kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * The two scans' spans as one: spans that overlap become their union (so neither scan's find is cut short),
 * named by the stronger of them.
 */
function union(a: Candidate[], b: Candidate[]): Candidate[] {
  const all = [...a, ...b].sort((x, y) => x.start - y.start || y.end - x.end);
  const out: Candidate[] = [];
  for (const m of all) {
    const last = out[out.length - 1];
    if (!last || m.start >= last.end) {
      out.push({ ...m });
      continue;
    }
    const stronger =
      m.priority > last.priority || (m.priority === last.priority && m.end - m.start > last.end - last.start);
    if (stronger) Object.assign(last, { kind: m.kind, value: m.value, priority: m.priority });
    last.end = Math.max(last.end, m.end);
  }
  return out;
}

/**
 * PII and secrets in the text (all kinds, or only those asked for), non-overlapping, in order of position.
 * The detectors read the text as written and, where any character reads differently once normalised, its
 * normalised view too (view.ts): the view finds a card in full-width digits or an e-mail split by a
 * zero-width space; the text as written keeps a value its neighbour would be glued to in the view. Starts
 * and ends are in the original text; a value the view found is its normalised form (what fingerprints and
 * masks are made of).
 */
export function detect(text: string, options: Partial<DetectOptions> = {}, kinds?: readonly PiiKind[]): PiiMatch[] {
  const opts = { ...detectOptions(), ...options };
  const own = resolve(
    candidates(text, opts, kinds, (s, e) => [s, e]),
    text.length,
  );
  const view = detectionView(text);
  const found = view.from
    ? union(
        own,
        resolve(
          candidates(view.text, opts, kinds, (s, e) => originalSpan(view, s, e)),
          text.length,
        ),
      )
    : own;
  return found.map(({ kind, start, end, value }) => ({ kind, start, end, value }));
}
