import "server-only";
import type { Clock } from "@/lib/clock";
import type { Principal } from "@/lib/entities/principal";
import type { AuditEntry } from "@/lib/entities/staff";
import type { AuditRepository } from "@/lib/store/repositories";
import type { AuditEntryView, AuditQuery } from "@/lib/contracts/staff";

const toView = (e: AuditEntry): AuditEntryView => ({
  at: e.at,
  action: e.action,
  actor:
    e.actor.type === "staff" ? { type: "staff", username: e.actor.username } : { type: "api-key", name: e.actor.name },
  target: e.target,
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
  constructor(private readonly deps: { audit: AuditRepository; clock: Clock }) {}

  async record(
    principal: Principal,
    /** The device is the session's for staff; for an API key, the software as it names itself (User-Agent). */
    where: { address: string; device?: string },
    action: string,
    target: string,
    extra: { saleId?: string; detail?: Record<string, unknown> } = {},
  ): Promise<void> {
    await this.deps.audit.appendAudit({
      at: new Date(this.deps.clock.now()).toISOString(),
      action,
      actor:
        principal.type === "staff"
          ? { type: "staff", id: principal.id, username: principal.username }
          : { type: "api-key", id: principal.id, name: principal.name },
      target,
      ...(extra.saleId ? { saleId: extra.saleId } : {}),
      ...(principal.type === "staff"
        ? { device: principal.device }
        : where.device
          ? { device: where.device.slice(0, 200) }
          : {}),
      address: where.address,
      ...(extra.detail ? { detail: extra.detail } : {}),
    });
  }

  async list(query: AuditQuery): Promise<{ items: AuditEntryView[] }> {
    const entries = await this.deps.audit.listAudit({
      ...(query.saleId ? { saleId: query.saleId } : {}),
      ...(query.actor ? { actor: query.actor } : {}),
      ...(query.from ? { from: new Date(query.from).toISOString() } : {}),
      ...(query.to ? { to: new Date(query.to).toISOString() } : {}),
      limit: query.limit ?? 200,
    });
    return { items: entries.map(toView) };
  }

  async csv(query: AuditQuery): Promise<{ filename: string; body: string }> {
    const { items } = await this.list({ ...query, limit: query.limit ?? 1000 });
    const header = "at,action,actor type,actor,target,sale id,device,address";
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
      ]
        .map(csvField)
        .join(","),
    );
    const day = new Date(this.deps.clock.now()).toISOString().slice(0, 10);
    return { filename: `audit-${day}.csv`, body: `${[header, ...rows].join("\r\n")}\r\n` };
  }
}
