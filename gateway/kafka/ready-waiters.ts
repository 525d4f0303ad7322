/** Who waits for a consumer to be ready (`RecordConsumer.waitReady`): each is woken once, or times out. */
export class ReadyWaiters {
  private readonly waiters = new Set<() => void>();

  /** Resolves at the next `wake`, or rejects after `timeoutMs` naming `what`. */
  wait(timeoutMs: number, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        reject(new Error(`${what} not ready after ${timeoutMs}ms`));
      }, timeoutMs);
      this.waiters.add(done);
    });
  }

  wake(): void {
    for (const w of this.waiters) w();
  }
}
