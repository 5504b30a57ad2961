import "server-only";
import { DomainError } from "@/lib/errors";
import { canAccessStore, type Principal } from "@/lib/entities/principal";
import { FIRST_STORE_ID } from "@/lib/entities/retail-store";
import type { Terminal } from "@/lib/entities/terminal";
import type { CountersRepository, SalesRepository } from "@/lib/store/repositories";

export const storeOfTerminal = (terminal: Terminal & { storeId?: string }): string =>
  terminal.storeId ?? FIRST_STORE_ID;

/**
 * Which store's objects a principal may touch. Another store's object answers 404, as if it did not
 * exist: a manager of store A learns nothing of store B's terminals and sales.
 */
export class StoreScope {
  constructor(
    private readonly deps: {
      counters: Pick<CountersRepository, "getTerminal" | "listTerminals">;
      sales: Pick<SalesRepository, "getSale">;
    },
  ) {}

  /** Another store's id answers 404, as if it did not exist. */
  store(principal: Principal, storeId: string): void {
    if (!canAccessStore(principal, storeId)) throw new DomainError("notFound", `No store with id ${storeId}`);
  }

  /**
   * The store a new object (a terminal) is to be made in. A store the principal names must be one of
   * theirs, else 404 like any other store's object; left out, the object goes to the first store,
   * which a principal of other stores only must name one of theirs instead of.
   */
  storeForNew(principal: Principal, storeId: string | undefined): void {
    if (storeId !== undefined) this.store(principal, storeId);
    else if (!canAccessStore(principal, FIRST_STORE_ID)) {
      throw new DomainError("forbidden", "Name a storeId of your stores: the first store is not one of them.", {
        errors: [{ field: "storeId", reason: "required for your stores" }],
      });
    }
  }

  /** Passes when the terminal is the principal's or does not exist (the route's own 404 follows). */
  async terminal(
    principal: Principal,
    terminalId: string,
    notFound = `No terminal with id ${terminalId}`,
  ): Promise<void> {
    const terminal = await this.deps.counters.getTerminal(terminalId);
    if (terminal && !canAccessStore(principal, storeOfTerminal(terminal))) throw new DomainError("notFound", notFound);
  }

  /** The store a sale was made in, or undefined when there is no such sale. */
  async storeOfSale(saleId: string): Promise<string | undefined> {
    const sale = await this.deps.sales.getSale(saleId);
    return sale ? (sale.storeId ?? FIRST_STORE_ID) : undefined;
  }

  async sale(principal: Principal, saleId: string): Promise<void> {
    const storeId = await this.storeOfSale(saleId);
    if (storeId !== undefined && !canAccessStore(principal, storeId)) {
      throw new DomainError("notFound", `No sale with id ${saleId}`);
    }
  }

  /**
   * Reports over many terminals: a principal who may not see every terminal names one of theirs
   * (terminalId); one who may see them all need not.
   */
  async allOrTerminal(principal: Principal, terminalId: string | undefined): Promise<void> {
    if (terminalId !== undefined) return this.terminal(principal, terminalId);
    const visible = await this.terminalIds(principal);
    if (visible === undefined) return;
    const all = await this.deps.counters.listTerminals();
    if (all.some((terminal) => !visible.has(terminal.id))) {
      throw new DomainError("forbidden", "Name a terminalId of your stores: you may not see every store's sales.", {
        errors: [{ field: "terminalId", reason: "required for your stores" }],
      });
    }
  }

  /** The ids of the terminals the principal may see, or undefined for every one. */
  async terminalIds(principal: Principal): Promise<Set<string> | undefined> {
    if (principal.type === "staff" ? principal.role === "owner" : principal.storeIds === null) return undefined;
    const terminals = await this.deps.counters.listTerminals();
    return new Set(terminals.filter((t) => canAccessStore(principal, storeOfTerminal(t))).map((t) => t.id));
  }

  /** The stores the principal's objects may be in: a store id the principal names must be one of them. */
  assertStores(principal: Principal, storeIds: readonly string[]): void {
    for (const storeId of storeIds) {
      if (!canAccessStore(principal, storeId)) throw new DomainError("forbidden", `Not a store of yours: ${storeId}`);
    }
  }
}
