/** What every detector finds and how the registry knows it. */
export const piiKinds = [
  'email',
  'phone',
  'credit_card',
  'iban',
  'ssn',
  'ipv4',
  'ipv6',
  'github_token',
  'aws_access_key',
  'aws_secret_key',
  'jwt',
  'secret',
  'person',
] as const;
export type PiiKind = (typeof piiKinds)[number];

export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
  value: string;
}

/** A found span; the registry adds the value. */
export interface Span {
  kind: PiiKind;
  start: number;
  end: number;
}

export interface DetectOptions {
  /** ISO 3166 region for phone numbers written without a country code. */
  region: string;
  /** Person names: off unless the operator turns them on (names are fuzzy; the rest is validated). */
  names: boolean;
}

export interface Detector {
  name: string;
  /** What it can find: a caller that wants only some kinds (the log mask) skips the rest. */
  kinds: readonly PiiKind[];
  /** Higher wins when two spans overlap (a JWT beats the generic secret that also matches it). */
  priority: number;
  /**
   * Must run in time linear in the text: every pattern starts only at a token boundary and has a bounded
   * or unambiguous repetition, so no position is scanned more than a constant number of times.
   */
  find(text: string, options: DetectOptions): Span[];
}

/**
 * Runs a global regex over the text and hands each match to `accept`. A rejected match resumes one character
 * later only when `retry` says so; patterns that use it must be bounded in length, so the rescan is constant.
 */
export function eachMatch(text: string, pattern: RegExp, accept: (m: RegExpExecArray) => boolean, retry = false): void {
  // Detectors are synchronous and never nest a pattern inside itself, so a global pattern is reused as is.
  const re = pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) re.lastIndex++;
    else if (!accept(m) && retry) re.lastIndex = m.index + 1;
  }
}
