import "server-only";
import type { Clock } from "@/lib/clock";
import type { Store } from "@/lib/store/store";
import { AuditService } from "@/lib/audit/audit-service";
import { OWNER_USERNAME } from "@/lib/auth/admin-access";
import { StoreScope } from "@/lib/auth/store-scope";
import type { SessionManager } from "@/lib/auth/sessions";
import { ApiKeyService } from "./api-key-service";
import { RefundApproval } from "./refund-approval";
import { SalesWindow } from "./sales-window";
import { StaffService } from "./staff-service";

export interface StaffServices {
  staff: StaffService;
  apiKeys: ApiKeyService;
  audit: AuditService;
  /** Which store's objects a principal may touch (404 otherwise). */
  scope: StoreScope;
  sessions: SessionManager;
  refundApproval: RefundApproval;
  /** A cashier's sales lists start at today's midnight. */
  salesWindow: SalesWindow;
}

/** Staff, API keys, the audit and store scoping, on the store's repositories. */
export function buildStaffServices(deps: {
  store: Pick<Store, "staff" | "apiKeys" | "audit" | "counters" | "sales" | "closes">;
  sessions: SessionManager;
  clock: Clock;
  timeZone: () => Promise<string>;
  /** Told when the owner account's password changes. */
  ownerPasswordChanged?: () => void;
}): StaffServices {
  const { store, sessions, clock } = deps;
  const staff = new StaffService({
    staff: store.staff,
    sessions,
    clock,
    passwordChanged: (member) => {
      if (member.username === OWNER_USERNAME) deps.ownerPasswordChanged?.();
    },
  });
  const scope = new StoreScope({ counters: store.counters, sales: store.sales });
  return {
    staff,
    apiKeys: new ApiKeyService({ apiKeys: store.apiKeys, clock }),
    audit: new AuditService({
      audit: store.audit,
      clock,
      counters: store.counters,
      sales: store.sales,
      closes: store.closes,
    }),
    scope,
    sessions,
    refundApproval: new RefundApproval({ scope, staff }),
    salesWindow: new SalesWindow({ clock, timeZone: deps.timeZone }),
  };
}
