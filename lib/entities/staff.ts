import type { Role, Scope } from "./principal";

/** A person who works the till or runs the shop; signs in with a password, or a PIN on an enrolled till. */
export interface StaffMember {
  id: string;
  username: string;
  name: string;
  role: Role;
  storeIds: string[];
  /** argon2id (or, for the owner carried over from the single admin password, the legacy scrypt hash). */
  passwordHash: string | null;
  pinHash: string | null;
  /** Wrong PINs in a row since the last right one. */
  pinFailures: number;
  /** Set when too many wrong PINs locked the PIN; a manager's reset clears it. */
  pinLockedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A signed-in browser of a staff member. The cookie holds a random token; the store keeps its hash. */
export interface StaffSession {
  id: string;
  tokenHash: string;
  staffId: string;
  /** The browser as it named itself (user agent), or the enrolled till's label. */
  device: string;
  address: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  endedAt: string | null;
}

/** A browser an owner or manager enrolled as a till, where cashiers may sign in with a PIN. */
export interface TillDevice {
  id: string;
  label: string;
  enrolledBy: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface ApiKey {
  id: string;
  name: string;
  keyHash: string;
  scopes: Scope[];
  /** null: every store. */
  storeIds: string[] | null;
  createdAt: string;
  revokedAt: string | null;
}

export type AuditActor =
  | { type: "staff"; id: string; username: string }
  | { type: "api-key"; id: string; name: string };

export interface NewAuditEntry {
  at: string;
  action: string;
  actor: AuditActor;
  /** What was acted on, e.g. "sale:sale_x", "staff:anna", "settings". */
  target: string;
  saleId?: string;
  /** The store the entry is about (the sale's, the terminal's, the store itself); none: deployment-wide. */
  storeId?: string;
  device?: string;
  address: string;
  detail?: Record<string, unknown>;
}

export interface AuditEntry extends NewAuditEntry {
  id: number;
}

export interface AuditFilter {
  saleId?: string;
  /** A username or an API key's name. */
  actor?: string;
  from?: string;
  to?: string;
  /** Only the entries of these stores (a storeId asked for, or the stores a manager may see). */
  storeIds?: readonly string[];
  /** With storeIds: also the deployment-wide entries (no store) this actor made, e.g. a manager's own. */
  orDeploymentWideBy?: { type: AuditActor["type"]; id: string };
  /** Entries before this id (paging, newest first). */
  beforeId?: number;
  limit: number;
}
