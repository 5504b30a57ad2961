import "server-only";
import { randomBytes } from "node:crypto";
import type { Clock } from "@/lib/clock";
import type {
  WebhookDeliveryView,
  WebhookEndpointInput,
  WebhookEndpointView,
  WebhookEndpointWithSecret,
} from "@/lib/contracts/pos-events";
import { POS_EVENT_TYPES, type WebhookDelivery, type WebhookEndpoint } from "@/lib/entities/pos-event";
import { DomainError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import type { PosEventsRepository } from "@/lib/store/repositories";
import { type UrlPolicy, urlProblem } from "./url-safety";

/** A new signing secret: `whsec_` and the base64 of 32 random bytes (Standard Webhooks' format). */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

const view = ({ secret: _secret, ...endpoint }: WebhookEndpoint): WebhookEndpointView => endpoint;

export function deliveryView(delivery: WebhookDelivery): WebhookDeliveryView {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: `${delivery.endpointId}.${delivery.eventSeq}`,
    endpointId: delivery.endpointId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    subject: delivery.subject,
    state: delivery.state,
    attempts: delivery.attempts,
    createdAt: delivery.createdAt,
    ...(delivery.lastAttemptAt ? { lastAttemptAt: delivery.lastAttemptAt } : {}),
    ...(delivery.state === "pending" && delivery.nextAttemptAtMs !== undefined
      ? { nextAttemptAt: iso(delivery.nextAttemptAtMs) }
      : {}),
    ...(delivery.lastStatus !== undefined ? { lastStatus: delivery.lastStatus } : {}),
    ...(delivery.lastError ? { lastError: delivery.lastError } : {}),
    ...(delivery.lastResponse ? { lastResponse: delivery.lastResponse } : {}),
    ...(delivery.deliveredAt ? { deliveredAt: delivery.deliveredAt } : {}),
  };
}

/** The POS's webhook endpoints and their deliveries, as the API and the admin page manage them. */
export class WebhookEndpoints {
  constructor(
    private readonly deps: {
      events: PosEventsRepository;
      clock: Clock;
      log: Logger;
      policy: UrlPolicy;
      /** Told when a delivery is due now (send again), so that it goes at once. */
      deliveryDue: () => void;
      /** Told when an endpoint was added or removed: the dispatcher counts them to know if it has work. */
      endpointsChanged: () => void;
    },
  ) {}

  async create(input: WebhookEndpointInput): Promise<WebhookEndpointWithSecret> {
    const problem = await urlProblem(input.url, this.deps.policy);
    if (problem) throw new DomainError("validation", `url ${problem}`, { errors: [{ field: "url", reason: problem }] });
    const endpoint: WebhookEndpoint = {
      id: `we_${randomBytes(9).toString("base64url")}`,
      url: input.url,
      events: input.events ?? [...POS_EVENT_TYPES],
      description: input.description ?? "",
      secret: newWebhookSecret(),
      createdAt: new Date(this.deps.clock.now()).toISOString(),
    };
    await this.deps.events.insertEndpoint(endpoint);
    this.deps.endpointsChanged();
    this.deps.log.info("Webhook endpoint added", { endpointId: endpoint.id, url: endpoint.url });
    return { ...view(endpoint), secret: endpoint.secret };
  }

  async list(): Promise<{ items: WebhookEndpointView[] }> {
    return { items: (await this.deps.events.listEndpoints()).map(view) };
  }

  async remove(id: string): Promise<void> {
    if (!(await this.deps.events.deleteEndpoint(id))) throw notFound(id);
    this.deps.endpointsChanged();
    this.deps.log.info("Webhook endpoint removed", { endpointId: id });
  }

  /** A new secret, shown once; deliveries from now on are signed with it alone. */
  async rotateSecret(id: string): Promise<WebhookEndpointWithSecret> {
    const secret = newWebhookSecret();
    if (!(await this.deps.events.setEndpointSecret(id, secret))) throw notFound(id);
    const endpoint = await this.deps.events.getEndpoint(id);
    if (!endpoint) throw notFound(id);
    this.deps.log.info("Webhook endpoint's secret replaced", { endpointId: id });
    return { ...view(endpoint), secret };
  }

  async deliveries(filter: { endpointId?: string; limit: number }): Promise<{ items: WebhookDeliveryView[] }> {
    return { items: (await this.deps.events.listDeliveries(filter)).map(deliveryView) };
  }

  /** Sends a delivery again now, whatever became of it (a new round of retries if it fails). */
  async sendAgain(deliveryId: string): Promise<WebhookDeliveryView> {
    const match = /^(we_[\w-]+)\.([1-9][0-9]{0,15})$/.exec(deliveryId);
    const missing = new DomainError("notFound", `No webhook delivery with id ${deliveryId}`);
    if (!match) throw missing;
    const [, endpointId, seq] = match;
    if (!(await this.deps.events.retryDelivery(endpointId!, Number(seq), this.deps.clock.now()))) throw missing;
    this.deps.deliveryDue();
    const delivery = (await this.deps.events.listDeliveries({ endpointId: endpointId!, limit: 500 })).find(
      (candidate) => candidate.eventSeq === Number(seq),
    );
    if (!delivery) throw missing;
    return deliveryView(delivery);
  }
}

const notFound = (id: string) => new DomainError("notFound", `No webhook endpoint with id ${id}`);
