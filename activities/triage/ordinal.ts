/**
 * Urgency as an ordered scale: one binary head per border ("above low", "above medium", "above high"), each
 * learning where its own border lies. A softmax over the four levels treats critical-versus-low like
 * medium-versus-low, so its expected level can land between two far-apart answers; the borders cannot.
 * The expected level is the sum of the borders' probabilities (a ticket surely above medium adds two).
 */
import { predict, train, type LinearHead, type TrainOptions } from './linear-head';

/** One head per border between level k and k + 1, trained on "is the label above k". */
export function trainOrdinal(
  xs: ArrayLike<number>[],
  levels: number[],
  levelCount: number,
  o: TrainOptions,
): LinearHead[] {
  return Array.from({ length: levelCount - 1 }, (_, k) =>
    train(
      xs,
      levels.map((l) => String(l > k)),
      ['true', 'false'],
      o,
    ),
  );
}

/** P(level = k) for each level. The borders are learnt apart, so a later one may exceed an earlier one:
 * each is capped by the one before it, which keeps every level's share at zero or more. */
export function ordinalProbabilities(borders: LinearHead[], x: ArrayLike<number>): number[] {
  const above: number[] = [];
  let cap = 1;
  for (const b of borders) {
    cap = Math.min(cap, predict(b, x)[0]!);
    above.push(cap);
  }
  return [1, ...above].map((p, k) => p - (above[k] ?? 0));
}

export function expectedLevel(probs: number[]): number {
  return probs.reduce((s, p, k) => s + p * k, 0);
}
