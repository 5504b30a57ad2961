import type { CloseInput, ComposedClose, TerminalClose } from "@/lib/entities/close";
import type { DisplayDevice, DisplayPairing, DisplayPresence, DisplayPresenceSeen } from "@/lib/entities/display";
import type {
  DeliveryOutcome,
  NewPosEvent,
  PosEvent,
  WebhookDelivery,
  WebhookEndpoint,
} from "@/lib/entities/pos-event";
import type { Product } from "@/lib/entities/product";
import type { RetailStore } from "@/lib/entities/retail-store";
import type {
  NewSaleEvent,
  PaymentAttempt,
  Refund,
  Sale,
  SaleEvent,
  SaleEventCount,
  SaleFilter,
  SaleState,
  SaleSummary,
} from "@/lib/entities/sale";
import type { NewSettlementEntry, SettlementEntry, SettlementFeed, SettlementTopic } from "@/lib/entities/settlement";
import type { Terminal } from "@/lib/entities/terminal";
import type { ApiKeysRepository, AuditRepository, SessionsRepository, StaffRepository } from "./staff-repositories";
import type { NewVippsRequestRecord, VippsRequestRecord } from "@/lib/entities/vipps-request";

/*
 * What the app persists, one repository per aggregate; a service is given only the ones it uses.
 * They are asynchronous although the SQLite implementation is not, so that a PostgreSQL
 * implementation can serve several app instances. Writes that must not interleave (one active sale
 * per terminal, compare-and-set transitions) are single methods, so each implementation can make
 * them atomic in its own way.
 */

/** The shop's settings (name, branding, secrets, …), and named counters. */
export interface SettingsRepository {
  getSetting(key: string): Promise<string | undefined>;
  setSetting(key: string, value: string): Promise<void>;
  /** Atomically increments and returns a named counter (receipt numbers); 1 on first use. */
  nextSequence(name: string): Promise<number>;
}

/** The products the till can ring up. */
export interface CatalogueRepository {
  listProducts(): Promise<Product[]>;
  getProduct(id: string): Promise<Product | undefined>;
  saveProduct(product: Product): Promise<void>;
  deleteProduct(id: string): Promise<boolean>;
}

/**
 * Sales with what belongs to each: its payment attempts (and Vipps' QR image of one), its event
 * log and its refunds.
 */
export interface SalesRepository {
  /**
   * Inserts a sale with its first attempt and event. Fails with StoreError "activeSaleConflict"
   * (details.activeSaleId) when the terminal already has an active sale, and "duplicateKey"
   * (details.key = "idempotencyKey") when a concurrent request stored the same key first.
   */
  insertSale(sale: Sale, attempt: PaymentAttempt, event: NewSaleEvent): Promise<void>;
  getSale(id: string): Promise<Sale | undefined>;
  getSaleByIdempotencyKey(key: string): Promise<Sale | undefined>;
  /** The sale whose receipt page this is (/r/{receiptId}). */
  getSaleByReceiptId(receiptId: string): Promise<Sale | undefined>;
  getActiveSale(terminalId: string): Promise<Sale | undefined>;
  /**
   * What a terminal's display shows, in one read: its active sale, else its newest (whose outcome
   * the display shows for a moment), with that
   * sale's current attempt and the id of its newest event (latestEventIdForSale). Undefined when
   * the terminal has no sale.
   */
  getShownSale(
    terminalId: string,
  ): Promise<{ sale: Sale; attempt: PaymentAttempt | undefined; latestEventId: number } | undefined>;
  listSales(filter: SaleFilter): Promise<{ items: Sale[]; nextCursor: string | null }>;
  summarizeSales(filter: Omit<SaleFilter, "cursor" | "limit" | "state">): Promise<SaleSummary[]>;

