import "server-only";
import { BackgroundWork } from "@/lib/background/background-work";
import type { Clock } from "@/lib/clock";
import { type ChangeNotifier, EVERY_TERMINAL } from "@/lib/events/change-notifier";
import { type EventBus, terminalTopic } from "@/lib/events/event-bus";
import type { Logger } from "@/lib/log";
import { type DisplayBrand, overlayBrand, readDisplayBrand } from "@/lib/settings/branding-settings";
import type { CountersRepository, SalesRepository, SettingsRepository } from "@/lib/store/repositories";
import {
  CHECK_IN_NOTICE_MS,
  cartConsumedBy,
  computeDisplayState,
  type DisplayState,
  type TerminalCart,
} from "./display-state";
import { type DisplayFeedParams, displayStateStream } from "./display-stream";
import { DEFAULT_STREAMS_PER_LINK, StreamBound } from "./stream-bound";

/**
 * What each terminal's customer display shows, computed from the store and pushed live. A change
 * rings the notifier (across instances with PostgreSQL); every instance that hears it reads the
 * current state and hands it to its own open streams, so a display on any instance follows a sale
 * made on any other.
 */
export class DisplayService {
  /** Terminals whose state is being read to publish; `again` when a ring came in meanwhile. */
  private readonly publishing = new Map<string, { again: boolean }>();
  /** What a ring starts here: the notifier calls its listeners without waiting for them. */
  private readonly background = new BackgroundWork();
  private readonly streams: StreamBound;
  /**
   * Until when each terminal's display shows the check-in notice. In this process only: the
   * notice lasts seconds, and the instance that got the check-in's webhook publishes it.
   */
  private readonly checkedInUntil = new Map<string, number>();

  /**
   * The shop's name and branding as every display shows them, read once and kept until a
   * shop-wide ring (from any instance) or a resync says they may have changed: they change a few
   * times a year, and were three of the eight reads of every published state.
   */
  private readonly storeLooks = new Map<string, Promise<DisplayBrand | undefined>>();

  private shopLook:
    | Promise<{ shopName: string; brand: Awaited<ReturnType<typeof readDisplayBrand>>; receiptBase?: string }>
    | undefined;

  constructor(
    private readonly deps: {
      sales: SalesRepository;
      counters: CountersRepository;
      settings: SettingsRepository;
      bus: EventBus<DisplayState>;
      notifier: ChangeNotifier;
      clock: Clock;
      log: Logger;
      shopName: () => Promise<string>;
      /** The origin receipt addresses start with, while the paid screen shows a receipt QR (Settings). */
      receiptQrBase?: () => Promise<string | undefined>;
      qrImage?: boolean;
      brandSwitchAtMs?: number;
      vippsStatus?: () => { available: boolean; since?: string };
      /** A store's own accent and logo, laid over the shop's on its terminals' displays. */
      storeBrand?: (storeId: string) => Promise<DisplayBrand | undefined>;
      /** KASSA_DISPLAY_STREAMS_PER_LINK: open streams one display link or paired device may hold here. */
      streamsPerLink?: number;
    },
  ) {
    this.streams = new StreamBound(deps.streamsPerLink ?? DEFAULT_STREAMS_PER_LINK);
    const hear = (terminalId: string) =>
      this.background.track(
        this.heard(terminalId).catch((error: unknown) =>
          this.deps.log.warn("Could not publish the displays' states after a ring", { terminalId, err: error }),
        ),
      );
    deps.notifier.onChange(hear);
    // Rings may have been missed, a shop-wide one among them.
    deps.notifier.onResync(() => hear(EVERY_TERMINAL));
  }

  /** Resolves once the reads and publishes that rings started here have ended. */
  settled(): Promise<void> {
    return this.background.settled();
  }

  /**
   * What a ring means on this instance: publish the terminal's state; for EVERY_TERMINAL, forget
   * the shop's look (synchronously, before any read that follows the ring) and publish every display.
   */
  private heard(terminalId: string): Promise<void> {
    if (terminalId !== EVERY_TERMINAL) return this.publishHere(terminalId);
    this.shopLook = undefined;
    this.storeLooks.clear();
    return this.publishAllHere();
  }

  private readShopLook() {
    if (!this.shopLook) {
      const reading = Promise.all([
        this.deps.shopName(),
        readDisplayBrand(this.deps.settings),
        this.deps.receiptQrBase?.(),
      ]).then(([shopName, brand, receiptBase]) => ({ shopName, brand, ...(receiptBase ? { receiptBase } : {}) }));
      this.shopLook = reading;
      // A failed read is not kept: the next state asks again.
      reading.catch(() => {
        if (this.shopLook === reading) this.shopLook = undefined;
      });
    }
    return this.shopLook;
  }

  /** A store's own look, kept like the shop's until a shop-wide ring (a store's branding rings one). */
  private readStoreLook(storeId: string | undefined): Promise<DisplayBrand | undefined> {
    const read = this.deps.storeBrand;
    if (!storeId || !read) return Promise.resolve(undefined);
    let look = this.storeLooks.get(storeId);
    if (!look) {
      const reading = read(storeId);
      look = reading;
      this.storeLooks.set(storeId, reading);
      reading.catch(() => {
        if (this.storeLooks.get(storeId) === reading) this.storeLooks.delete(storeId);
      });
    }
    return look;
  }

