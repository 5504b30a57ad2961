/**
 * A refund's Idempotency-Key is used whole: two keys that share a long beginning are two refunds,
 * and the key Vipps gets stays within its length limit however long the client's key is.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/v1/sales/[id]/refund/route";
import { refundIdFor, refundVippsKey } from "@/lib/sales/payment-request";
import { getServices, type Services } from "@/lib/runtime";
import { captureLog } from "../support/log-capture";

vi.mock("@/lib/runtime", () => ({ getServices: vi.fn() }));

/** Vipps' limit for an Idempotency-Key (lib/vipps/client.ts checks it before sending). */
const VIPPS_KEY_MAX = 50;
const PREFIX = "return-4711-".padEnd(120, "x");
const [KEY_A, KEY_B] = [`${PREFIX}-a`, `${PREFIX}-b`];

describe("refundIdFor", () => {
  it("tells apart long keys that share their first 120 characters", () => {
    expect(refundIdFor("sale_1", KEY_A)).not.toBe(refundIdFor("sale_1", KEY_B));
  });

  it("is the same for the same key on the same sale, and another on another sale", () => {
    expect(refundIdFor("sale_1", KEY_A)).toBe(refundIdFor("sale_1", KEY_A));
    expect(refundIdFor("sale_1", "k-1")).not.toBe(refundIdFor("sale_2", "k-1"));
  });

  it("makes a Vipps key within Vipps' limit, of the characters Vipps takes, for any key", () => {
    for (const key of ["k", KEY_A, "ø".repeat(4000)]) {
      const vippsKey = refundVippsKey(refundIdFor("sale_1", key));
      expect(vippsKey.length).toBeLessThanOrEqual(VIPPS_KEY_MAX);
      expect(vippsKey).toMatch(/^[\x21-\x7e]+$/);
    }
  });

  // The first 24 hex digits of `printf %s "sale_1:return-4711-1" | sha256sum`: what the id was before.
  it("gives a key the id it had before, so that a refund retried across an upgrade finds its first try", () => {
    expect(refundIdFor("sale_1", "return-4711-1")).toBe("rf_a088e7210df04b307928e8cd");
  });
});

describe("POST /api/v1/sales/{id}/refund", () => {
  const refundSale = vi.fn(async () => ({ id: "sale_1" }));

  beforeEach(() => {
    refundSale.mockClear();
    vi.mocked(getServices).mockResolvedValue({
      log: captureLog().log,
      admin: {
        authenticate: async () => ({ type: "api-key", id: "k", name: "POS", scopes: ["refunds"], storeIds: null }),
        addressOf: () => "127.0.0.1",
      },
      refundApproval: { check: async () => undefined },
      audit: { record: async () => {} },
      sales: { refundSale },
    } as unknown as Services);
  });

  const refund = (key: string) =>
    POST(
      new Request("http://kassa.test/api/v1/sales/sale_1/refund", {
        method: "POST",
        headers: { "idempotency-key": key },
      }),
      { params: Promise.resolve({ id: "sale_1" }) },
    );

  it("passes the whole Idempotency-Key on, so that keys differing after 100 characters are two refunds", async () => {
    expect((await refund(KEY_A)).status).toBe(200);
    expect((await refund(KEY_B)).status).toBe(200);
    const keys = refundSale.mock.calls.map((call) => (call as unknown[])[3]);
    expect(keys).toEqual([KEY_A, KEY_B]);
  });
});
