/** How random a token looks: what tells a pasted key from a commit SHA, a UUID or a CamelCaseWord. */

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const HEX_ONLY = /^[0-9a-f]+$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A random-looking token: long, mixes upper, lower and digits, high entropy. Hex-only strings are commit
 * SHAs or ids, UUIDs are ids, and CamelCaseWords have no digits: all of those survive.
 */
export function looksLikeSecret(value: string): boolean {
  if (value.length < 24 || value.length > 4096) return false;
  if (HEX_ONLY.test(value) || UUID.test(value)) return false;
  if (!/[A-Z]/.test(value) || !/[a-z]/.test(value) || !/\d/.test(value)) return false;
  const digits = (value.match(/\d/g) ?? []).length;
  if (digits < 2) return false;
  return entropy(value) >= 3.6;
}
