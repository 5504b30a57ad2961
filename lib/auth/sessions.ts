import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Clock } from "@/lib/clock";
import { DomainError } from "@/lib/errors";
import type { StaffPrincipal } from "@/lib/entities/principal";
import type { StaffMember, StaffSession } from "@/lib/entities/staff";
import type { SessionsRepository, StaffRepository } from "@/lib/store/repositories";
import { ADMIN_SESSION_TTL_MS } from "./admin-session";

/** lastSeenAt is written at most this often per session: a read per request, a write per minute. */
export const LAST_SEEN_EVERY_MS = 60_000;

const tokenHash = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface SessionView {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  device: string;
}

/**
 * Staff sessions kept in the store: the cookie holds a random token, the store its hash. Every
 * instance reads the same rows, so a session ended on one is ended on all at its next request.
 */
export class SessionManager {
  constructor(
    private readonly deps: {
      sessions: SessionsRepository;
      staff: Pick<StaffRepository, "getStaff">;
      clock: Clock;
    },
  ) {}

  private iso(ms = this.deps.clock.now()) {
    return new Date(ms).toISOString();
  }

  /** A new session for the member; returns the cookie's token (shown only here). */
  async open(member: StaffMember, device: string, address: string): Promise<{ token: string; session: StaffSession }> {
    const token = randomBytes(32).toString("base64url");
    const now = this.deps.clock.now();
    const session: StaffSession = {
      id: `ses_${randomBytes(12).toString("base64url")}`,
      tokenHash: tokenHash(token),
      staffId: member.id,
      device: device.slice(0, 200),
      address,
      createdAt: this.iso(now),
      lastSeenAt: this.iso(now),
      expiresAt: this.iso(now + ADMIN_SESSION_TTL_MS),
      endedAt: null,
    };
    await this.deps.sessions.insertSession(session);
    return { token, session };
  }

  /** The principal of a live session's token, or undefined (ended, expired, unknown, member gone). */
  async resolve(token: string | undefined): Promise<StaffPrincipal | undefined> {
    if (!token || !TOKEN.test(token)) return undefined;
    const session = await this.deps.sessions.getSessionByTokenHash(tokenHash(token));
    const now = this.deps.clock.now();
    if (!session || Date.parse(session.expiresAt) <= now) return undefined;
    const member = await this.deps.staff.getStaff(session.staffId);
    if (!member) return undefined;
    if (now - Date.parse(session.lastSeenAt) >= LAST_SEEN_EVERY_MS) {
      await this.deps.sessions.touchSession(session.id, this.iso(now), this.iso(now - LAST_SEEN_EVERY_MS));
    }
    return {
      type: "staff",
      id: member.id,
      username: member.username,
      role: member.role,
      storeIds: member.storeIds,
      sessionId: session.id,
      device: session.device,
    };
  }

  /**
   * Whether the member signed in from this address within `withinMs`, and since their record last
   * changed (a new password, say), so that an address only earned with the current credential counts.
   */
  signedInFrom(member: Pick<StaffMember, "id" | "updatedAt">, address: string, withinMs: number): Promise<boolean> {
    const since = Math.max(this.deps.clock.now() - withinMs, Date.parse(member.updatedAt) || 0);
    return this.deps.sessions.hasSessionFrom(member.id, address, this.iso(since));
  }

  async list(staffId: string, currentSessionId?: string): Promise<SessionView[]> {
    const sessions = await this.deps.sessions.listLiveSessions(staffId, this.iso());
    return sessions.map((s) => ({
      id: s.id,
      current: s.id === currentSessionId,
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      device: s.device,
    }));
  }

  /** Ends one of the member's sessions; 404 when it is not theirs or not live. */
  async end(staffId: string, sessionId: string): Promise<void> {
    const session = await this.deps.sessions.getSession(sessionId);
    if (!session || session.staffId !== staffId || !(await this.deps.sessions.endSession(sessionId, this.iso()))) {
      throw new DomainError("notFound", `No session with id ${sessionId}`);
    }
  }

  async endCurrent(sessionId: string): Promise<void> {
    await this.deps.sessions.endSession(sessionId, this.iso());
  }

  /** Ends the member's sessions but one (a password or role change keeps the changer signed in). */
  endOthers(staffId: string, exceptSessionId?: string): Promise<number> {
    return this.deps.sessions.endSessionsOf(staffId, this.iso(), exceptSessionId);
  }
}