  /**
   * Compare-and-set: applies the patch only when the sale is in one of `from`, and appends the
   * event in the same transaction. Returns the updated sale, or undefined when the guard failed.
   */
  transitionSale(
    id: string,
    from: readonly SaleState[],
    patch: Partial<Omit<Sale, "id">>,
    event: NewSaleEvent,
  ): Promise<Sale | undefined>;
  /** Starts a new attempt for an expired or declined sale, if the terminal is free. */
  insertAttempt(saleId: string, attempt: PaymentAttempt, event: NewSaleEvent): Promise<Sale>;

  getAttempt(id: string): Promise<PaymentAttempt | undefined>;
  getAttemptByReference(reference: string): Promise<PaymentAttempt | undefined>;
  listAttempts(saleId: string): Promise<PaymentAttempt[]>;
  updateAttempt(id: string, patch: Partial<Omit<PaymentAttempt, "id" | "saleId" | "reference">>): Promise<void>;
  /**
   * Attempts whose sale is not final, whose create call's outcome is still unknown, approved ones a
   * later attempt replaced, and those owed a GET (recheckSince).
   */
  listOpenAttempts(): Promise<PaymentAttempt[]>;
  /** Clears the attempt's recheck mark if it is still the one set at `since` (a newer mark stays). */
  clearAttemptRecheck(id: string, since: string): Promise<void>;

  /** Vipps' own QR image for an attempt (KASSA_QR_SOURCE=vipps), kept while the payment lives. */
  saveQrImage(attemptId: string, image: { contentType: string; body: string }, createdAt: string): Promise<void>;
  getQrImage(attemptId: string): Promise<{ contentType: string; body: string } | undefined>;
  /** Deletes images saved before the given time; returns how many. */
  pruneQrImages(createdBefore: string): Promise<number>;

  appendEvent(event: NewSaleEvent): Promise<void>;
  listEvents(saleId: string): Promise<SaleEvent[]>;
  /**
   * The id of the sale's newest event (0 when none): a position in the event log that every
   * instance agrees on, used as the SSE event id. One index look-up, however long the history.
   */
  latestEventIdForSale(saleId: string): Promise<number>;
  /** The event log summed up: how many events of each type came from each source, and the newest one's time. */
  countSaleEvents(): Promise<SaleEventCount[]>;
  /** The newest events of the given types across all sales, newest first (limit at most 500). */
  listRecentSaleEvents(filter: { types: readonly string[]; limit: number }): Promise<SaleEvent[]>;

  insertRefund(refund: Refund): Promise<void>;
  updateRefund(id: string, state: Refund["state"]): Promise<void>;
  listRefunds(saleId: string): Promise<Refund[]>;
}

/**
 * The shop's counters and what each has: its terminal record, the live cart being rung up, the
 * display devices paired to it (and pairings under way), and which displays are online.
 */
export interface CountersRepository {
  listTerminals(): Promise<Terminal[]>;
  getTerminal(id: string): Promise<Terminal | undefined>;
  getTerminalByDisplayToken(token: string): Promise<Terminal | undefined>;
  /**
   * Creates or updates a terminal (matched by id). An update keeps the stored display token, so a
   * write based on an older read can never bring back a link that was replaced in the meantime.
   */
  saveTerminal(terminal: Terminal): Promise<void>;
  /** Creates a terminal only if its id is free; false when a terminal with that id exists. */
  insertTerminal(terminal: Terminal): Promise<boolean>;
  /** Replaces the display link's token; the old one stops opening the display. False if no such terminal. */
  setDisplayToken(id: string, token: string): Promise<boolean>;

  /** The live cart of a terminal (what the till is ringing up), or undefined when there is none. */
  getCart(terminalId: string): Promise<{ cart: unknown; updatedAt: string } | undefined>;
  saveCart(terminalId: string, cart: unknown, updatedAt: string): Promise<void>;
  /** True when there was a cart to clear. */
  clearCart(terminalId: string): Promise<boolean>;

