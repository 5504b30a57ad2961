import type { Runtime } from "@/lib/runtime";
import type { Product, Terminal } from "@/lib/sales/types";
import type { DisplayDevice } from "@/lib/store/store";

export async function terminalView(runtime: Runtime, terminal: Terminal) {
  const active = await runtime.store.getActiveSale(terminal.id);
  return {
    id: terminal.id,
    name: terminal.name,
    posId: terminal.posId,
    language: terminal.language,
    currency: terminal.currency,
    displayUrl: `${runtime.config.publicUrl}/display/${encodeURIComponent(terminal.id)}?token=${encodeURIComponent(terminal.displayToken)}`,
    activeSaleId: active?.id ?? null,
  };
}

export const productView = (product: Product) => ({
  id: product.id,
  name: product.name,
  unitPrice: product.unitPrice,
  currency: product.currency,
  taxRate: product.taxRate,
});

/** A paired display as the API shows it: never its token hash. */
export const deviceView = (device: DisplayDevice) => ({
  id: device.id,
  label: device.label,
  createdAt: device.createdAt,
  revokedAt: device.revokedAt ?? null,
});