  async state(terminalId: string): Promise<DisplayState | undefined> {
    const { sales, counters } = this.deps;
    // Side by side: on PostgreSQL each read is a round trip of its own.
    const [terminal, shown, { shopName, brand, receiptBase }, cart] = await Promise.all([
      counters.getTerminal(terminalId),
      // The sale shown, its attempt and the newest event's id (the frame's SSE id) in one read:
      // they were four, in two rounds, three or four times a sale.
      sales.getShownSale(terminalId),
      this.readShopLook(),
      counters.getCart(terminalId),
    ]);
    if (!terminal) return undefined;
    const storeBrand = await this.readStoreLook(terminal.storeId);
    const sale = shown?.sale;
    const attempt = shown?.attempt;
    const version = shown?.latestEventId ?? 0;
    return computeDisplayState({
      terminal,
      shopName,
      sale,
      attempt,
      nowMs: this.deps.clock.now(),
      version,
      // A cart no newer than the sale shown is one a racing update wrote back after the charge.
      cart: cart && !(sale && cartConsumedBy(cart.updatedAt, sale.createdAt)) ? (cart.cart as TerminalCart) : undefined,
      brand: overlayBrand(brand, storeBrand),
      qrImage: this.deps.qrImage,
      receiptBase,
      brandSwitchAtMs: this.deps.brandSwitchAtMs,
      vipps: this.deps.vippsStatus?.(),
      checkedInUntilMs: this.checkedInUntil.get(terminalId),
    });
  }

  /**
   * The till's sticker was scanned with no sale waiting: the display asks the customer to wait for
   * the cashier, for CHECK_IN_NOTICE_MS, and then shows what it did before.
   */
  showCheckIn(terminalId: string): void {
    const until = this.deps.clock.now() + CHECK_IN_NOTICE_MS;
    this.checkedInUntil.set(terminalId, until);
    const publish = () =>
      this.background.track(
        this.publishHere(terminalId).catch((error: unknown) =>
          this.deps.log.warn("Could not publish a display's check-in notice", { terminalId, err: error }),
        ),
      );
    publish();
    setTimeout(() => {
      if (this.checkedInUntil.get(terminalId) === until) this.checkedInUntil.delete(terminalId);
      publish();
    }, CHECK_IN_NOTICE_MS).unref?.();
  }

  /** Tells every instance's displays of this terminal to show its current state. */
  async publish(terminalId: string): Promise<void> {
    try {
      await this.deps.notifier.notify(terminalId);
    } catch (error) {
      // The doorbell is down: this instance's displays still follow; others catch up on resync.
      this.deps.log.warn("Could not ring the change notifier", { terminalId, err: error });
      await this.heard(terminalId);
    }
  }

  /** After a shop-wide change (name, branding): every instance re-reads it and re-publishes every display. */
  async publishAll(): Promise<void> {
    await this.publish(EVERY_TERMINAL);
  }

  /**
   * Reads and sends the state to this instance's open streams; nothing to do when none is open.
   * Rings for a terminal whose state is being read meanwhile are answered by one more read after
   * it: every ring is followed by a read that began after it, the states go out in the order they
   * were read, and a burst of changes costs two reads, not one each.
   */
  private async publishHere(terminalId: string): Promise<void> {
    const topic = terminalTopic(terminalId);
    if (this.deps.bus.subscriberCount(topic) === 0) return;
    const running = this.publishing.get(terminalId);
    if (running) {
      running.again = true;
      return;
    }
    const turn = { again: false };
    this.publishing.set(terminalId, turn);
    try {
      do {
        turn.again = false;
        try {
          const state = await this.state(terminalId);
          if (state) this.deps.bus.publish(topic, state);
        } catch (error) {
          this.deps.log.warn("Could not read a display state to publish", { terminalId, err: error });
        }
      } while (turn.again);
    } finally {
      this.publishing.delete(terminalId);
    }
  }

  private async publishAllHere(): Promise<void> {
    for (const terminal of await this.deps.counters.listTerminals()) await this.publishHere(terminal.id);
  }

  /**
   * The live SSE stream of one terminal's display, or undefined when there is no such terminal.
   * `credential` names what opened it (a display link, a paired device): past the bound of open
   * streams per credential, the oldest ends (StreamBound).
   */
  async stream(
    terminalId: string,
    signal: AbortSignal,
    stillAuthorized: () => Promise<boolean>,
    credential?: string,
  ): Promise<ReadableStream<Uint8Array> | undefined> {
    if (!(await this.deps.counters.getTerminal(terminalId))) return undefined;
    if (credential === undefined) return displayStateStream(this.feed(terminalId, signal, stillAuthorized));
    const { signal: pushedOut, release } = this.streams.admit(credential);
    const ended = AbortSignal.any([signal, pushedOut]);
    ended.addEventListener("abort", release, { once: true });
    return displayStateStream(this.feed(terminalId, ended, stillAuthorized));
  }

  /** Open streams under one credential in this process. */
  openStreams(credential: string): number {
    return this.streams.count(credential);
  }

  private feed(terminalId: string, signal: AbortSignal, stillAuthorized: () => Promise<boolean>): DisplayFeedParams {
    return {
      terminalId,
      bus: this.deps.bus,
      current: () => this.state(terminalId),
      now: () => this.deps.clock.now(),
      signal,
      stillAuthorized,
    };
  }
}