  saveDevice(device: DisplayDevice): Promise<void>;
  getDeviceByTokenHash(tokenHash: string): Promise<DisplayDevice | undefined>;
  /** Paired displays, revoked ones included, oldest first; of one terminal when given. */
  listDevices(terminalId?: string): Promise<DisplayDevice[]>;
  /**
   * Marks a device revoked so its cookie no longer opens any display. False when there is no such
   * device; revoking twice keeps the first time.
   */
  revokeDevice(id: string, revokedAt: string): Promise<boolean>;
  /** Gives a device a new label and nothing else (its revocation stays as it is). False when there is no such device. */
  renameDevice(id: string, label: string): Promise<boolean>;
  savePairing(pairing: DisplayPairing): Promise<void>;
  getPairingByCode(code: string): Promise<DisplayPairing | undefined>;
  getPairing(id: string): Promise<DisplayPairing | undefined>;
  /** Deletes pairings that ran out before the given time and were never completed; returns how many. */
  pruneExpiredPairings(expiredBefore: string): Promise<number>;

  /**
   * Display health: a display seen now (its stream opened, or it sent a heartbeat) is recorded
   * with what it told about itself; one whose stream closed is marked disconnected. A terminal keeps
   * the `keepPerTerminal` most recently seen displays: older records are dropped in the same write.
   */
  recordDisplaySeen(presence: DisplayPresenceSeen, keepPerTerminal: number): Promise<void>;
  recordDisplayDisconnected(displayId: string, atMs: number): Promise<void>;
  /** Displays of a terminal seen since `sinceMs`, most recently seen first. */
  listDisplayPresence(terminalId: string, sinceMs: number): Promise<DisplayPresence[]>;
  pruneDisplayPresence(beforeMs: number): Promise<number>;
}

/**
 * What the running app keeps about its own work: leases for background work, rate limits shared
 * by every instance, the webhook ids already processed, and the outgoing Vipps requests kept as
 * go-live evidence.
 */
export interface OperationsRepository {
  /**
   * Leases for background work that one app instance at a time must do (polling, expiry, webhook
   * registration). Takes or renews the named lease for `holder` until `nowMs + ttlMs`, unless
   * another holder's lease is still running; true when `holder` holds it afterwards.
   */
  acquireLease(name: string, holder: string, ttlMs: number, nowMs: number): Promise<boolean>;
  /** Gives the lease up at once, if `holder` holds it, so another instance can take over. */
  releaseLease(name: string, holder: string): Promise<void>;

  /**
   * Rate limits shared by every instance: hits are recorded per bucket (what is limited) and key
   * (who), counted over a window, and forgotten on success or when old.
   */
  recordRateLimitHit(bucket: string, key: string, atMs: number): Promise<void>;
  /** Hits since `sinceMs`, with the oldest of them (to say when the next one is allowed). */
  countRateLimitHits(bucket: string, key: string, sinceMs: number): Promise<{ count: number; oldestMs?: number }>;
  /**
   * Take-a-token in one atomic step: records a hit at `atMs` only if fewer than `limit` hits fall
   * after `sinceMs`, so concurrent callers on any instance can never get more than `limit` through.
   * Answers whether this hit was taken, and the oldest hit in the window (to say when to retry).
   */
  takeRateLimitToken(
    bucket: string,
    key: string,
    atMs: number,
    sinceMs: number,
    limit: number,
  ): Promise<{ taken: boolean; oldestMs?: number }>;
  clearRateLimitHits(bucket: string, key: string): Promise<void>;
  pruneRateLimitHits(beforeMs: number): Promise<number>;

  /** Records a webhook id; false when it was seen before (a duplicate delivery). */
  markWebhookProcessed(id: string, receivedAt: string): Promise<boolean>;
  /** Undoes markWebhookProcessed when applying failed, so the sender's retry is not dropped. */
  forgetWebhook(id: string): Promise<void>;
  /** Drops dedupe records received before the given time; returns how many. */
  pruneProcessedWebhooks(receivedBefore: string): Promise<number>;

