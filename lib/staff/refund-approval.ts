import "server-only";
import type { Principal } from "@/lib/entities/principal";
import { authorize, isAllowed } from "@/lib/auth/policy";
import type { StoreScope } from "@/lib/auth/store-scope";
import type { StaffService } from "./staff-service";

/**
 * Who may refund a sale: an owner, a manager of its store, or an API key with the refunds scope;
 * a cashier only with the username and PIN of a manager of that store given on the spot.
 */
export class RefundApproval {
  constructor(private readonly deps: { scope: StoreScope; staff: Pick<StaffService, "approve"> }) {}

  /** Throws 403 (or 404 for another store's sale); returns the approving manager's username, if one was needed. */
  async check(
    principal: Principal,
    saleId: string,
    approval: { username: string; pin: string } | undefined,
  ): Promise<string | undefined> {
    await this.deps.scope.sale(principal, saleId);
    if (isAllowed(principal, "refunds")) return undefined;
    if (principal.type !== "staff" || principal.role !== "cashier" || !approval) {
      authorize(principal, "refunds");
      return undefined;
    }
    const storeId = await this.deps.scope.storeOfSale(saleId);
    // No such sale: the refund itself answers 404.
    if (storeId === undefined) return undefined;
    return (await this.deps.staff.approve(approval, storeId)).username;
  }
}
