import "server-only";
import type { Clock } from "@/lib/clock";
import { type EventBus, terminalTopic } from "@/lib/events/event-bus";
import type { Store } from "@/lib/store/store";
import { computeDisplayState, type DisplayState } from "./display-state";
import { displayStateStream } from "./display-stream";

/** What each terminal's customer display shows, computed from the store and pushed live. */
export class DisplayService {
  constructor(private readonly deps: { store: Store; bus: EventBus<DisplayState>; clock: Clock; shopName: () => Promise<string> }) {}

  async state(terminalId: string): Promise<DisplayState | undefined> {
    const { store } = this.deps;
    const terminal = await store.getTerminal(terminalId);
    if (!terminal) return undefined;
    const sale = (await store.getActiveSale(terminalId)) ?? (await store.getLatestSale(terminalId));
    const attempt = sale ? await store.getAttempt(sale.currentAttemptId) : undefined;
    return computeDisplayState({ terminal, shopName: await this.deps.shopName(), sale, attempt, nowMs: this.deps.clock.now() });
  }

  async publish(terminalId: string): Promise<void> {
    const state = await this.state(terminalId);
    if (state) this.deps.bus.publish(terminalTopic(terminalId), state);
  }

  async publishAll(): Promise<void> {
    for (const terminal of await this.deps.store.listTerminals()) await this.publish(terminal.id);
  }

  /** The live SSE stream of one terminal's display, or undefined when there is no such terminal. */
  async stream(terminalId: string, signal: AbortSignal, stillAuthorized: () => Promise<boolean>): Promise<ReadableStream<Uint8Array> | undefined> {
    if (!(await this.deps.store.getTerminal(terminalId))) return undefined;
    return displayStateStream({
      terminalId,
      bus: this.deps.bus,
      current: () => this.state(terminalId),
      now: () => this.deps.clock.now(),
      signal,
      stillAuthorized,
    });
  }
}
