import "server-only";
import { randomBytes } from "node:crypto";
import type { Clock } from "@/lib/clock";
import { DomainError } from "@/lib/errors";
import { canAccessStore, type Principal, type StaffPrincipal } from "@/lib/entities/principal";
import type { StaffMember } from "@/lib/entities/staff";
import type { StaffRepository } from "@/lib/store/repositories";
import type { MeView, StaffCreateRequest, StaffPatchRequest, StaffView } from "@/lib/contracts/staff";
import { PIN_LOCK_AFTER } from "@/lib/auth/admin-access";
import { hashSecret, spendVerifyTime, verifySecret } from "@/lib/auth/passwords";
import type { SessionManager } from "@/lib/auth/sessions";

export const toStaffView = (m: StaffMember): StaffView => ({
  id: m.id,
  username: m.username,
  name: m.name,
  role: m.role,
  storeIds: m.storeIds,
  hasPassword: m.passwordHash !== null,
  hasPin: m.pinHash !== null,
  pinLocked: m.pinLockedAt !== null,
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
});

/**
 * Staff members and who may manage whom: an owner anyone; a manager the cashiers of their own
 * stores (and only into those stores). Anyone else's record answers 404 to a manager.
 */
export class StaffService {
  constructor(
    private readonly deps: {
      staff: StaffRepository;
      sessions: SessionManager;
      clock: Clock;
      /** Told after a member's password was changed (the first start's generated owner password goes out of date). */
      passwordChanged?: (member: StaffMember) => void;
    },
  ) {}

  private now() {
    return new Date(this.deps.clock.now()).toISOString();
  }

  /** Whether the actor may see and change this member. */
  private manages(actor: StaffPrincipal, member: Pick<StaffMember, "role" | "storeIds" | "id">): boolean {
    if (actor.role === "owner") return true;
    if (actor.role !== "manager") return false;
    return member.role === "cashier" && member.storeIds.every((id) => canAccessStore(actor, id));
  }

  private staffActor(principal: Principal): StaffPrincipal {
    if (principal.type !== "staff") throw new DomainError("forbidden", "Staff are managed by staff, not API keys.");
    return principal;
  }

  private async managed(principal: Principal, id: string): Promise<StaffMember> {
    const actor = this.staffActor(principal);
    const member = await this.deps.staff.getStaff(id);
    if (!member || !this.manages(actor, member)) throw new DomainError("notFound", `No staff member with id ${id}`);
    return member;
  }

  private assertMayGive(actor: StaffPrincipal, role: StaffMember["role"], storeIds: string[]): void {
    if (actor.role === "owner") return;
    if (role !== "cashier") throw new DomainError("forbidden", "A manager may add and change cashiers only.");
    if (storeIds.length === 0 || !storeIds.every((id) => canAccessStore(actor, id))) {
      throw new DomainError("forbidden", "A manager may give only their own stores.", {
        errors: [{ field: "storeIds", reason: "not your stores" }],
      });
    }
  }

  /** Who the caller is, without the session's secrets. */
  me(principal: Principal): MeView {
    if (principal.type === "api-key") {
      const { id, name, scopes, storeIds } = principal;
      return { type: "api-key", id, name, scopes, storeIds };
    }
    const { id, username, role, storeIds } = principal;
    return { type: "staff", id, username, role, storeIds };
  }

  async list(principal: Principal): Promise<{ items: StaffView[] }> {
    const actor = this.staffActor(principal);
    const members = await this.deps.staff.listStaff();
    return { items: members.filter((m) => m.id === actor.id || this.manages(actor, m)).map(toStaffView) };
  }

  async get(principal: Principal, id: string): Promise<StaffView> {
    return toStaffView(await this.managed(principal, id));
  }

