/**
 * SOAK_SABOTAGE=1 checks the checks: after the settle, with webhooks dropped so that the app cannot
 * learn of it, money is moved at Vipps behind the app's back (a refund of a captured sale) and a
 * payment no sale knows is created. The run must then report violations for both.
 */
import { randomUUID } from "node:crypto";
import { SIMULATOR_DEMO_CREDENTIALS } from "../../lib/config";
import type { PosClient, SimClient } from "./clients";
import type { Journal } from "./journal";
import type { SaleRecord } from "./sales";

async function vipps(sim: SimClient, path: string, body: unknown, token?: string): Promise<Response> {
  const credentials = SIMULATOR_DEMO_CREDENTIALS;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "Ocp-Apim-Subscription-Key": credentials.subscriptionKey,
    "Merchant-Serial-Number": credentials.msn,
    ...(token
      ? { authorization: `Bearer ${token}`, "idempotency-key": randomUUID() }
      : { client_id: credentials.clientId, client_secret: credentials.clientSecret }),
  };
  return fetch(`${sim.url}${path}`, {
    method: "POST",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function sabotage(
  pos: PosClient,
  sim: SimClient,
  journal: Journal,
  records: Map<string, SaleRecord>,
): Promise<void> {
  await sim.control("PUT", "/faults", { webhooks: { mode: "drop" } });
  const token = ((await (await vipps(sim, "/accesstoken/get", undefined)).json()) as { access_token: string })
    .access_token;
  for (const record of records.values()) {
    const sale = (await pos.get(`/api/v1/sales/${record.id}`)).body as {
      state: string;
      reference: string;
      capturedAmount: { value: number };
      refundedAmount: { value: number };
    };
    if (sale.state !== "captured" || sale.capturedAmount.value - sale.refundedAmount.value < 100) continue;
    const refund = await vipps(
      sim,
      `/epayment/v1/payments/${sale.reference}/refund`,
      { modificationAmount: { value: 100, currency: "NOK" } },
      token,
    );
    journal.note(
      `sabotage: refunded 100 of ${record.id} (${sale.reference}) at Vipps behind the app's back: ${refund.status}`,
    );
    break;
  }
  const reference = `sabotage-${Date.now().toString(36)}`;
  const created = await vipps(
    sim,
    "/epayment/v1/payments",
    {
      amount: { value: 1000, currency: "NOK" },
      paymentMethod: { type: "WALLET" },
      reference,
      userFlow: "QR",
      customerInteraction: "CUSTOMER_PRESENT",
      paymentDescription: "Not from the till",
    },
    token,
  );
  journal.note(`sabotage: created payment ${reference} at Vipps that no sale knows: ${created.status}`);
}
