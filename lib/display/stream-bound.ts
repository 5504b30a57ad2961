import "server-only";

/** How many display streams one credential (a display link, a paired device) may hold open in a process. */
export const DEFAULT_STREAMS_PER_LINK = 5;

/**
 * At most `limit` open streams per key in this process. A new stream over the bound ends the
 * oldest, not the new one: a display that reconnects after a network drop leaves its old
 * half-open stream behind, and refusing the reconnect would leave the real display dark.
 */
export class StreamBound {
  private readonly open = new Map<string, AbortController[]>();

  constructor(private readonly limit: number) {}

  /** A signal that aborts when this stream is pushed out by newer ones; call `release` when it ends. */
  admit(key: string): { signal: AbortSignal; release: () => void } {
    const streams = this.open.get(key) ?? [];
    const own = new AbortController();
    streams.push(own);
    this.open.set(key, streams);
    while (streams.length > this.limit) streams.shift()?.abort();
    const release = () => {
      const left = (this.open.get(key) ?? []).filter((stream) => stream !== own);
      if (left.length > 0) this.open.set(key, left);
      else this.open.delete(key);
    };
    return { signal: own.signal, release };
  }

  /** Open streams under `key` (for tests and health). */
  count(key: string): number {
    return this.open.get(key)?.length ?? 0;
  }
}
