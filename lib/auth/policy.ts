import { DomainError } from "@/lib/errors";
import type { Principal, Role, Scope } from "@/lib/entities/principal";

/**
 * What each kind of principal may do: one table the routes all ask (authorize), so the server
 * decides, whatever the admin page shows. Store scoping (which store's objects) is the other half:
 * canAccessStore in lib/entities/principal.ts, applied by StoreScope.
 */
export const ACTIONS = [
  "sales:read",
  "sales:write",
  "refunds",
  "terminals:read",
  "terminals",
  "closes:read",
  "closes",
  "catalogue:read",
  "catalogue",
  "settings:read",
  "settings",
  "go-live",
  "settlements",
  "stores",
  "events",
  "staff",
  "staff:sessions",
  "api-keys",
  "audit",
  "me",
] as const;
export type Action = (typeof ACTIONS)[number];

const ALL = ["owner", "manager", "cashier"] as const satisfies Role[];
const RUNS_A_STORE = ["owner", "manager"] as const satisfies Role[];

/** Roles per action. A cashier's refund needs a manager's approval on the spot (refund route). */
const ROLES: Record<Action, readonly Role[]> = {
  "sales:read": ALL,
  "sales:write": ALL,
  refunds: RUNS_A_STORE,
  "terminals:read": ALL,
  terminals: RUNS_A_STORE,
  "closes:read": RUNS_A_STORE,
  closes: RUNS_A_STORE,
  "catalogue:read": ALL,
  catalogue: RUNS_A_STORE,
  "settings:read": ALL,
  settings: RUNS_A_STORE,
  "go-live": ["owner"],
  settlements: RUNS_A_STORE,
  stores: ["owner"],
  events: ["owner"],
  staff: RUNS_A_STORE,
  "staff:sessions": ["owner"],
  "api-keys": ["owner"],
  audit: RUNS_A_STORE,
  me: ALL,
};

/** Any one of these scopes lets an API key do the action; none: keys may not (staff-only actions). */
const SCOPES: Record<Action, readonly Scope[]> = {
  "sales:read": ["sales:read"],
  "sales:write": ["sales:write"],
  refunds: ["refunds"],
  "terminals:read": ["terminals", "sales:read", "sales:write"],
  terminals: ["terminals"],
  "closes:read": ["terminals", "sales:read"],
  closes: ["terminals"],
  "catalogue:read": ["catalogue", "sales:write"],
  catalogue: ["catalogue"],
  "settings:read": ["settings", "sales:read", "sales:write"],
  settings: ["settings"],
  "go-live": ["settings"],
  settlements: ["sales:read"],
  stores: ["settings"],
  events: ["events"],
  staff: [],
  "staff:sessions": [],
  "api-keys": [],
  audit: [],
  me: [],
};

export function isAllowed(principal: Principal, action: Action): boolean {
  if (principal.type === "staff") return ROLES[action].includes(principal.role);
  return SCOPES[action].some((scope) => principal.scopes.includes(scope));
}

/** Throws a 403 problem unless the principal may do the action. */
export function authorize(principal: Principal, action: Action): void {
  if (isAllowed(principal, action)) return;
  const who = principal.type === "staff" ? `A ${principal.role}` : "This API key";
  throw new DomainError("forbidden", `${who} may not do this (${action}).`);
}
