import "server-only";
import { readCookie } from "@/lib/auth/admin-session";
import { inProcessRateLimit, type SharedRateLimit, sharedRateLimiter } from "@/lib/auth/rate-limit";
import type { Clock } from "@/lib/clock";
import type { PairResult } from "@/lib/contracts/terminals";
import { DomainError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import { safeEqual } from "@/lib/safe-equal";
import type { CountersRepository } from "@/lib/store/repositories";
import {
  claimPairing,
  createPairing,
  DISPLAY_DEVICE_COOKIE,
  deviceCookie,
  hashDeviceToken,
  pairDisplay,
} from "./pairing";
import { clientAddress } from "@/lib/http/client-address";

const connectionAddress = (request: Request) => clientAddress(request, 0);

export type DisplayViewer = "link" | "paired" | "cashier";

/** A display asks for a new code every ten minutes; anything much faster is someone filling the table. */
export const PAIRING_REQUESTS_PER_MINUTE = 20;
/** Wrong codes a terminal may be given per window before pairing it pauses. */
export const WRONG_CODES_PER_WINDOW = 10;
export const WRONG_CODE_WINDOW_MS = 10 * 60 * 1000;

/**
 * Who may see a terminal's display, and how a display gets that right: a kiosk holding the
 * terminal's display link token (`?token=`), a paired display whose device cookie is bound to the
 * terminal, or a signed-in cashier (the admin page follows the same live stream).
 */
export class DisplayAccess {
  constructor(
    private readonly deps: {
      counters: CountersRepository;
      clock: Clock;
      log: Logger;
      isCashier: (request: Request) => Promise<boolean>;
      secureCookies: boolean;
      /** Pairing requests per client; in-process when not given. */
      pairingLimit?: SharedRateLimit;
      /** Wrong pairing codes per terminal; in-process when not given. */
      guessLimit?: SharedRateLimit;
      /** The client's address as far as it can be trusted; the connection's own when not given. */
      clientAddress?: (request: Request) => string;
    },
  ) {
    this.pairingLimit =
      deps.pairingLimit ??
      inProcessRateLimit(sharedRateLimiter("display-pairing", PAIRING_REQUESTS_PER_MINUTE, 60_000));
    this.guessLimit =
      deps.guessLimit ??
      inProcessRateLimit(sharedRateLimiter("display-pairing-guess", WRONG_CODES_PER_WINDOW, WRONG_CODE_WINDOW_MS));
  }

  private readonly pairingLimit: SharedRateLimit;
  private readonly guessLimit: SharedRateLimit;

  /**
   * Who is watching the terminal's display: a display opened by its link (token), a paired
   * display (device cookie), the cashier (admin session), or nobody allowed (undefined).
   */
  async viewerOf(request: Request, terminalId: string): Promise<DisplayViewer | undefined> {
    const { counters } = this.deps;
    const token = new URL(request.url).searchParams.get("token");
    if (token) {
      const terminal = await counters.getTerminal(terminalId);
      if (terminal && safeEqual(token, terminal.displayToken)) return "link";
    }
    const deviceToken = readCookie(request.headers.get("cookie"), DISPLAY_DEVICE_COOKIE);
    if (deviceToken) {
      const device = await counters.getDeviceByTokenHash(hashDeviceToken(deviceToken));
      if (device && !device.revokedAt && device.terminalId === terminalId) return "paired";
    }
    return (await this.deps.isCashier(request)) ? "cashier" : undefined;
  }

  async authorize(request: Request, terminalId: string): Promise<boolean> {
    return (await this.viewerOf(request, terminalId)) !== undefined;
  }

  async viewerOrThrow(request: Request, terminalId: string): Promise<DisplayViewer> {
    const viewer = await this.viewerOf(request, terminalId);
    if (!viewer)
      throw new DomainError(
        "unauthorized",
        "This display is not paired with the terminal. Open its display link or pair it from the admin page.",
      );
    return viewer;
  }

  async authorizeOrThrow(request: Request, terminalId: string): Promise<void> {
    await this.viewerOrThrow(request, terminalId);
  }

  /** The terminal a paired display belongs to, from its device cookie alone. */
  async pairedTerminalOf(request: Request): Promise<string> {
    const deviceToken = readCookie(request.headers.get("cookie"), DISPLAY_DEVICE_COOKIE);
    const device = deviceToken
      ? await this.deps.counters.getDeviceByTokenHash(hashDeviceToken(deviceToken))
      : undefined;
    if (!device || device.revokedAt) throw new DomainError("notFound", "This browser is not a paired display.");
    return device.terminalId;
  }

  /** The display's first step: a short code to show, for a cashier to type in. */
  async startPairing(request: Request): Promise<{ id: string; code: string; expiresAt: string; serverTime: string }> {
    const verdict = await this.pairingLimit.consume(
      (this.deps.clientAddress ?? connectionAddress)(request),
      Date.now(),
    );
    if (!verdict.allowed) {
      const seconds = Math.ceil(verdict.retryAfterMs / 1000);
      throw new DomainError("rateLimited", `Too many pairing codes. Try again in ${seconds} s.`, {
        retryAfterSeconds: seconds,
      });
    }
    const nowMs = this.deps.clock.now();
    return { ...(await createPairing(this.deps.counters, nowMs)), serverTime: new Date(nowMs).toISOString() };
  }

  /** The display polls its pairing; once paired it receives its device cookie, once. */
  async pollPairing(id: string): Promise<{ body: Record<string, unknown>; cookie?: string }> {
    const result = await claimPairing(this.deps.counters, id, this.deps.clock.now());
    if (!result) throw new DomainError("notFound", "No such pairing. Start a new one.");
    if (result.status !== "paired") return { body: result };
    return {
      body: { status: "paired", terminalId: result.terminalId },
      ...(result.deviceToken ? { cookie: deviceCookie(result.deviceToken, this.deps.secureCookies) } : {}),
    };
  }

  /** The cashier's step: binds the display that shows `code` to the terminal. */
  async pair(terminalId: string, code: string, label?: string): Promise<PairResult> {
    if (!(await this.deps.counters.getTerminal(terminalId)))
      throw new DomainError("notFound", `No terminal with id ${terminalId}`);
    // A code is six letters from 25: guessing one must take far longer than a code lives.
    const wallMs = Date.now();
    const verdict = await this.guessLimit.check(terminalId, wallMs);
    if (!verdict.allowed) {
      const seconds = Math.ceil(verdict.retryAfterMs / 1000);
      throw new DomainError(
        "rateLimited",
        `Too many wrong pairing codes for this terminal. Try again in ${seconds} s.`,
        { retryAfterSeconds: seconds },
      );
    }
    const result = await pairDisplay(this.deps.counters, terminalId, code, this.deps.clock.now(), label);
    if (!result.ok) await this.guessLimit.record(terminalId, wallMs);
    if (!result.ok) {
      const detail =
        result.reason === "expired"
          ? "That code has expired. The display shows a new one; enter that."
          : "No display is showing that code. Check the letters on the display.";
      throw new DomainError("validation", detail, { errors: [{ field: "code", reason: result.reason }] });
    }
    this.deps.log.info("Display paired", { terminalId, deviceId: result.deviceId });
    return { paired: true, terminalId, deviceId: result.deviceId };
  }
}
