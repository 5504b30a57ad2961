/**
 * Who is asking: a staff member signed in to the admin, or a POS with an API key. The request edge
 * (lib/http) and the services both speak of it, so it lives below both rather than in lib/auth.
 */
export const ROLES = ["owner", "manager", "cashier"] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = ["sales:read", "sales:write", "refunds", "catalogue", "terminals", "settings", "events"] as const;
export type Scope = (typeof SCOPES)[number];

export interface StaffPrincipal {
  type: "staff";
  id: string;
  username: string;
  role: Role;
  /** The stores this member works in; an owner's list is ignored (every store). */
  storeIds: string[];
  /** The session the request came with. */
  sessionId: string;
  /** The browser or enrolled till the session was opened on, as the session names it. */
  device: string;
}

export interface ApiKeyPrincipal {
  type: "api-key";
  id: string;
  name: string;
  scopes: Scope[];
  /** null: every store. */
  storeIds: string[] | null;
}

export type Principal = StaffPrincipal | ApiKeyPrincipal;

/** Whether the principal may see and act on a store's objects; one rule for every route. */
export function canAccessStore(principal: Principal, storeId: string): boolean {
  if (principal.type === "staff") return principal.role === "owner" || principal.storeIds.includes(storeId);
  return principal.storeIds === null || principal.storeIds.includes(storeId);
}

/** The sale log's source for an action by this principal: the till's staff, or the POS. */
export const eventSourceOf = (principal: Principal): "api" | "cashier" =>
  principal.type === "api-key" ? "api" : "cashier";

/** A short name for logs and the audit: the username, or the key's name. */
export const principalName = (principal: Principal): string =>
  principal.type === "staff" ? principal.username : principal.name;
