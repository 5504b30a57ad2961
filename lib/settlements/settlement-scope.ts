import "server-only";
import { canAccessStore, type Principal } from "@/lib/entities/principal";
import type { RetailStore } from "@/lib/entities/retail-store";
import { DomainError } from "@/lib/errors";

/**
 * Whose settlements a request shows: the ledgers of these sales units (MSNs) and the sales of these
 * stores; undefined for both when the caller sees every store and names none (then also the
 * ledgers of an MSN no store has any more). `timeZone`: the one store's, when one is shown.
 */
export interface SettlementScope {
  msns?: string[];
  storeIds?: string[];
  timeZone?: string;
}

const seesEveryStore = (by: Principal): boolean => (by.type === "staff" ? by.role === "owner" : by.storeIds === null);

/**
 * The caller's stores, or the one they name. Another store's id answers 404, as if it did not exist
 * (lib/auth/store-scope.ts): a manager of store A learns nothing of store B's ledgers.
 */
export function settlementScopeOf(
  by: Principal,
  storeId: string | undefined,
  stores: readonly RetailStore[],
): SettlementScope {
  const mine = stores.filter((store) => store.msn !== "" && canAccessStore(by, store.id));
  if (storeId !== undefined) {
    const store = mine.find((candidate) => candidate.id === storeId);
    if (!store) throw new DomainError("notFound", `No store with id ${storeId}`);
    return { msns: [store.msn], storeIds: [store.id], timeZone: store.timeZone };
  }
  if (seesEveryStore(by)) return {};
  return {
    msns: mine.map((store) => store.msn),
    storeIds: mine.map((store) => store.id),
    ...(mine.length === 1 ? { timeZone: mine[0]!.timeZone } : {}),
  };
}
