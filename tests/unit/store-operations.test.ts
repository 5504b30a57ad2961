/**
 * The operations repository's slice of the store conformance suite (tests/support/store-conformance.ts),
 * on SQLite and PostgreSQL: webhook dedupe, leases, rate limits and the Vipps request records.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { NewVippsRequestRecord } from "@/lib/entities/vipps-request";
import type { OperationsRepository } from "@/lib/store/repositories";
import { conformance, iso, T0 } from "../support/store-conformance";

conformance("Operations repository", (context) => {
  let store: OperationsRepository;
  beforeEach(() => {
    store = context.store.operations;
  });
  /** The operations of another app instance on the same database. */
  const another = async () => (await context.another()).operations;

  describe("webhook dedupe", () => {
    it("records an id once, forgets it on request, and prunes old records", async () => {
      const other = await another();
      expect(await store.markWebhookProcessed("w1", iso(T0))).toBe(true);
      expect(await other.markWebhookProcessed("w1", iso(T0 + 1))).toBe(false);
      await store.forgetWebhook("w1");
      expect(await other.markWebhookProcessed("w1", iso(T0 + 2))).toBe(true);
      await store.markWebhookProcessed("w2", iso(T0 + 10));
      await store.markWebhookProcessed("w3", iso(T0 + 20));
      expect(await store.pruneProcessedWebhooks(iso(T0 + 10))).toBe(1);
      expect(await store.pruneProcessedWebhooks(iso(T0 + 10))).toBe(0);
      expect(await store.markWebhookProcessed("w1", iso(T0 + 30))).toBe(true);
      expect(await store.markWebhookProcessed("w2", iso(T0 + 30))).toBe(false);
    });

    it("lets one of many concurrent deliveries of the same webhook through", async () => {
      const other = await another();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? store : other).markWebhookProcessed("w-same", iso(T0))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe("leases", () => {
    it("has one holder at a time across instances; renews, expires, and is released", async () => {
      const other = await another();
      expect(await store.acquireLease("poller", "A", 10_000, T0)).toBe(true);
      expect(await other.acquireLease("poller", "B", 10_000, T0 + 1_000)).toBe(false);
      // A renews, so B's later try still fails.
      expect(await store.acquireLease("poller", "A", 10_000, T0 + 9_000)).toBe(true);
      expect(await other.acquireLease("poller", "B", 10_000, T0 + 15_000)).toBe(false);
      // A stops renewing; once its lease runs out B takes over.
      expect(await other.acquireLease("poller", "B", 10_000, T0 + 19_000)).toBe(true);
      expect(await store.acquireLease("poller", "A", 10_000, T0 + 19_500)).toBe(false);
      // Releasing someone else's lease does nothing; releasing one's own frees it at once.
      await store.releaseLease("poller", "A");
      expect(await store.acquireLease("poller", "A", 10_000, T0 + 20_000)).toBe(false);
      await other.releaseLease("poller", "B");
      expect(await store.acquireLease("poller", "A", 10_000, T0 + 20_000)).toBe(true);
      // Leases are independent by name.
      expect(await other.acquireLease("expiry", "B", 10_000, T0 + 20_000)).toBe(true);
    });

    it("goes to exactly one of many instances trying at the same moment", async () => {
      const instances = [store, await another(), await another()];
      for (const round of [1, 2, 3]) {
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            instances[i % instances.length]!.acquireLease(`race-${round}`, `holder-${i}`, 10_000, T0),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      }
      // Epoch milliseconds beyond 2^31 are kept exactly.
      expect(await store.acquireLease("far", "A", 1, 4_102_444_800_000)).toBe(true);
      expect(await store.acquireLease("far", "B", 1, 4_102_444_800_000)).toBe(false);
      expect(await store.acquireLease("far", "B", 1, 4_102_444_800_001)).toBe(true);
    });
  });

  describe("rate limits", () => {
    it("count one key's hits in a window across instances, with the oldest; clear and prune them", async () => {
      const other = await another();
      expect(await store.countRateLimitHits("sign-in", "10.0.0.1", 0)).toEqual({ count: 0 });
      await store.recordRateLimitHit("sign-in", "10.0.0.1", T0);
      await other.recordRateLimitHit("sign-in", "10.0.0.1", T0 + 1_000);
      await other.recordRateLimitHit("sign-in", "10.0.0.1", T0 + 1_000);
      await store.recordRateLimitHit("sign-in", "10.0.0.2", T0 + 500);
      await store.recordRateLimitHit("pairing", "10.0.0.1", T0 + 500);
      expect(await other.countRateLimitHits("sign-in", "10.0.0.1", T0 - 1)).toEqual({ count: 3, oldestMs: T0 });
      // The window starts after `sinceMs`.
      expect(await store.countRateLimitHits("sign-in", "10.0.0.1", T0)).toEqual({ count: 2, oldestMs: T0 + 1_000 });
      await store.clearRateLimitHits("sign-in", "10.0.0.1");
      expect(await other.countRateLimitHits("sign-in", "10.0.0.1", 0)).toEqual({ count: 0 });
      expect(await store.countRateLimitHits("sign-in", "10.0.0.2", 0)).toEqual({ count: 1, oldestMs: T0 + 500 });
      // Pruning drops hits up to and including the time given.
      expect(await store.pruneRateLimitHits(T0 + 500)).toBe(2);
      expect(await store.pruneRateLimitHits(T0 + 500)).toBe(0);
      expect(await store.countRateLimitHits("pairing", "10.0.0.1", 0)).toEqual({ count: 0 });
    });

    it("takes a token atomically: 20 parallel takes on two instances get exactly the limit through", async () => {
      const other = await another();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? store : other).takeRateLimitToken("sign-in", "10.0.0.9", T0 + i, T0 - 60_000, 5),
        ),
      );
      expect(results.filter((result) => result.taken)).toHaveLength(5);
      expect(await store.countRateLimitHits("sign-in", "10.0.0.9", T0 - 60_000)).toMatchObject({ count: 5 });
      // Refused takes say when the window's oldest hit leaves it; hits before the window do not count.
      const refused = await store.takeRateLimitToken("sign-in", "10.0.0.9", T0 + 100, T0 - 60_000, 5);
      expect(refused.taken).toBe(false);
      expect(refused.oldestMs).toBeGreaterThanOrEqual(T0);
      expect((await other.takeRateLimitToken("sign-in", "10.0.0.9", T0 + 100, T0 + 50, 5)).taken).toBe(true);
    });

    it("stores a very long key as its hash, and still counts it as one key", async () => {
      const { StoreRateLimit, MAX_STORED_KEY_LENGTH } = await import("@/lib/auth/rate-limit");
      const limit = new StoreRateLimit(store, "long-keys", 2, 60_000);
      const longKey = "203.0.113.7, ".repeat(700);
      expect((await limit.consume(longKey, T0)).allowed).toBe(true);
      expect((await limit.consume(longKey, T0 + 1)).allowed).toBe(true);
      expect((await limit.consume(longKey, T0 + 2)).allowed).toBe(false);
      expect((await limit.consume(`${longKey}x`, T0 + 3)).allowed).toBe(true);
      expect(await store.countRateLimitHits("long-keys", longKey, 0)).toEqual({ count: 0 });
      expect(await store.pruneRateLimitHits(T0 + 2)).toBe(2);
      expect(MAX_STORED_KEY_LENGTH).toBeLessThan(longKey.length);
    });
  });

  // --- Go-live evidence (issue 10): outgoing Vipps requests and the event log summed up ----------
  describe("go-live evidence: Vipps requests and the event log", () => {
    const request = (
      operation: string,
      at: number,
      extra: Partial<NewVippsRequestRecord> = {},
    ): NewVippsRequestRecord => ({
      operation,
      method: "POST",
      path: "/epayment/v1/payments",
      attempt: 1,
      systemHeaders: { "Vipps-System-Name": "kassa-display", "Vipps-System-Plugin-Name": "kassa-display-pos" },
      summary: { customerInteraction: "CUSTOMER_PRESENT", receipt: { orderLines: 2 } },
      at: iso(at),
      ...extra,
    });

    it("records requests across instances, newest first, and prunes each operation to its newest few", async () => {
      const other = await another();
      for (let i = 0; i < 5; i += 1)
        await (i % 2 ? other : store).recordVippsRequest(
          request("createPayment", T0 + i * 1000, { reference: `ref-${i}` }),
          3,
        );
      await other.recordVippsRequest(
        request("getPayment", T0 + 10_000, {
          method: "GET",
          path: "/epayment/v1/payments/ref-4",
          reference: "ref-4",
          attempt: 2,
        }),
        3,
      );
      await store.recordVippsRequest(
        request("fetchAccessToken", T0 + 11_000, { path: "/accesstoken/get", summary: {} }),
        3,
      );

      const creates = await store.listVippsRequests({ operation: "createPayment" });
      expect(creates.map((r) => r.reference)).toEqual(["ref-4", "ref-3", "ref-2"]);
      expect(creates[0]).toEqual({
        id: expect.any(Number),
        operation: "createPayment",
        method: "POST",
        path: "/epayment/v1/payments",
        reference: "ref-4",
        attempt: 1,
        systemHeaders: { "Vipps-System-Name": "kassa-display", "Vipps-System-Plugin-Name": "kassa-display-pos" },
        summary: { customerInteraction: "CUSTOMER_PRESENT", receipt: { orderLines: 2 } },
        at: iso(T0 + 4000),
      });
      // The pruning of one operation leaves the others alone.
      const all = await other.listVippsRequests();
      expect(all.map((r) => r.operation)).toEqual([
        "fetchAccessToken",
        "getPayment",
        "createPayment",
        "createPayment",
        "createPayment",
      ]);
      expect(all[0]?.reference).toBeUndefined();
      expect(all[1]).toMatchObject({ method: "GET", attempt: 2, reference: "ref-4" });
      expect((await store.listVippsRequests({ limit: 2 })).map((r) => r.operation)).toEqual([
        "fetchAccessToken",
        "getPayment",
      ]);
      expect(await store.listVippsRequests({ operation: "refundPayment" })).toEqual([]);
    });

    it("keeps at least the newest few of each operation and never more than twice as many, however many are recorded", async () => {
      const other = await another();
      const keep = 4;
      const counts: number[] = [];
      for (let i = 0; i < 30; i += 1) {
        await (i % 2 ? other : store).recordVippsRequest(
          request(i % 3 ? "getPayment" : "capturePayment", T0 + i * 1000, { reference: `ref-${i}` }),
          keep,
        );
        const gets = await store.listVippsRequests({ operation: "getPayment" });
        const captures = await store.listVippsRequests({ operation: "capturePayment" });
        // The newest `keep` (or all so far) of each are always there, newest first.
        const made = Array.from({ length: i + 1 }, (_, n) => n);
        expect(gets.slice(0, keep).map((r) => r.reference)).toEqual(
          made
            .filter((n) => n % 3)
            .reverse()
            .slice(0, keep)
            .map((n) => `ref-${n}`),
        );
        expect(captures.slice(0, keep).map((r) => r.reference)).toEqual(
          made
            .filter((n) => n % 3 === 0)
            .reverse()
            .slice(0, keep)
            .map((n) => `ref-${n}`),
        );
        counts.push(gets.length, captures.length);
      }
      expect(Math.max(...counts)).toBeLessThanOrEqual(2 * keep);
      // Pruned along the way: 20 gets and 10 captures were recorded.
      expect((await store.listVippsRequests({ operation: "getPayment" })).length).toBeLessThan(20);
      expect((await store.listVippsRequests({ operation: "capturePayment" })).length).toBeLessThan(10);
    });
  });
});
