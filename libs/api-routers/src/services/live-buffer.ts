/** The most events a slow client may fall behind by; past it the stream ends and the client reconnects and replays from the DB. */
const MAX_BUFFERED = 1_000;

/**
 * Events pushed by the hub, pulled by a subscription's generator. `next()` resolves null once the
 * client has left (signal aborted) or fell too far behind, so the generator returns and its
 * `finally` detaches the hub listener; a pending wait never outlives the client.
 */
export class EventBuffer<T> {
  private readonly queue: T[] = [];
  private wake: (() => void) | null = null;
  private overflowed = false;

  constructor(private readonly signal: AbortSignal | undefined) {
    signal?.addEventListener('abort', () => this.wake?.(), { once: true });
  }

  readonly push = (event: T): void => {
    if (this.queue.length >= MAX_BUFFERED) this.overflowed = true;
    else this.queue.push(event);
    this.wake?.();
  };

  async next(): Promise<T | null> {
    for (;;) {
      if (this.signal?.aborted || this.overflowed) return null;
      const event = this.queue.shift();
      if (event !== undefined) return event;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }
}
