/**
 * Reads the send stamp from the tail of a frame, `..."t":<digits>}}}`, straight from the received bytes:
 * no string decoding and no JSON.parse per frame, so the client's cost per message stays a few
 * instructions and the benchmark measures the servers, not the clients' parsers.
 */
const CLOSE_BRACE = 0x7d;
const COLON = 0x3a;
const ZERO = 0x30;

/** The stamp in microseconds, or -1 when the frame does not end the expected way. */
export function stampFromFrameTail(buf: Buffer, start: number, end: number): number {
  let p = end - 1;
  if (p - 3 < start || buf[p] !== CLOSE_BRACE || buf[p - 1] !== CLOSE_BRACE || buf[p - 2] !== CLOSE_BRACE) return -1;
  p -= 3;
  let value = 0;
  let scale = 1;
  while (p >= start) {
    const c = buf[p]!;
    if (c === COLON) return scale === 1 ? -1 : value;
    const d = c - ZERO;
    if (d < 0 || d > 9) return -1;
    value += d * scale;
    scale *= 10;
    p--;
  }
  return -1;
}
