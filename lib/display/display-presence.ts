import "server-only";
import { BackgroundWork } from "@/lib/background/background-work";
import type { DisplayHealth } from "@/lib/contracts/terminals";
import { DISPLAY_FORGET_AFTER_MS, type DisplayKind, type DisplayPresence } from "@/lib/entities/display";
import type { Logger } from "@/lib/log";
import type { CountersRepository } from "@/lib/store/repositories";
import { SlidingWindowRateLimiter } from "@/lib/auth/rate-limit";

/** A display that has not been heard from for this long counts as offline. */
export const DISPLAY_OFFLINE_AFTER_MS = 60_000;
/** How often an open display says it is alive; two missed beats and a margin fit in the minute. */
export const DISPLAY_HEARTBEAT_MS = 20_000;
/** A counter has one or two displays; whoever holds its link could otherwise invent hundreds. */
export const MAX_DISPLAYS_PER_TERMINAL = 10;
/**
 * Presence writes per terminal per minute, in this process: ten displays beating every 20 s make
 * 30, reconnects a few more. Beyond it a display's word is not recorded (its stream still works).
 */
export const PRESENCE_WRITES_PER_MINUTE = 60;

/** A display's own id, as the browser makes it (components/display/display-identity.ts). */
export const DISPLAY_ID = /^[A-Za-z0-9_-]{8,64}$/;
const SCREEN = /^[0-9]{1,5}x[0-9]{1,5}$/;

/** What a display says about itself: its id (kept in the browser) and its screen size. */
export interface DisplayReport {
  displayId: string | null;
  screen: string | null;
  userAgent: string | null;
}

/**
 * Display health. A display is seen when its stream opens and at each heartbeat it sends (a
 * server's own pings would be written into a dead socket's buffer without error, so only the
 * display's word counts); a stream that closes marks it disconnected at once. Wall-clock time:
 * the adjustable test clock must not make live displays look stale.
 */
export class DisplayPresenceService {
  /** Open streams per display in this process: a display reconnecting here is not marked gone by its old stream closing. */
  private readonly openStreams = new Map<string, number>();
  private readonly writesPerTerminal = new SlidingWindowRateLimiter(PRESENCE_WRITES_PER_MINUTE, 60_000);
  /** The writes a closing stream starts: its caller (the stream's end) does not wait for them. */
  private readonly background = new BackgroundWork();

  constructor(private readonly deps: { counters: CountersRepository; log: Logger; now?: () => number }) {}

  /** Resolves once the closes recorded in the background are written. */
  settled(): Promise<void> {
    return this.background.settled();
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** A display id from the browser if it is well formed; anything else is not trusted as a key. */
  static validReport(report: DisplayReport): { displayId: string; screen: string; userAgent: string } | undefined {
    if (!report.displayId || !DISPLAY_ID.test(report.displayId)) return undefined;
    return {
      displayId: report.displayId,
      screen: report.screen && SCREEN.test(report.screen) ? report.screen : "",
      // Shown to the shop owner only, as text; long or odd agents are cut, not refused.
      userAgent: (report.userAgent ?? "").replace(/[^\x20-\x7e]/g, "").slice(0, 200),
    };
  }

  /**
   * A display's stream opened. Returns what to call when it closes. The cashier's own view of the
   * display (the till's mirror) is not a customer display and is not counted.
   */
  async streamOpened(terminalId: string, viewer: DisplayKind | "cashier", report: DisplayReport): Promise<() => void> {
    const valid = DisplayPresenceService.validReport(report);
    if (viewer === "cashier" || !valid) return () => undefined;
    this.openStreams.set(valid.displayId, (this.openStreams.get(valid.displayId) ?? 0) + 1);
    await this.recordSeen(terminalId, viewer, valid);
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      const left = (this.openStreams.get(valid.displayId) ?? 1) - 1;
      if (left > 0) return void this.openStreams.set(valid.displayId, left);
      this.openStreams.delete(valid.displayId);
      this.background.track(
        this.deps.counters.recordDisplayDisconnected(valid.displayId, this.now()).catch((error: unknown) =>
          this.deps.log.warn("Could not record a display's stream as closed", {
            terminalId,
            displayId: valid.displayId,
            err: error,
          }),
        ),
      );
    };
  }

  /** The display's heartbeat. False when its report was not usable (nothing recorded). */
  async heartbeat(terminalId: string, viewer: DisplayKind | "cashier", report: DisplayReport): Promise<boolean> {
    const valid = DisplayPresenceService.validReport(report);
    if (viewer === "cashier" || !valid) return false;
    return this.recordSeen(terminalId, viewer, valid);
  }

  /** Records the display as seen, unless its terminal's link is writing more than displays do. */
  private async recordSeen(
    terminalId: string,
    kind: DisplayKind,
    report: { displayId: string; screen: string; userAgent: string },
  ): Promise<boolean> {
    const nowMs = this.now();
    if (!this.writesPerTerminal.consume(terminalId, nowMs).allowed) {
      this.deps.log.warn("Display presence not recorded: too many reports on this terminal's link", { terminalId });
      return false;
    }
    await this.deps.counters.recordDisplaySeen({ ...report, terminalId, kind, atMs: nowMs }, MAX_DISPLAYS_PER_TERMINAL);
    return true;
  }

  async list(terminalId: string): Promise<DisplayHealth[]> {
    const nowMs = this.now();
    const seen = await this.deps.counters.listDisplayPresence(terminalId, nowMs - DISPLAY_FORGET_AFTER_MS);
    return seen.map((presence) => healthOf(presence, nowMs));
  }

  async prune(): Promise<number> {
    return this.deps.counters.pruneDisplayPresence(this.now() - DISPLAY_FORGET_AFTER_MS);
  }
}

function healthOf(presence: DisplayPresence, nowMs: number): DisplayHealth {
  return {
    id: presence.displayId,
    kind: presence.kind,
    online: presence.disconnectedAtMs === undefined && nowMs - presence.lastSeenAtMs < DISPLAY_OFFLINE_AFTER_MS,
    lastSeenAt: new Date(presence.disconnectedAtMs ?? presence.lastSeenAtMs).toISOString(),
    connectedAt: presence.connectedAt,
    userAgent: presence.userAgent,
    screen: presence.screen || null,
  };
}
