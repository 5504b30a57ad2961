import { isPushSale, isQrLive, isQrRunOut, phoneEnding, qrImagePath, receiptUrlOf } from "@/lib/sales/payment-rules";
import type { Currency, Language, PaymentAttempt, Sale, SaleState, Terminal } from "@/lib/sales/types";
import { DEFAULT_BRAND_SWITCH_AT, type WalletBrand, walletBrandAt } from "@/lib/vipps/brand";

/** What the customer-facing display shows. Computed on the server and streamed over SSE. */
export type DisplayPhase =
  | "idle"
  | "cart"
  | "pending"
  | "approved"
  | "paid"
  | "cancelled"
  | "expired"
  | "declined"
  | "failed";

export interface DisplayLine {
  name: string;
  quantity: number;
  unitPrice: number;
  totalAmount: number;
}

/** The shop's branding on the display (Settings): present only when the shop set some. */
export interface DisplayBrand {
  /** Accent colour, #rrggbb, checked to stand out on the display's dark background. */
  accent?: string;
  /** The logo's public address; it changes with every upload. */
  logoUrl?: string;
}

export interface DisplayState {
  terminal: {
    id: string;
    name: string;
    language: Language;
    currency: Currency;
    shopName: string;
    chime: boolean;
    brand?: DisplayBrand;
  };
  phase: DisplayPhase;
  /** Server time when this state was computed; the display derives its clock offset from it. */
  serverTime: string;
  /**
   * The wallet's name at serverTime (MobilePay becomes Vipps on 12 January 2027), and while the old
   * name holds, when it changes: a display left idle over the switch changes on time by the
   * server's clock, without waiting for the next sale.
   */
  wallet: { brand: WalletBrand; switchAt?: string };
  /** Whether Vipps takes new payments now: while not, the display tells the customer to pay another way. */
  vipps: { available: boolean; since?: string };
  /**
   * Position of this state in the event log (the newest event of the sale shown, 0 with none),
   * the same on every instance: the SSE event id.
   */
  version?: number;
  sale?: {
    id: string;
    receiptNumber: string;
    description: string;
    amount: { value: number; currency: Currency };
    lines: DisplayLine[];
    /** Present only while the QR may be scanned. */
    qr?: { url: string; expiresAt: string; imageUrl?: string };
    /**
     * A push sale still waiting: the request is on the phone ending in these digits until expiresAt
     * (no digits when it went to whoever scanned the till's sticker or showed their own QR).
     */
    push?: { phoneEnding?: string; expiresAt: string };
    endedAt?: string;
    /** Phase "paid", when the shop shows it: the customer's receipt, as a small QR on the paid screen. */
    receiptUrl?: string;
  };
  /** For outcome phases: when the display should go back to idle on its own. */
  returnToIdleAt?: string;
  /** Phase "cart": what the till is ringing up, before it charges. No QR: it is not a payment yet. */
  cart?: { lines: DisplayLine[]; total: { value: number; currency: Currency } };
  /**
   * A short message over whatever is shown: "checked-in", the till's sticker was scanned while no
   * sale waited, so the customer waits for the cashier. Gone at `until`.
   */
  notice?: { kind: "checked-in"; until: string };
}

/** How long the display asks a customer who scanned the sticker too early to wait for the cashier. */
export const CHECK_IN_NOTICE_MS = 10_000;

/** A terminal's live cart as the store keeps it (lib/terminals/cart-service.ts writes it). */
export interface TerminalCart {
  currency: Currency;
  lines: DisplayLine[];
  total: number;
}

/** How long an outcome (paid, declined …) stays on screen before the calm idle screen returns. */
export const OUTCOME_DISPLAY_MS = 8_000;

const PHASE_BY_SALE_STATE: Record<SaleState, DisplayPhase> = {
  pending: "pending",
  authorized: "approved",
  captured: "paid",
  refunded: "paid",
  cancelled: "cancelled",
  expired: "expired",
  aborted: "declined",
  failed: "failed",
};

