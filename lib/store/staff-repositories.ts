import type {
  ApiKey,
  AuditEntry,
  AuditFilter,
  NewAuditEntry,
  StaffMember,
  StaffSession,
  TillDevice,
} from "@/lib/entities/staff";

/*
 * The repositories of staff, their sessions, API keys and the audit (lib/store/repositories.ts
 * lists them with the others in Repositories).
 */

/** Staff members, and the till devices where they may sign in with a PIN. */
export interface StaffRepository {
  /** Inserts a member; false when the id or the username is taken (usernames are unique). */
  insertStaff(member: StaffMember): Promise<boolean>;
  /** Replaces the member's row (matched by id); false when there is none. */
  updateStaff(member: StaffMember): Promise<boolean>;
  getStaff(id: string): Promise<StaffMember | undefined>;
  getStaffByUsername(username: string): Promise<StaffMember | undefined>;
  /** By username. */
  listStaff(): Promise<StaffMember[]>;
  /** Removes the member with their sessions; false when there was none. */
  deleteStaff(id: string): Promise<boolean>;
  /**
   * Counts a wrong PIN in one statement, locking the PIN at `lockAfter` failures in a row; returns
   * the member as it now is. Two instances counting at once both count.
   */
  recordPinFailure(id: string, lockAfter: number, at: string): Promise<StaffMember | undefined>;
  /** A right PIN: the failures start again from zero. */
  clearPinFailures(id: string): Promise<void>;

  saveTillDevice(device: TillDevice): Promise<void>;
  getTillDevice(id: string): Promise<TillDevice | undefined>;
  listTillDevices(): Promise<TillDevice[]>;
}

/** Signed-in sessions, shared by every instance, so that ending one ends it everywhere. */
export interface SessionsRepository {
  insertSession(session: StaffSession): Promise<void>;
  /** A live (not ended) session by its token's hash. */
  getSessionByTokenHash(tokenHash: string): Promise<StaffSession | undefined>;
  getSession(id: string): Promise<StaffSession | undefined>;
  /** The member's sessions not ended and not expired at `nowIso`, newest first. */
  listLiveSessions(staffId: string, nowIso: string): Promise<StaffSession[]>;
  /** Whether the member opened a session (live or not) from this address at or after `sinceIso`. */
  hasSessionFrom(staffId: string, address: string, sinceIso: string): Promise<boolean>;
  /** Ends one session; false when there was no live one. */
  endSession(id: string, at: string): Promise<boolean>;
  /** Ends every live session of the member but `exceptId`; returns how many. */
  endSessionsOf(staffId: string, at: string, exceptId?: string): Promise<number>;
  /** Moves lastSeenAt on, only when it is older than `olderThan` (a cheap write at most once a while). */
  touchSession(id: string, at: string, olderThan: string): Promise<void>;
}

export interface ApiKeysRepository {
  insertApiKey(key: ApiKey): Promise<void>;
  /** A key not revoked, by its hash. */
  getApiKeyByHash(keyHash: string): Promise<ApiKey | undefined>;
  getApiKey(id: string): Promise<ApiKey | undefined>;
  /** Every key, revoked ones too, oldest first. */
  listApiKeys(): Promise<ApiKey[]>;
  /** False when there is no key that is not revoked. */
  revokeApiKey(id: string, at: string): Promise<boolean>;
  /** A new hash for a live key; false when there is none. */
  setApiKeyHash(id: string, keyHash: string): Promise<boolean>;
}

/** Who did what: appended, never changed. */
export interface AuditRepository {
  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Newest first. */
  listAudit(filter: AuditFilter): Promise<AuditEntry[]>;
}
