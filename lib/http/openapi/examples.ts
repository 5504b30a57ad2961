import type { ProductView } from "@/lib/contracts/catalogue";
import type { GoLiveEvidence, GoLiveReport } from "@/lib/contracts/go-live";
import type { SaleView } from "@/lib/contracts/sales";
import type { SettingsView } from "@/lib/contracts/settings";
import type { CartView, TerminalView } from "@/lib/contracts/terminals";

/**
 * The reference's example answers: one sale's life (two coffees and ear buds), the shop around it,
 * as the API answered them. Typed by the contracts, so an example cannot drift from the shapes.
 */
export function examplesFor(origin: string) {
  const lines = [
    { id: "1", name: "Cappuccino", quantity: 2, unitPrice: 4900, taxRate: 1500, totalAmount: 9800, taxAmount: 1278 },
    {
      id: "2",
      name: "Ear buds",
      quantity: 1,
      unitPrice: 42924,
      taxRate: 2500,
      totalAmount: 42924,
      taxAmount: 8585,
      productId: "p4",
    },
  ];
  const nok = (value: number) => ({ value, currency: "NOK" as const });
  // The fields every sale has; a pending one adds expiresAt.
  const saleBase = {
    id: "sale_tCb3xdFe3lNoYw",
    terminalId: "pos-1",
    storeId: "store-1",
    msn: "123456",
    receiptNumber: "000001",
    reference: "kd-mx9rm2p6-ce7b9b0f333daa52",
    state: "pending",
    amount: nok(52724),
    capturedAmount: nok(0),
    refundedAmount: nok(0),
    description: "2 × Cappuccino, Ear buds",
    lines,
    posReference: "KV-4711",
    receiptUrl: `${origin}/r/q7Zb0m3tVQ1x2Yk9aLcP4wRd`,
    flow: "qr",
    qr: null,
    autoCapture: true,
    captureDeadline: null,
    attemptCount: 1,
    createdAt: "2026-12-05T10:00:02.346Z",
    updatedAt: "2026-12-05T10:00:02.346Z",
  } satisfies SaleView;
  const qr = { url: `${origin}/sim/qr/P4qJ0IItXzfqY2r9981bZT8V7hrJebbd`, expiresAt: "2026-12-05T10:09:59.346Z" };
  const pendingSale = { ...saleBase, qr, expiresAt: qr.expiresAt } satisfies SaleView;
  const ended = { updatedAt: "2026-12-05T10:00:31.718Z", endedAt: "2026-12-05T10:00:31.718Z" };
  const capturedSale = { ...saleBase, ...ended, state: "captured", capturedAmount: nok(52724) } satisfies SaleView;
  const refundedSale = {
    ...capturedSale,
    refundedAmount: nok(4900),
    updatedAt: "2026-12-05T10:02:04.321Z",
  } satisfies SaleView;
  const fullyRefundedSale = {
    ...capturedSale,
    state: "refunded",
    refundedAmount: nok(52724),
    updatedAt: "2026-12-05T10:02:04.321Z",
  } satisfies SaleView;
  const approvedSale = {
    ...saleBase,
    state: "authorized",
    autoCapture: false,
    captureDeadline: "2027-06-03T10:00:31.651Z",
    updatedAt: "2026-12-05T10:00:31.651Z",
  } satisfies SaleView;
  const manuallyCaptured = {
    ...capturedSale,
    autoCapture: false,
    updatedAt: "2026-12-05T10:01:12.381Z",
    endedAt: "2026-12-05T10:01:12.381Z",
  } satisfies SaleView;
  const cancelledSale = { ...saleBase, ...ended, state: "cancelled" } satisfies SaleView;
  const newQrSale = {
    ...pendingSale,
    reference: "kd-mx9rz3cc-7444bfc3f763d164",
    attemptCount: 2,
    qr: { url: `${origin}/sim/qr/PWLQNhrTg26WlcKmvQjEZfEupRfq0_ia`, expiresAt: "2026-12-05T10:20:06.708Z" },
    expiresAt: "2026-12-05T10:20:06.708Z",
    updatedAt: "2026-12-05T10:10:09.708Z",
  } satisfies SaleView;
  const amountSale = {
    ...pendingSale,
    id: "sale_NbhJOO1JSqyewg",
    receiptNumber: "000002",
    // Typed at the till: no POS reference (left out of the JSON).
    posReference: undefined,
    receiptUrl: `${origin}/r/Xn4pL0aQz8Rb2Wm6cTy1vKe3`,
    reference: "kd-mx9rm4ah-03f827cdfbb3c9b5",
    amount: nok(25000),
    description: "Bicycle repair",
    lines: [
      {
        id: "1",
        name: "Bicycle repair",
        quantity: 1,
        unitPrice: 25000,
        taxRate: 2500,
        totalAmount: 25000,
        taxAmount: 5000,
      },
    ],
    qr: { url: `${origin}/sim/qr/1WTUbhnp88b5pg0jikn0CgHf6nEmRm9F`, expiresAt: "2026-12-05T10:14:01.409Z" },
    expiresAt: "2026-12-05T10:14:01.409Z",
    createdAt: "2026-12-05T10:04:04.409Z",
    updatedAt: "2026-12-05T10:04:04.409Z",
  } satisfies SaleView;
  // Sent to the customer's phone: no QR; the sale shows only the number's last two digits.
  const pushSale = {
    ...amountSale,
    id: "sale_1HHs7aHKnyDHgA",
    receiptNumber: "000003",
    reference: "kd-mx9v34ei-c1c87ee4106324f9",
    flow: "push",
    phoneEnding: "67",
    qr: null,
  } satisfies SaleView;

  const terminal = {
    id: "pos-1",
    name: "Counter 1",
    posId: "pos-1",
    language: "nb",
    currency: "NOK",
    storeId: "store-1",
    chime: true,
    displayUrl: `${origin}/display/pos-1?token=Lvzre3BhLevHf84iugHC_Yi5`,
    activeSaleId: null,
    displays: [
      {
        id: "k7Qm2xVb9LrT4wZa",
        kind: "link",
        online: true,
        lastSeenAt: "2026-12-05T10:00:41.120Z",
        connectedAt: "2026-12-05T07:58:12.004Z",
        userAgent:
          "Mozilla/5.0 (X11; Linux aarch64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        screen: "1920x1080",
      },
    ],
  } satisfies TerminalView;
  const secondTerminal = {
    ...terminal,
    id: "pos-2",
    name: "Café counter",
    posId: "till-2",
    language: "en",
    displayUrl: `${origin}/display/pos-2?token=A6EaXUdrKkCf4J1-X5-lDbMv`,
    displays: [],
  } satisfies TerminalView;
  const products = [
    { id: "p2", name: "Cappuccino", unitPrice: 4900, currency: "NOK", taxRate: 1500 },
    { id: "p4", name: "Ear buds", unitPrice: 42924, currency: "NOK", taxRate: 2500 },
    { id: "p5", name: "Phone charger", unitPrice: 19900, currency: "NOK", taxRate: 2500 },
  ] satisfies ProductView[];
  const newProduct = {
    id: "prod_473e0c3719da",
    name: "Oat milk latte",
    unitPrice: 5900,
    currency: "NOK",
    taxRate: 1500,
  } satisfies ProductView;
  const settings = {
    shopName: "Kassa demo shop",
    autoCapture: true,
    organisationNumber: "912 345 678 MVA",
    address: "Storgata 1, 0155 Oslo",
    timeZone: "Europe/Oslo",
    receiptQr: true,
    accentColor: null,
    logo: null,
  } satisfies SettingsView;
  const cartLines = [
    { name: "Cappuccino", quantity: 2, unitPrice: 4900, totalAmount: 9800 },
    { name: "Cinnamon bun", quantity: 1, unitPrice: 4500, totalAmount: 4500 },
  ];
  const cart = {
    currency: "NOK",
    lines: cartLines,
    total: 14300,
    terminalId: "pos-1",
    updatedAt: "2026-12-05T09:59:16.071Z",
  } satisfies CartView;

  const createEvidence = {
    endpoint: "POST /epayment/v1/payments",
    requestsKept: 1,
    lastRequestAt: "2026-12-05T10:00:02.594Z",
    lastPath: "POST /epayment/v1/payments",
    lastReference: pendingSale.reference,
    saleNow: { id: pendingSale.id, receiptNumber: pendingSale.receiptNumber, state: "captured" },
  };
  const webhookRegistration = {
    state: "registered",
    registered: true,
    url: `${origin}/api/webhooks/vipps`,
    lastCheckedAt: "2026-12-05T09:58:14.941Z",
    lastRegisteredAt: "2026-12-05T09:58:14.941Z",
    lastError: null,
  } satisfies GoLiveEvidence["webhookRegistration"];
  const goLive = {
    generatedAt: "2026-12-05T10:05:16.929Z",
    environment: "test",
    items: [
      {
        id: "endpoint-create",
        title: "Create payment (POST /epayment/v1/payments)",
        ok: true,
        evidence: createEvidence,
      },
      {
        id: "endpoint-refund",
        title: "Refund payment (POST /epayment/v1/payments/{reference}/refund)",
        ok: false,
        evidence: { endpoint: "POST /epayment/v1/payments/{reference}/refund", requestsKept: 0 },
      },
      {
        id: "webhook-registration",
        title: "Webhook registered at Vipps and checked hourly",
        ok: true,
        evidence: webhookRegistration,
      },
      {
        id: "customer-present",
        title: "customerInteraction CUSTOMER_PRESENT on every payment (a shop counter)",
        ok: true,
        evidence: { createRequests: 1, customerPresent: 1, userFlows: ["QR"] },
      },
    ],
    stores: [
      {
        storeId: "store-1",
        name: "Kaffebaren Grünerløkka",
        msn: "123456",
        keys: "partner",
        ok: true,
        checks: {
          msn: { ok: true, detail: "123456" },
          keys: { ok: true, detail: "Vipps answered with the deployment's keys for MSN 123456" },
          webhook: { ok: true, detail: "registered: https://kassa.example.no/api/webhooks/vipps" },
        },
      },
    ],
  } satisfies GoLiveReport;
  const goLiveEvidence = {
    ...goLive,
    merchantSerialNumber: "123456",
    system: { name: "kassa-display", version: "0.1.0", pluginName: "kassa-display-pos", pluginVersion: "0.1.0" },
    summary: { met: 3, total: 4 },
    webhookRegistration,
    testReferences: [
      {
        outcome: "captured",
        reference: pendingSale.reference,
        saleId: pendingSale.id,
        receiptNumber: pendingSale.receiptNumber,
        amount: nok(52724),
        state: "captured",
        createdAt: pendingSale.createdAt,
        endedAt: capturedSale.endedAt,
        eventLog: [
          { type: "sale.created", source: "api", fromState: null, toState: "pending", at: "2026-12-05T10:00:02.350Z" },
          {
            type: "payment.captured",
            source: "webhook",
            fromState: "authorized",
            toState: "captured",
            at: "2026-12-05T10:00:31.726Z",
          },
        ],
        vippsEventLog: {
          events: [
            { name: "CREATED", success: true, timestamp: "2026-12-05T10:00:02.502Z", amount: nok(52724) },
            { name: "CAPTURED", success: true, timestamp: "2026-12-05T10:00:31.701Z", amount: nok(52724) },
          ],
        },
      },
    ],
    requests: [
      {
        id: 4,
        operation: "createPayment",
        method: "POST",
        path: "/epayment/v1/payments",
        reference: pendingSale.reference,
        attempt: 1,
        systemHeaders: {
          "Vipps-System-Name": "kassa-display",
          "Vipps-System-Version": "0.1.0",
          "Vipps-System-Plugin-Name": "kassa-display-pos",
          "Vipps-System-Plugin-Version": "0.1.0",
        },
        summary: {
          idempotencyKey: true,
          amount: nok(52724),
          paymentMethod: "WALLET",
          userFlow: "QR",
          customerInteraction: "CUSTOMER_PRESENT",
          paymentDescription: true,
          returnUrl: false,
          receipt: { orderLines: 2, bottomLine: { currency: "NOK", posId: "pos-1", receiptNumber: "000001" } },
        },
        at: "2026-12-05T10:00:02.594Z",
      },
    ],
  } satisfies GoLiveEvidence;

  return {
    sales: {
      pendingSale,
      capturedSale,
      refundedSale,
      fullyRefundedSale,
      approvedSale,
      manuallyCaptured,
      cancelledSale,
      newQrSale,
      amountSale,
      pushSale,
    },
    terminal,
    secondTerminal,
    products,
    newProduct,
    settings,
    cartLines,
    cart,
    goLive,
    goLiveEvidence,
  };
}

export type ApiExamples = ReturnType<typeof examplesFor>;
