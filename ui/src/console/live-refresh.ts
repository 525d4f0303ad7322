/**
 * How the console's views refresh around the queue stream (queue-live.ts): a burst of frames makes one
 * reload, and a view polls only while the stream is down.
 */

/** `fn` at most once per `gapMs`: the first call runs after `gapMs`, calls meanwhile join it. */
export function coalesce(fn: () => void, gapMs: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      fn();
    }, gapMs);
  };
}

/** Polls `fn` every `everyMs` until the stream is live, and again whenever it goes down. */
export class PollWhileDown {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly fn: () => void,
    private readonly everyMs: number,
  ) {
    this.setLive(false);
  }

  setLive(live: boolean): void {
    clearInterval(this.timer);
    this.timer = live ? undefined : setInterval(this.fn, this.everyMs);
  }
}
