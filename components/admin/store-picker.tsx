"use client";

import useSWR from "swr";
import type { MeView } from "@/lib/contracts/staff";
import type { StoreView } from "@/lib/contracts/stores";
import { swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import { inputClass } from "./ui";

/** The stores the signed-in person works in (an owner, or a key of every store: all of them). */
export function useMyStores(): StoreView[] {
  const { data: stores } = useSWR<{ items: StoreView[] }>("/api/v1/stores", swrFetcher);
  const { data: me } = useSWR<MeView>("/api/v1/me", swrFetcher);
  if (!stores || !me) return [];
  const every = me.type === "staff" ? me.role === "owner" : me.storeIds === null;
  return every ? stores.items : stores.items.filter((store) => me.storeIds?.includes(store.id));
}

/**
 * Picks one of the person's stores, or all of them (""); shown only to someone with more than one.
 * The server decides what each store's figures are; this only names the store to ask for.
 */
export function StorePicker({ value, onChange }: { value: string; onChange: (storeId: string) => void }) {
  const { t } = useAdminI18n();
  const stores = useMyStores();
  if (stores.length < 2) return null;
  return (
    <label className="flex items-center gap-2 text-sm font-medium text-ink-800">
      {t("storeLabel")}
      <select
        className={`${inputClass} w-auto py-2 text-sm`}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid="store-picker"
      >
        <option value="">{t("storeAllMine")}</option>
        {stores.map((store) => (
          <option key={store.id} value={store.id}>
            {store.name} ({store.msn})
          </option>
        ))}
      </select>
    </label>
  );
}
