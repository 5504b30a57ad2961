import "server-only";
import type { Clock } from "@/lib/clock";
import type { AppConfig } from "@/lib/config";
import type { Logger } from "@/lib/log";
import type { Store } from "@/lib/store/store";
import { AdminAccess, type AdminSecrets, PIN_DEVICE_LIMIT } from "./admin-access";
import { StoreRateLimit } from "./rate-limit";
import { SessionManager } from "./sessions";
import {
  KNOWN_TILLS_PER_ADDRESS,
  SIGN_IN_FAILURE_LIMIT,
  SIGN_IN_GLOBAL_FAILURE_LIMIT,
  SIGN_IN_WINDOW_MS,
} from "./sign-in-limits";

type AddressOf = (request: Request) => string;

/**
 * The admin's and the POS's way in. Its sessions and its limits live in the store, so that every
 * instance sees the same sessions and counts the same attempts.
 */
export function buildAdminAccess(deps: {
  secrets: AdminSecrets;
  clock: Clock;
  log: Logger;
  secureCookies: boolean;
  config: Pick<AppConfig, "publicUrl">;
  store: Pick<Store, "operations" | "staff" | "sessions" | "apiKeys">;
  clientAddress: AddressOf;
}): { admin: AdminAccess; sessions: SessionManager } {
  const { store } = deps;
  const sessions = new SessionManager({ sessions: store.sessions, staff: store.staff, clock: deps.clock });
  const admin = new AdminAccess({
    secrets: deps.secrets,
    clock: deps.clock,
    log: deps.log,
    secureCookies: deps.secureCookies,
    publicUrl: deps.config.publicUrl,
    staff: store.staff,
    apiKeys: store.apiKeys,
    sessions,
    signInLimits: {
      perClient: new StoreRateLimit(store.operations, "admin-sign-in", SIGN_IN_FAILURE_LIMIT, SIGN_IN_WINDOW_MS),
      everyone: new StoreRateLimit(
        store.operations,
        "admin-sign-in-all",
        SIGN_IN_GLOBAL_FAILURE_LIMIT,
        SIGN_IN_WINDOW_MS,
      ),
      perKnownTill: new StoreRateLimit(
        store.operations,
        "admin-sign-in-till",
        SIGN_IN_FAILURE_LIMIT,
        SIGN_IN_WINDOW_MS,
      ),
      tillsPerClient: new StoreRateLimit(
        store.operations,
        "admin-sign-in-tills",
        KNOWN_TILLS_PER_ADDRESS,
        SIGN_IN_WINDOW_MS,
      ),
      perTill: new StoreRateLimit(store.operations, "pin-sign-in", PIN_DEVICE_LIMIT, SIGN_IN_WINDOW_MS),
    },
    clientAddress: deps.clientAddress,
  });
  return { admin, sessions };
}