  async create(principal: Principal, input: StaffCreateRequest): Promise<StaffView> {
    const actor = this.staffActor(principal);
    this.assertMayGive(actor, input.role, input.storeIds);
    const now = this.now();
    const member: StaffMember = {
      id: `staff_${randomBytes(9).toString("base64url")}`,
      username: input.username,
      name: input.name,
      role: input.role,
      storeIds: input.role === "owner" ? [] : input.storeIds,
      passwordHash: input.password ? await hashSecret(input.password) : null,
      pinHash: input.pin ? await hashSecret(input.pin) : null,
      pinFailures: 0,
      pinLockedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.deps.staff.insertStaff(member))) {
      throw new DomainError("conflict", `The username ${input.username} is taken.`, {
        errors: [{ field: "username", reason: "taken" }],
      });
    }
    return toStaffView(member);
  }

  /** A password or role change ends the member's other sessions (the changer's own stays). */
  async update(principal: Principal, id: string, patch: StaffPatchRequest): Promise<StaffView> {
    const actor = this.staffActor(principal);
    const member = await this.managed(principal, id);
    const role = patch.role ?? member.role;
    const storeIds = patch.storeIds ?? member.storeIds;
    if (patch.role !== undefined || patch.storeIds !== undefined) this.assertMayGive(actor, role, storeIds);
    if (member.role === "owner" && role !== "owner" && (await this.ownerCount()) <= 1) {
      throw new DomainError("conflict", "The last owner cannot stop being one.");
    }
    const pinHash = patch.pin === undefined ? member.pinHash : patch.pin === null ? null : await hashSecret(patch.pin);
    const updated: StaffMember = {
      ...member,
      name: patch.name ?? member.name,
      role,
      storeIds: role === "owner" ? [] : storeIds,
      passwordHash: patch.password ? await hashSecret(patch.password) : member.passwordHash,
      pinHash,
      // A new PIN is the manager's reset: the lock and the count start over.
      ...(patch.pin !== undefined ? { pinFailures: 0, pinLockedAt: null } : {}),
      updatedAt: this.now(),
    };
    await this.deps.staff.updateStaff(updated);
    if (patch.password) this.deps.passwordChanged?.(updated);
    if (patch.password || role !== member.role) {
      await this.deps.sessions.endOthers(member.id, member.id === actor.id ? actor.sessionId : undefined);
    }
    return toStaffView(updated);
  }

  async remove(principal: Principal, id: string): Promise<StaffView> {
    const actor = this.staffActor(principal);
    const member = await this.managed(principal, id);
    if (member.id === actor.id) throw new DomainError("conflict", "You cannot remove yourself.");
    if (member.role === "owner" && (await this.ownerCount()) <= 1) {
      throw new DomainError("conflict", "The last owner cannot be removed.");
    }
    await this.deps.staff.deleteStaff(id);
    return toStaffView(member);
  }

  private async ownerCount(): Promise<number> {
    return (await this.deps.staff.listStaff()).filter((m) => m.role === "owner").length;
  }

  /**
   * A manager's approval given on the spot (a cashier's refund): the username and PIN of an owner,
   * or of a manager of the store. A wrong PIN counts towards that manager's PIN lock.
   */
  async approve(approval: { username: string; pin: string }, storeId: string): Promise<StaffMember> {
    const member = await this.deps.staff.getStaffByUsername(approval.username);
    const eligible =
      member !== undefined &&
      (member.role === "owner" || (member.role === "manager" && member.storeIds.includes(storeId)));
    if (!member || !eligible) {
      await spendVerifyTime(approval.pin);
      throw new DomainError("forbidden", "The approval must come from a manager of this store.", {
        errors: [{ field: "approval.username", reason: "not a manager of this store" }],
      });
    }
    if (member.pinLockedAt) {
      throw new DomainError("forbidden", "The approver's PIN is locked.", {
        errors: [{ field: "approval.pin", reason: "locked" }],
      });
    }
    if (!(await verifySecret(approval.pin, member.pinHash)).ok) {
      await this.deps.staff.recordPinFailure(member.id, PIN_LOCK_AFTER, this.now());
      throw new DomainError("forbidden", "The approval's PIN is wrong.", {
        errors: [{ field: "approval.pin", reason: "wrong" }],
      });
    }
    await this.deps.staff.clearPinFailures(member.id);
    return member;
  }
}
