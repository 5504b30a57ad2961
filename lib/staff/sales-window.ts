import "server-only";
import type { Clock } from "@/lib/clock";
import type { Principal } from "@/lib/entities/principal";
import { latestAtOrBefore } from "@/lib/closes/zoned-time";

/**
 * A cashier sees today's sales: lists, summaries and exports start no earlier than the shop's
 * midnight, whatever `from` the request names. Everyone else sees what they ask for.
 */
export class SalesWindow {
  constructor(private readonly deps: { clock: Clock; timeZone: () => Promise<string> }) {}

  async clamp<Q extends { from?: string }>(principal: Principal, query: Q): Promise<Q> {
    if (principal.type !== "staff" || principal.role !== "cashier") return query;
    const midnight = latestAtOrBefore("00:00", await this.deps.timeZone(), this.deps.clock.now());
    const asked = query.from ? Date.parse(query.from) : Number.NEGATIVE_INFINITY;
    return asked >= midnight ? query : { ...query, from: new Date(midnight).toISOString() };
  }
}
