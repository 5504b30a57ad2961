/** The API keys repository's slice of the store conformance suite, on SQLite and PostgreSQL. */
import { describe, expect, it } from "vitest";
import type { ApiKey } from "@/lib/entities/staff";
import { conformance, iso, T0 } from "../support/store-conformance";

const key = (id: string, extra: Partial<ApiKey> = {}): ApiKey => ({
  id,
  name: `Key ${id}`,
  keyHash: `hash-${id}`,
  scopes: ["sales:read", "refunds"],
  storeIds: ["store-1"],
  createdAt: iso(T0),
  revokedAt: null,
  ...extra,
});

conformance("API keys repository", (context) => {
  describe("api keys", () => {
    it("stores keys with their scopes and stores, finds live ones by hash, rotates and revokes", async () => {
      const keys = context.store.apiKeys;
      await keys.insertApiKey(key("k1"));
      await keys.insertApiKey(key("k2", { storeIds: null, createdAt: iso(T0 + 1) }));
      expect(await keys.getApiKeyByHash("hash-k1")).toEqual(key("k1"));
      expect((await keys.getApiKey("k2"))?.storeIds).toBeNull();
      expect((await keys.listApiKeys()).map((k) => k.id)).toEqual(["k1", "k2"]);

      expect(await keys.setApiKeyHash("k1", "hash-k1-new")).toBe(true);
      expect(await keys.getApiKeyByHash("hash-k1")).toBeUndefined();
      expect((await keys.getApiKeyByHash("hash-k1-new"))?.id).toBe("k1");

      expect(await keys.revokeApiKey("k1", iso(T0 + 5))).toBe(true);
      expect(await keys.revokeApiKey("k1", iso(T0 + 6))).toBe(false);
      expect(await keys.getApiKeyByHash("hash-k1-new")).toBeUndefined();
      expect((await keys.getApiKey("k1"))?.revokedAt).toBe(iso(T0 + 5));
      expect(await keys.setApiKeyHash("k1", "again")).toBe(false);
    });
  });
});
