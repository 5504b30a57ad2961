import "server-only";

/**
 * The doorbell between app instances: "terminal X changed". It carries ids, never state; whoever
 * hears it reads the current state from the store, which stays the one truth.
 */
/**
 * The ring for a shop-wide change (shop name, branding): every terminal's display must be read
 * again, and what instances keep of the shop's settings is out of date. No terminal id is "*".
 */
export const EVERY_TERMINAL = "*";

export interface ChangeNotifier {
  /** Rings for every instance, this one included; EVERY_TERMINAL for a shop-wide change. */
  notify(terminalId: string): Promise<void>;
  /** Called for each ring, from any instance. */
  onChange(listener: (terminalId: string) => void): void;
  /**
   * Called after the doorbell was out of order (a lost database connection) and works again:
   * rings may have been missed, so listeners re-read everything.
   */
  onResync(listener: () => void): void;
  close(): Promise<void>;
}

/** One process: the ring goes straight to the listeners. */
export class InProcessNotifier implements ChangeNotifier {
  private readonly listeners: ((terminalId: string) => void)[] = [];

  async notify(terminalId: string): Promise<void> {
    for (const listener of this.listeners) listener(terminalId);
  }

  onChange(listener: (terminalId: string) => void): void {
    this.listeners.push(listener);
  }

  onResync(): void {
    // Nothing can be missed inside one process.
  }

  async close(): Promise<void> {}
}
