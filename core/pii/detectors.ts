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

/**
 * PII and secrets in the text (all kinds, or only those asked for), non-overlapping, in order of position.
 * The detectors read the normalised view (view.ts); a match's start and end are in the original text, its
 * value is the normalised one (what a person reads, and what fingerprints and masks are made of).
 */
export function detect(text: string, options: Partial<DetectOptions> = {}, kinds?: readonly PiiKind[]): PiiMatch[] {
  const opts = { ...detectOptions(), ...options };
  const view = detectionView(text);
  const found: (PiiMatch & { priority: number })[] = [];
  for (const d of detectors) {
    if (kinds && !d.kinds.some((k) => kinds.includes(k))) continue;
    for (const s of d.find(view.text, opts)) {
      if (s.end <= s.start || (kinds && !kinds.includes(s.kind))) continue;
      const [start, end] = originalSpan(view, s.start, s.end);
      found.push({ kind: s.kind, start, end, value: view.text.slice(s.start, s.end), priority: d.priority });
    }
  }
  found.sort((a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start);
  // Each character belongs to at most one kept span: checking a span costs its length, so this stays linear.
  const taken = new Uint8Array(text.length);
  const kept: PiiMatch[] = [];
  for (const m of found) {
    if (taken.subarray(m.start, m.end).includes(1)) continue;
    taken.fill(1, m.start, m.end);
    kept.push({ kind: m.kind, start: m.start, end: m.end, value: m.value });
  }
  return kept.sort((a, b) => a.start - b.start);
}
