/**
 * Scores triage answers against labelled tickets: accuracy per field, urgency within one level, sensitive
 * recall and precision, manipulation recall, and a confusion matrix per field, printable as text.
 */
import { urgencies, type RiskCategory, type Topic, type Urgency } from '../../core/domain';
import type { LabelledTicket } from './examples';

export interface Prediction {
  topic: Topic;
  topics: Topic[];
  urgency: Urgency;
  tone: string;
  is_sensitive: boolean;
  risk_category: RiskCategory;
  manipulation?: boolean;
  /** The model's confidence per field, when it gives one (the semantic model does). */
  confidence?: { topic?: number; risk?: number };
}

/** How far a field's confidence can be trusted: confidence against the share actually right. */
export interface Calibration {
  /** Per bin of confidence: how many, their mean confidence, and the share right. */
  bins: { from: number; to: number; n: number; confidence: number; accuracy: number }[];
  /** Expected calibration error: the bins' |confidence - accuracy|, weighted by their size. */
  ece: number;
}

const BIN_EDGES = [0, 0.5, 0.7, 0.85, 0.95, 1.0001];

export function calibration(points: { confidence: number; correct: boolean }[]): Calibration {
  const bins = BIN_EDGES.slice(0, -1).map((from, i) => {
    const to = BIN_EDGES[i + 1]!;
    const inBin = points.filter((p) => p.confidence >= from && p.confidence < to);
    const n = inBin.length;
    const mean = (f: (p: (typeof points)[number]) => number) => (n ? inBin.reduce((s, p) => s + f(p), 0) / n : 0);
    return { from, to: Math.min(1, to), n, confidence: mean((p) => p.confidence), accuracy: mean((p) => +p.correct) };
  });
  const total = points.length || 1;
  return { bins, ece: bins.reduce((s, b) => s + (b.n / total) * Math.abs(b.confidence - b.accuracy), 0) };
}

export type Confusion = Record<string, Record<string, number>>;

export interface Scores {
  n: number;
  topic: number;
  topics: number;
  urgency: number;
  urgencyWithinOne: number;
  tone: number;
  risk: number;
  sensitiveRecall: number;
  sensitivePrecision: number;
  manipulationRecall: number;
  manipulationFalsePositives: number;
  confusion: { topic: Confusion; risk: Confusion; urgency: Confusion; tone: Confusion; sensitive: Confusion };
  misses: string[];
  /** Topic confidence against topic right; risk confidence of flagged tickets against risk category right. */
  calibration?: { topic: Calibration; risk: Calibration };
}

function tally(m: Confusion, want: string, got: string): void {
  m[want] ??= {};
  m[want][got] = (m[want][got] ?? 0) + 1;
}

export function scoreTriage(rows: LabelledTicket[], predictions: Prediction[]): Scores {
  const c = { topic: {}, risk: {}, urgency: {}, tone: {}, sensitive: {} };
  let topic = 0,
    topicsOk = 0,
    urgency = 0,
    within = 0,
    tone = 0,
    risk = 0,
    tp = 0,
    fn = 0,
    fp = 0,
    mTp = 0,
    mFn = 0,
    mFp = 0;
  const misses: string[] = [];
  rows.forEach((r, i) => {
    const p = predictions[i]!;
    const sorted = (xs: string[]) => [...xs].sort().join('+');
    if (p.topic === r.topic) topic++;
    else misses.push(`${r.id} topic ${p.topic} (want ${r.topic})`);
    if (sorted(p.topics) === sorted(r.topics)) topicsOk++;
    if (p.urgency === r.urgency) urgency++;
    if (Math.abs(urgencies.indexOf(p.urgency) - urgencies.indexOf(r.urgency)) <= 1) within++;
    else misses.push(`${r.id} urgency ${p.urgency} (want ${r.urgency})`);
    if (p.tone === r.tone) tone++;
    if (p.risk_category === r.risk_category) risk++;
    else misses.push(`${r.id} risk ${p.risk_category} (want ${r.risk_category})`);
    if (r.is_sensitive && p.is_sensitive) tp++;
    if (r.is_sensitive && !p.is_sensitive) fn++;
    if (!r.is_sensitive && p.is_sensitive) fp++;
    if (r.manipulation && p.manipulation) mTp++;
    if (r.manipulation && !p.manipulation) {
      mFn++;
      misses.push(`${r.id} manipulation missed`);
    }
    if (!r.manipulation && p.manipulation) mFp++;
    tally(c.topic, r.topic, p.topic);
    tally(c.risk, r.risk_category, p.risk_category);
    tally(c.urgency, r.urgency, p.urgency);
    tally(c.tone, r.tone, p.tone);
    tally(c.sensitive, String(r.is_sensitive), String(p.is_sensitive));
  });
  const n = rows.length || 1;
  const withConfidence = predictions.every((p) => p.confidence?.topic !== undefined && p.confidence.risk !== undefined);
  const flagged = rows.map((r, i) => [r, predictions[i]!] as const).filter(([, p]) => p.is_sensitive);
  return {
    n: rows.length,
    topic: topic / n,
    topics: topicsOk / n,
    urgency: urgency / n,
    urgencyWithinOne: within / n,
    tone: tone / n,
    risk: risk / n,
    sensitiveRecall: tp + fn ? tp / (tp + fn) : 1,
    sensitivePrecision: tp + fp ? tp / (tp + fp) : 1,
    manipulationRecall: mTp + mFn ? mTp / (mTp + mFn) : 1,
    manipulationFalsePositives: mFp,
    confusion: c,
    misses,
    calibration: withConfidence
      ? {
          topic: calibration(
            rows.map((r, i) => ({
              confidence: predictions[i]!.confidence!.topic!,
              correct: predictions[i]!.topic === r.topic,
            })),
          ),
          risk: calibration(
            flagged.map(([r, p]) => ({
              confidence: p.confidence!.risk!,
              correct: p.risk_category === r.risk_category,
            })),
          ),
        }
      : undefined,
  };
}

