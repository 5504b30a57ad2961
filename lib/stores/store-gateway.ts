import "server-only";
import { createHash } from "node:crypto";
import type { PaymentGateway } from "@/lib/sales/payment-gateway";
import type { SalesRepository } from "@/lib/store/repositories";
import type { VippsClient } from "@/lib/vipps/client";
import type { VippsCredentials } from "@/lib/vipps/access-token";
import type { StoreService, VippsUnit } from "./store-service";

/** How many references' sales units are remembered: a sale's MSN never changes, so they never go stale. */
const REMEMBERED_REFERENCES = 10_000;

/**
 * Vipps clients, one per set of keys and MSN, made on first use and kept: they share the access
 * token cache (keyed by client id, subscription key and MSN) and the transport. One code path for
 * the simulator and for Vipps; only the keys and the Merchant-Serial-Number differ per client.
 * The ePayment clients by default; the QR API's (the tills' stickers) the same way.
 */
export class VippsClients<Client = VippsClient> {
  private readonly clients = new Map<string, Client>();

  constructor(private readonly make: (credentials: VippsCredentials) => Client) {}

  clientFor(credentials: VippsCredentials): Client {
    const key = createHash("sha256")
      .update(
        JSON.stringify([
          credentials.clientId,
          credentials.clientSecret,
          credentials.subscriptionKey,
          credentials.msn ?? "",
        ]),
      )
      .digest("hex");
    let client = this.clients.get(key);
    if (!client) {
      client = this.make(credentials);
      this.clients.set(key, client);
    }
    return client;
  }
}

/**
 * The sales domain's PaymentGateway for a chain: every call about a payment goes through the sales
 * unit that took it (the MSN stored on its sale) with its store's keys, found from the reference.
 * A create finds its sale too, since the sale and its attempt are stored before Vipps is asked.
 */
export class StoreGateway implements PaymentGateway {
  private readonly unitByReference = new Map<string, { storeId: string | undefined; msn: string | undefined }>();

  constructor(
    private readonly deps: {
      sales: Pick<SalesRepository, "getAttemptByReference" | "getSale">;
      stores: Pick<StoreService, "unitOf">;
      clients: VippsClients;
    },
  ) {}

  /** The sales unit a payment belongs to, with the keys its calls are made with. */
  async unitOfReference(reference: string): Promise<VippsUnit> {
    let known = this.unitByReference.get(reference);
    if (!known) {
      const attempt = await this.deps.sales.getAttemptByReference(reference);
      const sale = attempt ? await this.deps.sales.getSale(attempt.saleId) : undefined;
      known = { storeId: sale?.storeId, msn: sale?.msn };
      if (sale) this.remember(reference, known);
    }
    return this.deps.stores.unitOf(known.storeId, known.msn);
  }

  async clientOfReference(reference: string): Promise<VippsClient> {
    const unit = await this.unitOfReference(reference);
    return this.deps.clients.clientFor(unit);
  }

  /** The client as the sales domain sees it (it speaks of currencies as plain strings). */
  private async gatewayOf(reference: string): Promise<PaymentGateway> {
    return this.clientOfReference(reference);
  }

  private remember(reference: string, unit: { storeId: string | undefined; msn: string | undefined }): void {
    if (this.unitByReference.size >= REMEMBERED_REFERENCES) {
      const oldest = this.unitByReference.keys().next().value;
      if (oldest !== undefined) this.unitByReference.delete(oldest);
    }
    this.unitByReference.set(reference, unit);
  }

  async createPayment(...args: Parameters<PaymentGateway["createPayment"]>) {
    return (await this.gatewayOf(args[0].reference)).createPayment(...args);
  }

  async getPayment(reference: string) {
    return (await this.gatewayOf(reference)).getPayment(reference);
  }

  async capturePayment(...args: Parameters<PaymentGateway["capturePayment"]>) {
    return (await this.gatewayOf(args[0])).capturePayment(...args);
  }

  async cancelPayment(...args: Parameters<PaymentGateway["cancelPayment"]>) {
    return (await this.gatewayOf(args[0])).cancelPayment(...args);
  }

  async refundPayment(...args: Parameters<PaymentGateway["refundPayment"]>) {
    return (await this.gatewayOf(args[0])).refundPayment(...args);
  }

  async getPaymentEvents(reference: string) {
    return (await this.clientOfReference(reference)).getPaymentEvents(reference);
  }
}
