/**
 * Work a command starts and does not await (a capture after an approval, the GET after a money
 * webhook): its caller is answered first, and the work follows on its own. Kept track of here so
 * that whoever must know it has finished (a test, before it checks what the work did or did not
 * do) can wait for it instead of sleeping and hoping.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<unknown>>();

  /** Tracks `work` until it settles. Its failure stays the caller's to handle (catch it before). */
  track(work: Promise<unknown>): void {
    const tracked: Promise<unknown> = work.then(
      () => this.running.delete(tracked),
      () => this.running.delete(tracked),
    );
    this.running.add(tracked);
  }

  /** Resolves once no tracked work is running, work started by tracked work included. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