export function formatCalibration(name: string, c: Calibration): string {
  const bins = c.bins
    .filter((b) => b.n > 0)
    .map(
      (b) =>
        `  [${b.from.toFixed(2)}, ${b.to.toFixed(2)}) n ${b.n}: confidence ${b.confidence.toFixed(3)}, right ${b.accuracy.toFixed(3)}`,
    );
  return [`${name} calibration (expected error ${c.ece.toFixed(3)}):`, ...bins].join('\n');
}

/** A confusion matrix as a text table: rows are the labels, columns what the model said. */
export function formatConfusion(name: string, m: Confusion): string {
  const labels = [...new Set([...Object.keys(m), ...Object.values(m).flatMap((r) => Object.keys(r))])].sort();
  const w = Math.max(8, ...labels.map((l) => l.length)) + 1;
  const head = `${`${name} (label \\ model)`.padEnd(w + 4)}${labels.map((l) => l.padStart(w)).join('')}`;
  const lines = labels
    .filter((l) => m[l])
    .map((l) => `${l.padEnd(w + 4)}${labels.map((g) => String(m[l]?.[g] ?? '.').padStart(w)).join('')}`);
  return [head, ...lines].join('\n');
}

export function formatScores(title: string, s: Scores): string {
  const pct = (x: number) => x.toFixed(3);
  return [
    `${title} (${s.n} tickets)`,
    `topic ${pct(s.topic)}  secondary topics ${pct(s.topics)}  risk ${pct(s.risk)}  urgency ${pct(s.urgency)} (within one level ${pct(s.urgencyWithinOne)})  tone ${pct(s.tone)}`,
    `sensitive recall ${pct(s.sensitiveRecall)} precision ${pct(s.sensitivePrecision)}  manipulation recall ${pct(s.manipulationRecall)} (false alarms ${s.manipulationFalsePositives})`,
  ].join('\n');
}

/** One ticket's sensitivity as the threshold sees it: the model's P, the label, and whether the rules
 * flagged it already (those need no threshold). */
export interface SensitivityPoint {
  p: number;
  sensitive: boolean;
  byRules: boolean;
}

/**
 * The highest threshold that misses no sensitive ticket (recall 1.0), and the precision it gives: the
 * calibration rule for the sensitivity decision, applied to cross-validated P only.
 */
export function fullRecallThreshold(points: SensitivityPoint[]): { threshold: number; precision: number } {
  const threshold = Math.min(1, ...points.filter((x) => x.sensitive && !x.byRules).map((x) => x.p));
  const flagged = points.filter((x) => x.byRules || x.p >= threshold);
  const precision = flagged.length ? flagged.filter((x) => x.sensitive).length / flagged.length : 1;
  return { threshold, precision };
}
