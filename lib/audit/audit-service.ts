import "server-only";
import type { Clock } from "@/lib/clock";
import type { Principal } from "@/lib/entities/principal";
import { FIRST_STORE_ID } from "@/lib/entities/retail-store";
import type { AuditEntry, AuditFilter } from "@/lib/entities/staff";
import type { AuditRepository, ClosesRepository, CountersRepository, SalesRepository } from "@/lib/store/repositories";
import type { AuditEntryView, AuditQuery } from "@/lib/contracts/staff";

const toView = (e: AuditEntry): AuditEntryView => ({
  at: e.at,
  action: e.action,
  actor:
    e.actor.type === "staff" ? { type: "staff", username: e.actor.username } : { type: "api-key", name: e.actor.name },
  target: e.target,
  storeId: e.storeId ?? null,
  ...(e.saleId ? { saleId: e.saleId } : {}),
  ...(e.device ? { device: e.device } : {}),
  address: e.address,
});

const csvField = (value: string) => {
  // A leading = + - @ would be a formula in a spreadsheet: quote it as text.
  const text = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** Who did what, when, from where: every money action and every change of settings, staff, keys and terminals. */
export class AuditService {
  constructor(
    private readonly deps: {
      audit: AuditRepository;
      clock: Clock;
      /** Where the store of an entry's target is looked up when the route did not name it. */
      counters: Pick<CountersRepository, "getTerminal">;
      sales: Pick<SalesRepository, "getSale">;
      closes: Pick<ClosesRepository, "getClose">;
    },
  ) {}

  /** The store a target (sale:…, terminal:…, close:…, store:…) is in; undefined: deployment-wide. */
  private async storeOfTarget(target: string): Promise<string | undefined> {
    const colon = target.indexOf(":");
    const kind = target.slice(0, colon);
    const id = target.slice(colon + 1);
    const ofTerminal = async (terminalId: string) => {
      const terminal = await this.deps.counters.getTerminal(terminalId);
      return terminal ? (terminal.storeId ?? FIRST_STORE_ID) : undefined;
    };
    switch (colon < 0 ? "" : kind) {
      case "store":
        return id;
      case "terminal":
        return ofTerminal(id);
      case "sale": {
        const sale = await this.deps.sales.getSale(id);
        return sale ? (sale.storeId ?? FIRST_STORE_ID) : undefined;
      }
      case "close": {
        const close = await this.deps.closes.getClose(id);
        return close ? ofTerminal(close.terminalId) : undefined;
      }
      default:
        return undefined;
    }
  }

  async record(
    principal: Principal,
    /** The device is the session's for staff; for an API key, the software as it names itself (User-Agent). */
    where: { address: string; device?: string },
    action: string,
    target: string,
    /** storeId: the target's store when the caller has it at hand; else it is looked up from the target. */
    extra: { saleId?: string; storeId?: string; detail?: Record<string, unknown> } = {},
  ): Promise<void> {
    const storeId = extra.storeId ?? (await this.storeOfTarget(target));
    await this.deps.audit.appendAudit({
      at: new Date(this.deps.clock.now()).toISOString(),
      action,
      actor:
        principal.type === "staff"
          ? { type: "staff", id: principal.id, username: principal.username }
          : { type: "api-key", id: principal.id, name: principal.name },
      target,
      ...(extra.saleId ? { saleId: extra.saleId } : {}),
      ...(storeId ? { storeId } : {}),
      ...(principal.type === "staff"
        ? { device: principal.device }
        : where.device
          ? { device: where.device.slice(0, 200) }
          : {}),
      address: where.address,
      ...(extra.detail ? { detail: extra.detail } : {}),
    });
  }

  /**
   * The entries the viewer may see: the owner (or a key of every store) every one; a manager their
   * stores' and the deployment-wide ones they made themselves. A storeId asked for (the route has
   * checked it is the viewer's) narrows to that store's entries.
   */
  private visibleTo(
    viewer: Principal,
    storeId: string | undefined,
  ): Pick<AuditFilter, "storeIds" | "orDeploymentWideBy"> {
    if (storeId !== undefined) return { storeIds: [storeId] };
    if (viewer.type === "staff" ? viewer.role === "owner" : viewer.storeIds === null) return {};
    return { storeIds: viewer.storeIds ?? [], orDeploymentWideBy: { type: viewer.type, id: viewer.id } };
  }

  async list(query: AuditQuery, viewer: Principal): Promise<{ items: AuditEntryView[] }> {
    const entries = await this.deps.audit.listAudit({
      ...this.visibleTo(viewer, query.storeId),
      ...(query.saleId ? { saleId: query.saleId } : {}),
      ...(query.actor ? { actor: query.actor } : {}),
      ...(query.from ? { from: new Date(query.from).toISOString() } : {}),
      ...(query.to ? { to: new Date(query.to).toISOString() } : {}),
      limit: query.limit ?? 200,
    });
    return { items: entries.map(toView) };
  }

  async csv(query: AuditQuery, viewer: Principal): Promise<{ filename: string; body: string }> {
    const { items } = await this.list({ ...query, limit: query.limit ?? 1000 }, viewer);
    const header = "at,action,actor type,actor,target,sale id,device,address,store id";
    const rows = items.map((e) =>
      [
        e.at,
        e.action,
        e.actor.type,
        e.actor.type === "staff" ? e.actor.username : e.actor.name,
        e.target,
        e.saleId ?? "",
        e.device ?? "",
        e.address,
        e.storeId ?? "",
      ]
        .map(csvField)
        .join(","),
    );
    const day = new Date(this.deps.clock.now()).toISOString().slice(0, 10);
    return { filename: `audit-${day}.csv`, body: `${[header, ...rows].join("\r\n")}\r\n` };
  }
}
