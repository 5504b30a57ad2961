import { expect } from "@playwright/test";
import type { AppHandle } from "../support/app-server";

export const TWO_LINES = {
  terminalId: "pos-1",
  currency: "NOK",
  lines: [
    { name: "Ear buds", quantity: 1, unitPrice: 42924, taxRate: 2500 },
    { name: "Espresso", quantity: 2, unitPrice: 3900, taxRate: 1500 },
  ],
};
export const TWO_LINES_TOTAL = 42924 + 2 * 3900;

export interface SaleBody {
  id: string;
  reference: string;
  state: string;
  amount: { value: number; currency: string };
  capturedAmount: { value: number; currency: string };
  refundedAmount: { value: number; currency: string };
  qr: { url: string; expiresAt: string } | null;
  attemptCount: number;
}

export async function createSale(
  app: AppHandle,
  body: unknown = TWO_LINES,
  headers: Record<string, string> = {},
): Promise<SaleBody> {
  const response = await app.api("/api/v1/sales", { method: "POST", json: body, headers });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as SaleBody;
}

export async function getSale(app: AppHandle, id: string): Promise<SaleBody> {
  const response = await app.api(`/api/v1/sales/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as SaleBody;
}

export async function waitForSaleState(
  app: AppHandle,
  id: string,
  state: string,
  timeoutMs = 10_000,
): Promise<SaleBody> {
  const deadline = Date.now() + timeoutMs;
  let sale = await getSale(app, id);
  while (sale.state !== state && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    sale = await getSale(app, id);
  }
  expect(sale.state, `sale ${id} should reach ${state}`).toBe(state);
  return sale;
}

export async function simPayment(app: AppHandle, reference: string): Promise<any> {
  const response = await app.sim(`/payments/${reference}`);
  expect(response.status).toBe(200);
  return response.json();
}

export async function simAction(
  app: AppHandle,
  reference: string,
  action: "approve" | "reject" | "expire",
): Promise<void> {
  const response = await app.sim(`/payments/${reference}/${action}`, { method: "POST" });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

export async function setWebhookFaults(
  app: AppHandle,
  mode: "deliver" | "drop" | "delay",
  delayMs?: number,
): Promise<void> {
  const response = await app.sim("/webhook-faults", { method: "PUT", json: { mode, ...(delayMs ? { delayMs } : {}) } });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

export async function saleEvents(
  app: AppHandle,
  id: string,
): Promise<{ type: string; source: string; toState?: string }[]> {
  const response = await app.api(`/api/v1/sales/${id}/events`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: { type: string; source: string; toState?: string }[] }).items;
}
