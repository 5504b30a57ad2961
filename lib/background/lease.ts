import "server-only";
import { hostname } from "node:os";
import type { Logger } from "@/lib/log";
import type { OperationsRepository } from "@/lib/store/repositories";

/**
 * Who this instance is, for leases: its host and port. No two running instances share both, and
 * the same instance restarted (a deploy, a crash) is the same holder, so it resumes its own leases
 * at once instead of waiting for them to run out.
 */
export const INSTANCE_ID = `${hostname()}:${process.env.PORT ?? "3000"}`;

/**
 * A named lease in the store, held by at most one app instance: background work that must run once
 * across instances (polling Vipps, expiring QRs, registering the webhook) runs only where the lease
 * is held. The holder renews it every `renewMs`; when a holder dies, its lease runs out after
 * `ttlMs` and another instance's next try takes it over. Wall-clock time: leases are between
 * processes, and the app's adjustable clock is not.
 */
export class Lease {
  private timer: NodeJS.Timeout | undefined;
  private holding = false;
  private readonly acquiredListeners: (() => void)[] = [];

  constructor(
    private readonly deps: {
      operations: OperationsRepository;
      log: Logger;
      name: string;
      holder?: string;
      ttlMs?: number;
      renewMs?: number;
    },
  ) {}

  get held(): boolean {
    return this.holding;
  }

  /** Called each time this instance (re)gains the lease: work another holder left must be picked up. */
  onAcquired(listener: () => void): void {
    this.acquiredListeners.push(listener);
  }

  async start(): Promise<void> {
    if (this.timer) return;
    await this.tryHold();
    this.timer = setInterval(() => void this.tryHold(), this.deps.renewMs ?? 2_000);
    this.timer.unref();
  }

  private async tryHold(): Promise<void> {
    const { operations, log, name } = this.deps;
    let held = false;
    try {
      held = await operations.acquireLease(
        name,
        this.deps.holder ?? INSTANCE_ID,
        this.deps.ttlMs ?? 10_000,
        Date.now(),
      );
    } catch (error) {
      // Without the store we cannot know; stop working rather than risk two workers.
      log.warn("Could not renew a lease", { lease: name, err: error });
    }
    const gained = held && !this.holding;
    if (held !== this.holding)
      log.info(held ? "Took the lease" : "Lost the lease", { lease: name, holder: this.deps.holder ?? INSTANCE_ID });
    this.holding = held;
    if (gained) for (const listener of this.acquiredListeners) listener();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.holding) {
      try {
        await this.deps.operations.releaseLease(this.deps.name, this.deps.holder ?? INSTANCE_ID);
      } catch (error) {
        // Stopping goes on: the lease runs out by itself after its time, and then another instance takes it.
        this.deps.log.warn("Could not release a lease; it runs out by itself", { lease: this.deps.name, err: error });
      }
    }
    this.holding = false;
  }
}