  /**
   * Go-live evidence: records one outgoing Vipps request (what, when, which reference, which
   * Vipps-System-* headers; never a secret, a token or a body with personal data). Keeps the
   * newest `keepPerOperation` of each operation and at most twice that: older ones are pruned at
   * every `keepPerOperation`-th record, not at each.
   */
  recordVippsRequest(request: NewVippsRequestRecord, keepPerOperation: number): Promise<void>;
  /** Recorded Vipps requests, newest first; of one operation when given (default limit 100, at most 500). */
  listVippsRequests(filter?: { operation?: string; limit?: number }): Promise<VippsRequestRecord[]>;
}

/**
 * The POS's events: the outbox (which the sales repository appends to in the transaction of each
 * change that makes one, in commit order), the POS's webhook endpoints and their deliveries.
 */
export interface PosEventsRepository {
  /** Appends an event that carries its data (a terminal close) in a transaction of its own. */
  appendPosEvent(event: NewPosEvent): Promise<PosEvent>;
  /** Events after the given seq, in commit order (limit at most 500). */
  listPosEvents(afterSeq: number, limit: number): Promise<PosEvent[]>;
  /** The newest event's seq, 0 when there is none. */
  latestSeq(): Promise<number>;
  /** Sets an event's data unless it has some already; true when this call set it. */
  setEventData(seq: number, data: unknown): Promise<boolean>;

  /** Adds an endpoint; it receives the events appended after it. */
  insertEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  listEndpoints(): Promise<WebhookEndpoint[]>;
  getEndpoint(id: string): Promise<WebhookEndpoint | undefined>;
  /** Removes an endpoint with its deliveries; false when there was none. */
  deleteEndpoint(id: string): Promise<boolean>;
  setEndpointSecret(id: string, secret: string): Promise<boolean>;

  /**
   * Makes the endpoint's deliveries of the next events (up to `limit`) of the types it takes, and
   * moves its position past them; returns how many events it went through (0: it is up to date).
   */
  fanOut(endpointId: string, createdAt: string, limit: number): Promise<number>;
  /** Pending deliveries due by `nowMs`, each the oldest pending one of its endpoint and subject. */
  dueDeliveries(nowMs: number, limit: number): Promise<WebhookDelivery[]>;
  /** Records a try of a pending delivery: delivered, due again, or failed for good. */
  recordAttempt(endpointId: string, eventSeq: number, outcome: DeliveryOutcome): Promise<void>;
  /** Makes a delivery pending and due now, whatever became of it; false when there is none. */
  retryDelivery(endpointId: string, eventSeq: number, nowMs: number): Promise<boolean>;
  /** Deliveries, newest event first; of one endpoint when given (limit at most 500). */
  listDeliveries(filter: { endpointId?: string; limit: number }): Promise<WebhookDelivery[]>;
}

/**
 * Each terminal's day closes. A close takes every counted event of the terminal's sales' log
 * (captures, refunds, unpaid ends) that no earlier close took; each event is in one close at most.
 */
export interface ClosesRepository {
  /** What the terminal's next close would hold now, read without closing (the X report); undefined without such a terminal. */
  openCloseInput(terminalId: string): Promise<CloseInput | undefined>;
  /**
   * The close, in one transaction under the terminal's close lock: reads what openCloseInput
   * reads, lets `compose` work out the close, and writes it with the events it took. Two closes
   * of one terminal at once take turns: consecutive numbers, no event twice. The POS's
   * terminal.closed event is appended to the outbox in the same transaction. Undefined without
   * such a terminal.
   */
  closeTerminal(terminalId: string, compose: (input: CloseInput) => ComposedClose): Promise<TerminalClose | undefined>;
  /** The terminal's closes, newest first; before a number when given (paging); limit 1–200. */
  listCloses(terminalId: string, options: { limit: number; beforeNumber?: number }): Promise<TerminalClose[]>;
  getClose(id: string): Promise<TerminalClose | undefined>;
  /** When the terminal's newest close was made, if it has one. */
  lastClosedAt(terminalId: string): Promise<string | undefined>;
}

