import "server-only";
import { StoreRateLimit } from "@/lib/auth/rate-limit";
import type { Clock } from "@/lib/clock";
import type { Logger } from "@/lib/log";
import type { Store } from "@/lib/store/store";
import {
  DisplayAccess,
  PAIRING_REQUESTS_PER_MINUTE,
  WRONG_CODE_WINDOW_MS,
  WRONG_CODES_PER_WINDOW,
} from "./display-access";

type AddressOf = (request: Request) => string;

/** The displays' pairing: a cashier approves it, strangers are slowed down per address. */
export function buildDisplayAccess(deps: {
  clock: Clock;
  log: Logger;
  secureCookies: boolean;
  store: Pick<Store, "counters" | "operations">;
  isCashier: (request: Request) => Promise<boolean>;
  clientAddress: AddressOf;
}): DisplayAccess {
  const { store } = deps;
  return new DisplayAccess({
    counters: store.counters,
    clock: deps.clock,
    log: deps.log,
    isCashier: deps.isCashier,
    secureCookies: deps.secureCookies,
    pairingLimit: new StoreRateLimit(store.operations, "display-pairing", PAIRING_REQUESTS_PER_MINUTE, 60_000),
    guessLimit: new StoreRateLimit(
      store.operations,
      "display-pairing-guess",
      WRONG_CODES_PER_WINDOW,
      WRONG_CODE_WINDOW_MS,
    ),
    clientAddress: deps.clientAddress,
  });
}
