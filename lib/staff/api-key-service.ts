import "server-only";
import { randomBytes } from "node:crypto";
import type { Clock } from "@/lib/clock";
import { DomainError } from "@/lib/errors";
import type { ApiKey } from "@/lib/entities/staff";
import type { ApiKeysRepository } from "@/lib/store/repositories";
import type { ApiKeyCreateRequest, ApiKeyView } from "@/lib/contracts/staff";
import { hashApiKey } from "@/lib/auth/admin-access";

const toView = (k: ApiKey): ApiKeyView => ({
  id: k.id,
  name: k.name,
  scopes: k.scopes,
  storeIds: k.storeIds,
  createdAt: k.createdAt,
  revokedAt: k.revokedAt,
});

const newKey = () => `kassa_${randomBytes(24).toString("base64url")}`;

/** Named API keys with scopes: shown once when made or rotated, kept only as hashes. */
export class ApiKeyService {
  constructor(private readonly deps: { apiKeys: ApiKeysRepository; clock: Clock }) {}

  async list(): Promise<{ items: ApiKeyView[] }> {
    return { items: (await this.deps.apiKeys.listApiKeys()).map(toView) };
  }

  async create(input: ApiKeyCreateRequest): Promise<{ id: string; key: string; view: ApiKeyView }> {
    const key = newKey();
    const stored: ApiKey = {
      id: `key_${randomBytes(9).toString("base64url")}`,
      name: input.name,
      keyHash: hashApiKey(key),
      scopes: [...new Set(input.scopes)],
      storeIds: input.storeIds ?? null,
      createdAt: new Date(this.deps.clock.now()).toISOString(),
      revokedAt: null,
    };
    await this.deps.apiKeys.insertApiKey(stored);
    return { id: stored.id, key, view: toView(stored) };
  }

  async revoke(id: string): Promise<ApiKeyView> {
    const at = new Date(this.deps.clock.now()).toISOString();
    if (!(await this.deps.apiKeys.revokeApiKey(id, at))) throw new DomainError("notFound", `No API key with id ${id}`);
    return toView((await this.deps.apiKeys.getApiKey(id)) as ApiKey);
  }

  /** A new key for the same name, scopes and stores; the old one stops working at once. */
  async rotate(id: string): Promise<{ id: string; key: string }> {
    const key = newKey();
    if (!(await this.deps.apiKeys.setApiKeyHash(id, hashApiKey(key)))) {
      throw new DomainError("notFound", `No API key with id ${id}`);
    }
    return { id, key };
  }
}
