import type { IncomingMessage, ServerResponse } from "node:http";

export interface SlowPeerLimits {
  /** A request and its body must arrive within this many ms, or get a 408 and a closed connection. */
  bodyDeadlineMs: number;
  /** A response whose connection does not drain for this many ms is closed. */
  drainDeadlineMs: number;
  /** Requests whose body is still arriving, per connection address (not behind a trusted proxy). */
  unfinishedPerPeer: number;
}
export declare const limits: Readonly<SlowPeerLimits>;
/** For tests: changes the limits for this process. */
export declare function configureSlowPeerLimits(changes: Partial<SlowPeerLimits>): void;
/** Applies the limits to a request, which goes on to Next as it is. */
export declare function limitSlowPeer(request: IncomingMessage, response: ServerResponse): void;
