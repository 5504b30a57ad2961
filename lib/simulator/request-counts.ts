/**
 * How many requests each simulator route has answered since start, by method and route pattern
 * (e.g. "GET /epayment/v1/payments/:reference"): the benchmarks read it through GET /_sim/requests
 * to count the app's polls per sale. In memory, counted only; nothing can reset or change it.
 */
export class RequestCounts {
  private readonly counts = new Map<string, number>();

  record(method: string, routePath: string): void {
    const key = `${method} ${routePath}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Every route answered at least once, with its count, in the order first seen. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