export function computeDisplayState(params: {
  terminal: Terminal;
  shopName: string;
  sale?: Sale;
  attempt?: PaymentAttempt;
  nowMs: number;
  version?: number;
  cart?: TerminalCart;
  brand?: DisplayBrand;
  /** KASSA_QR_SOURCE=vipps: the display shows Vipps' own image, served from our origin. */
  qrImage?: boolean;
  /** The app's public origin while the paid screen shows the receipt's QR (a setting); absent: no QR. */
  receiptBase?: string;
  /** KASSA_BRAND_SWITCH_AT (lib/vipps/brand.ts); 12 January 2027 when not given. */
  brandSwitchAtMs?: number;
  /** lib/sales/vipps-availability.ts; available when not given. */
  vipps?: { available: boolean; since?: string };
  /** Until when the "wait for the cashier" notice of a check-in shows (CHECK_IN_NOTICE_MS). */
  checkedInUntilMs?: number;
}): DisplayState {
  const state = displayStateWithoutNotice(params);
  // A sale waiting for this customer says what to do itself; the notice is for everything else.
  const until = params.checkedInUntilMs;
  if (until === undefined || until <= params.nowMs || state.phase === "pending") return state;
  return { ...state, notice: { kind: "checked-in", until: new Date(until).toISOString() } };
}

function displayStateWithoutNotice(params: Parameters<typeof computeDisplayState>[0]): DisplayState {
  const { terminal, sale, attempt, nowMs } = params;
  const switchAtMs = params.brandSwitchAtMs ?? Date.parse(DEFAULT_BRAND_SWITCH_AT);
  const walletBrand = walletBrandAt(nowMs, switchAtMs);
  const base: DisplayState = {
    terminal: {
      id: terminal.id,
      name: terminal.name,
      language: terminal.language,
      currency: terminal.currency,
      shopName: params.shopName,
      chime: terminal.chime !== false,
      ...(params.brand ? { brand: params.brand } : {}),
    },
    phase: "idle",
    serverTime: new Date(nowMs).toISOString(),
    wallet:
      walletBrand === "vipps"
        ? { brand: walletBrand }
        : { brand: walletBrand, switchAt: new Date(switchAtMs).toISOString() },
    vipps: params.vipps ?? { available: true },
    ...(params.version !== undefined ? { version: params.version } : {}),
  };
  // The cashier ringing up a new basket is newer than any finished sale still on screen.
  const cartState: DisplayState | undefined = params.cart
    ? {
        ...base,
        phase: "cart",
        cart: { lines: params.cart.lines, total: { value: params.cart.total, currency: params.cart.currency } },
      }
    : undefined;
  if (!sale) return cartState ?? base;
  if (cartState && sale.state !== "pending" && sale.state !== "authorized") return cartState;

  let phase = PHASE_BY_SALE_STATE[sale.state];
  let returnToIdleAt: string | undefined;
  if (phase !== "pending" && phase !== "approved") {
    // Refunds happen long after the sale; they must not bring the old sale back onto the screen.
    const endedMs = Date.parse(sale.endedAt ?? sale.updatedAt);
    const idleAtMs = endedMs + OUTCOME_DISPLAY_MS;
    if (nowMs >= idleAtMs) return base;
    returnToIdleAt = new Date(idleAtMs).toISOString();
  }

  const qr = isQrLive(sale, attempt, nowMs)
    ? {
        url: attempt.qrUrl,
        expiresAt: attempt.expiresAt,
        ...(params.qrImage ? { imageUrl: qrImagePath(attempt.id) } : {}),
      }
    : undefined;
  const push =
    isPushSale(sale) &&
    sale.state === "pending" &&
    attempt?.state === "CREATED" &&
    Date.parse(attempt.expiresAt) > nowMs
      ? {
          ...(sale.customerPhone ? { phoneEnding: phoneEnding(sale.customerPhone) } : {}),
          expiresAt: attempt.expiresAt,
        }
      : undefined;
  // A pending sale whose QR has run out is, for the customer, expired even before the server has
  // finished cancelling it at Vipps.
  if (isQrRunOut(sale, attempt, nowMs)) phase = "expired";

  return {
    ...base,
    phase,
    returnToIdleAt,
    sale: {
      id: sale.id,
      receiptNumber: sale.receiptNumber,
      description: sale.description,
      amount: { value: sale.amount, currency: sale.currency },
      lines: sale.lines.map((line) => ({
        name: line.name,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        totalAmount: line.totalAmount,
      })),
      qr,
      ...(push ? { push } : {}),
      endedAt: sale.endedAt,
      ...(phase === "paid" && params.receiptBase && sale.receiptId
        ? { receiptUrl: receiptUrlOf(params.receiptBase, sale.receiptId) }
        : {}),
    },
  };
}

/**
 * A cart saved with a time at or before a sale's creation was the basket that sale charged: the
 * sale clears the cart, so such a cart is only there because an update lost the race to the charge.
 */
export function cartConsumedBy(cartUpdatedAt: string, saleCreatedAt: string): boolean {
  return Date.parse(cartUpdatedAt) <= Date.parse(saleCreatedAt);
}