/** Which feed of which ledger (and whose: the MSN) a page or a failure belongs to. */
export interface SettlementFeedKey {
  msn: string;
  ledgerId: string;
  topic: SettlementTopic;
  currency: string;
}

/**
 * The Report API's entries as the settlement importer read them, each matched to its sale where
 * one is found, and each feed's cursor. A page is stored with its cursor move in one transaction.
 */
export interface SettlementsRepository {
  /** Every feed read so far (of one MSN when given), with its cursor and how the last reads went. */
  listFeeds(msn?: string): Promise<SettlementFeed[]>;
  /**
   * Stores a page's entries and moves the feed's cursor from `fromCursor` (undefined: the feed's
   * start) to `toCursor`, in one transaction. An entry whose id is stored already is skipped, and
   * each entry is matched to a sale: one already matched with the same pspReference, else the
   * sale whose attempt has its reference. When the feed's cursor is no longer `fromCursor`
   * (another instance stored this page first) nothing is written and `moved` is true.
   * `caughtUp`: the page ended the feed, so the feed's caughtUpAt becomes `at`.
   */
  importPage(page: {
    feed: SettlementFeedKey;
    fromCursor: string | undefined;
    toCursor: string;
    entries: NewSettlementEntry[];
    at: string;
    caughtUp: boolean;
  }): Promise<{ moved: false; stored: number } | { moved: true }>;
  /** Notes a failed read of the feed (kept until the next success), since when it keeps failing. */
  recordFeedError(feed: SettlementFeedKey, error: string, at: string): Promise<void>;
  /** Entries by ledger date (inclusive range), sale and/or sales unit (MSN), oldest first. */
  listEntries(filter: {
    fromDate?: string;
    toDate?: string;
    saleIds?: string[];
    msns?: string[];
  }): Promise<SettlementEntry[]>;
  /** Matches entries that have no sale yet to the sale their reference names now; returns how many. */
  matchUnmatched(): Promise<number>;
}

/**
 * The chain's stores (Vipps sales units). Store 1 always exists: the migration makes it, and
 * start-up fills it from the configuration (fillFirstStore) while its MSN is still empty.
 */
export interface StoresRepository {
  /** Oldest first: the first is the one a terminal made without a store joins. */
  listStores(): Promise<RetailStore[]>;
  getStore(id: string): Promise<RetailStore | undefined>;
  getStoreByMsn(msn: string): Promise<RetailStore | undefined>;
  /**
   * Creates a store if its id is free (false when taken). Another store's MSN fails with
   * StoreError "duplicateKey" (details.key = "msn"), here and in saveStore.
   */
  insertStore(store: RetailStore): Promise<boolean>;
  /** Replaces an existing store's fields (not its creation time); false when there is no such store. */
  saveStore(store: RetailStore): Promise<boolean>;
  /**
   * Fills in store 1 while it is the migration's placeholder (empty MSN), and stamps the sales
   * made before stores with its MSN, in one transaction. False when store 1 was filled already.
   */
  fillFirstStore(store: Omit<RetailStore, "id" | "createdAt" | "vipps">): Promise<boolean>;
}

/** Every repository of one store, as the composition root hands them out. */
export interface Repositories {
  settings: SettingsRepository;
  catalogue: CatalogueRepository;
  sales: SalesRepository;
  counters: CountersRepository;
  operations: OperationsRepository;
  posEvents: PosEventsRepository;
  closes: ClosesRepository;
  settlements: SettlementsRepository;
  stores: StoresRepository;
  staff: StaffRepository;
  sessions: SessionsRepository;
  apiKeys: ApiKeysRepository;
  audit: AuditRepository;
}

export type { ApiKeysRepository, AuditRepository, SessionsRepository, StaffRepository };
