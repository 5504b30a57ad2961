import "server-only";
import type { Clock } from "@/lib/clock";
import type { AppConfig } from "@/lib/config";
import type { Logger } from "@/lib/log";
import type { Store } from "@/lib/store/store";
import {
  AdminAccess,
  type AdminSecrets,
  SIGN_IN_FAILURE_LIMIT,
  SIGN_IN_GLOBAL_FAILURE_LIMIT,
  SIGN_IN_WINDOW_MS,
} from "./admin-access";
import { StoreRateLimit } from "./rate-limit";

type AddressOf = (request: Request) => string;

/** The admin's and the POS's way in. Its limits live in the store, so that every instance counts the same attempts. */
export function buildAdminAccess(deps: {
  secrets: AdminSecrets;
  clock: Clock;
  log: Logger;
  secureCookies: boolean;
  config: Pick<AppConfig, "publicUrl">;
  store: Pick<Store, "settings" | "operations">;
  clientAddress: AddressOf;
}): AdminAccess {
  const { store } = deps;
  return new AdminAccess({
    secrets: deps.secrets,
    clock: deps.clock,
    log: deps.log,
    secureCookies: deps.secureCookies,
    publicUrl: deps.config.publicUrl,
    settings: store.settings,
    signInLimits: {
      perClient: new StoreRateLimit(store.operations, "admin-sign-in", SIGN_IN_FAILURE_LIMIT, SIGN_IN_WINDOW_MS),
      everyone: new StoreRateLimit(
        store.operations,
        "admin-sign-in-all",
        SIGN_IN_GLOBAL_FAILURE_LIMIT,
        SIGN_IN_WINDOW_MS,
      ),
    },
    clientAddress: deps.clientAddress,
  });
}
