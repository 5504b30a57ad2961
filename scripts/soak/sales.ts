/**
 * The counters: one loop per terminal, each running randomised sales through the POS API while the
 * simulator plays the customer (approve, decline, let expire). What the POS was told is kept per
 * sale, so the final check can hold the app to its answers.
 */
import { problemType, type PosClient, type Reply, type SimClient, sleep } from "./clients";
import type { Journal } from "./journal";
import type { Random } from "./random";
import { CashierRefunds } from "./sale-refunds";
import { FINAL_STATES, type SaleRecord, type SaleView, type Scenario } from "./sale-records";

export { FINAL_STATES, type RefundRecord, type SaleRecord, type SaleView, type Scenario } from "./sale-records";

const SCENARIO_WEIGHTS: Record<Exclude<Scenario, "abandon">, number> = {
  approve: 12,
  "approve+refunds": 30,
  decline: 8,
  "decline+new-qr+approve": 10,
  expire: 8,
  "cashier-cancel": 8,
  "cancel-races-approval": 24,
};

export interface CounterDeps {
  pos: PosClient;
  sim: SimClient;
  journal: Journal;
  records: Map<string, SaleRecord>;
  /** The next sale number, or undefined when the quota is used up; numbers from `abandonFrom` are left pending. */
  takeSaleNumber(): number | undefined;
  abandonFrom: number;
  /** Told of every approval made at the simulator, so a kill can be aimed at the capture that follows. */
  approved(sale: SaleView): void;
  /** Sales finished (any outcome), for the kill schedule. */
  finished(): void;
  stopAt: number;
}

const FOLLOW_MS = 45_000;

export async function runCounter(terminalId: string, random: Random, deps: CounterDeps): Promise<void> {
  for (;;) {
    if (Date.now() > deps.stopAt) return;
    const number = deps.takeSaleNumber();
    if (number === undefined) return;
    const scenario: Scenario = number >= deps.abandonFrom ? "abandon" : random.weighted(SCENARIO_WEIGHTS);
    try {
      await new Sale(terminalId, number, scenario, random, deps).run();
    } catch (error) {
      deps.journal.events.add("client: sale loop error");
      deps.journal.note(`${terminalId} sale #${number} (${scenario}) stopped: ${String(error)}`);
    }
    deps.finished();
    if (scenario === "abandon") return;
  }
}

function randomBody(terminalId: string, random: Random) {
  const names = ["Espresso", "Croissant", "Ear buds", "Phone case", "Notebook", "Tea", "Cable", "Socks"];
  const lines = Array.from({ length: random.int(1, 3) }, () => ({
    name: random.pick(names),
    quantity: random.int(1, 3),
    unitPrice: random.int(10, 600) * 100 + random.int(0, 99),
    taxRate: random.pick([2500, 1500, 1200]),
  }));
  return { terminalId, currency: "NOK", lines };
}

class Sale {
  private record: SaleRecord | undefined;
  private readonly key: string;

  constructor(
    private readonly terminalId: string,
    number: number,
    private readonly scenario: Scenario,
    private readonly random: Random,
    private readonly deps: CounterDeps,
  ) {
    this.key = `soak-${deps.journal.store}-${number}-${random.int(0, 2 ** 30).toString(36)}`;
  }

  private step(text: string): void {
    this.record?.steps.push(`${this.deps.journal.clock(Date.now())} ${text}`);
  }

  private count(event: string): void {
    this.deps.journal.events.add(event);
  }

  async run(): Promise<void> {
    const { journal } = this.deps;
    journal.events.add(`scenario: ${this.scenario}`);
    let sale = await this.create();
    if (!sale) return;
    this.record = {
      id: sale.id,
      terminalId: this.terminalId,
      idempotencyKey: this.key,
      scenario: this.scenario,
      startedAt: Date.now(),
      cancelConfirmed: false,
      captureConfirmed: false,
      refunds: [],
      steps: [],
    };
    this.deps.records.set(sale.id, this.record);
    this.step(
      `created ${sale.id} (${sale.reference}, ${sale.amount.value}, autoCapture ${sale.autoCapture}) on ${this.terminalId}`,
    );
    try {
      sale = await this.waitForQr(sale);
      if (sale.state === "failed" && this.scenario !== "abandon" && this.random.chance(0.5))
        sale = await this.newQr(sale);
      if (sale.state === "pending" && sale.qr) await this.play(sale);
    } finally {
      this.record.finishedAt = Date.now();
    }
  }

  /** POST /api/v1/sales until it gives a sale: resent with the same key after a kill, replayed once on purpose. */
  private async create(): Promise<SaleView | undefined> {
    const { pos, journal } = this.deps;
    const body = randomBody(this.terminalId, this.random);
    for (let tries = 0; tries < 10; tries++) {
      const reply = await pos.create(body, this.key);
      if (reply.status === 201 || reply.status === 200) {
        if (reply.status === 200) this.count("create: replayed after a lost answer");
        const sale = reply.body as SaleView;
        if (this.random.chance(0.1)) await this.replayCreate(body, sale);
        return sale;
      }
      const type = problemType(reply);
      if ((reply.status === 502 || reply.status === 503) && typeof reply.body?.saleId === "string") {
        // Vipps did not create the payment: the sale exists and failed; the same key replays it.
        this.count(`create: answered ${reply.status} (Vipps failed)`);
        const again = await pos.get(`/api/v1/sales/${reply.body.saleId}`);
        if (again.status === 200) return again.body as SaleView;
        continue;
      }
      if (reply.status === 409 && type === "terminal-busy") {
        this.count("create: terminal busy (earlier sale still open)");
        await this.clearTerminal(String(reply.body?.activeSaleId ?? ""));
        continue;
      }
      this.count(`create: unexpected ${reply.status} ${type}`);
      journal.note(
        `${this.terminalId} create ${this.key} answered ${reply.status}: ${JSON.stringify(reply.body).slice(0, 300)}`,
      );
      await sleep(500);
    }
    return undefined;
  }

  private async replayCreate(body: unknown, sale: SaleView): Promise<void> {
    this.count("create: Idempotency-Key reused on purpose");
    const reply = await this.deps.pos.create(body, this.key);
    if (reply.status !== 200 || reply.body?.id !== sale.id) {
      this.deps.journal.violation(
        `sale ${sale.id}`,
        `repeating its create with Idempotency-Key ${this.key} answered ${reply.status} with sale ${reply.body?.id}, not 200 with the same sale`,
      );
    }
  }

  /** A sale of an earlier loop (given up on while stuck) still holds the terminal: the cashier cancels it. */
  private async clearTerminal(activeSaleId: string): Promise<void> {
    this.deps.journal.note(`${this.terminalId} busy with ${activeSaleId}: cashier cancels it`);
    const known = this.deps.records.get(activeSaleId);
    known?.steps.push(
      `${this.deps.journal.clock(Date.now())} found still open by the next sale on ${this.terminalId}; cashier cancels`,
    );
    const reply = await this.cancel(activeSaleId);
    if (reply.status === 200 && known) {
      known.cancelConfirmed = true;
      known.cancelAnsweredState = reply.body?.state;
    }
    if (reply.status !== 200) await sleep(2000);
  }

  private async sale(id: string): Promise<SaleView> {
    const reply = await this.deps.pos.get(`/api/v1/sales/${id}`);
    if (reply.status !== 200) throw new Error(`GET sale ${id} answered ${reply.status}`);
    return reply.body as SaleView;
  }

  private async waitFor(
    sale: SaleView,
    done: (sale: SaleView) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<SaleView> {
    const deadline = Date.now() + timeoutMs;
    let current = sale;
    while (!done(current)) {
      if (Date.now() > deadline) {
        this.count(`client: gave up waiting for ${what}`);
        this.step(`gave up waiting ${timeoutMs / 1000}s for ${what}; sale is ${current.state}`);
        return current;
      }
      await sleep(300);
      current = await this.sale(sale.id);
    }
    return current;
  }

  private waitForQr(sale: SaleView): Promise<SaleView> {
    return this.waitFor(sale, (s) => s.qr !== null || s.state !== "pending", 60_000, "the QR");
  }

  private waitForEnd(sale: SaleView): Promise<SaleView> {
    return this.waitFor(sale, (s) => FINAL_STATES.includes(s.state), FOLLOW_MS, "the end of the sale");
  }

  private async newQr(sale: SaleView): Promise<SaleView> {
    this.count("new QR for a sale that failed, declined or expired");
    for (let tries = 0; tries < 5; tries++) {
      const reply = await this.deps.pos.call("POST", `/api/v1/sales/${sale.id}/new-qr`);
      this.step(`new QR answered ${reply.status} ${problemType(reply)}`);
      if (reply.status === 200) return this.waitForQr(reply.body as SaleView);
      if (reply.status === 409 && problemType(reply) === "sale-busy") {
        await sleep(1000);
        continue;
      }
      // 502/503: this attempt failed too; the sale is failed again.
      return this.sale(sale.id);
    }
    return this.sale(sale.id);
  }

  private async simulatorDoes(sale: SaleView, action: "approve" | "reject" | "expire"): Promise<Reply> {
    const reply = await this.deps.sim.act(sale.reference, action);
    this.step(`customer ${action}s ${sale.reference} at Vipps: ${reply.status}`);
    if (reply.status < 300) this.count(`customer: ${action}`);
    // A capture to aim a kill at; not one a cashier's cancel may pre-empt.
    if (action === "approve" && reply.status < 300 && this.scenario !== "cancel-races-approval")
      this.deps.approved(sale);
    return reply;
  }

  private async play(sale: SaleView): Promise<void> {
    switch (this.scenario) {
      case "abandon":
        this.step("left pending with its QR on the display");
        return;
      case "approve":
      case "approve+refunds": {
        await this.simulatorDoes(sale, "approve");
        const paid = await this.collect(sale);
        if (this.scenario === "approve+refunds" && (paid.state === "captured" || paid.state === "refunded"))
          await this.refunds(paid);
        return;
      }
      case "decline":
      case "expire":
        await this.simulatorDoes(sale, this.scenario === "decline" ? "reject" : "expire");
        await this.waitForEnd(sale);
        return;
      case "decline+new-qr+approve": {
        await this.simulatorDoes(sale, "reject");
        const declined = await this.waitForEnd(sale);
        if (declined.state !== "aborted") return;
        const again = await this.newQr(declined);
        if (again.state !== "pending" || !again.qr) return;
        await this.simulatorDoes(again, "approve");
        await this.collect(again);
        return;
      }
      case "cashier-cancel": {
        const reply = await this.cancel(sale.id);
        if (reply.status === 200) this.confirmCancel(reply);
        await this.waitForEnd(sale);
        return;
      }
      case "cancel-races-approval": {
        const cancelFirst = this.random.chance(0.5);
        const head = this.random.int(0, 250);
        const [reply] = await Promise.all([
          (async () => {
            if (!cancelFirst) await sleep(head);
            return this.cancel(sale.id);
          })(),
          (async () => {
            if (cancelFirst) await sleep(head);
            return this.simulatorDoes(sale, "approve");
          })(),
        ]);
        if (reply.status === 200) this.confirmCancel(reply);
        const end = await this.collect(sale);
        this.count(`race: cancel vs approval → ${end.state}`);
        return;
      }
    }
  }

  /** After an approval: the app captures on its own, or (auto-capture off) the POS asks it to. */
  private async collect(sale: SaleView): Promise<SaleView> {
    let current = await this.waitFor(sale, (s) => s.state !== "pending", FOLLOW_MS, "the approval");
    if (current.state === "authorized" && !current.autoCapture) current = await this.capture(current);
    return this.waitForEnd(current);
  }

  private async capture(sale: SaleView): Promise<SaleView> {
    this.count("cashier: capture (auto-capture off)");
    for (let tries = 0; tries < 8; tries++) {
      const reply = await this.deps.pos.operation("capture", "POST", `/api/v1/sales/${sale.id}/capture`);
      this.step(`capture answered ${reply.status} ${problemType(reply)}`);
      if (reply.status === 200) {
        this.record!.captureConfirmed = true;
        return reply.body as SaleView;
      }
      if (reply.status === 409 && problemType(reply) !== "sale-busy") return this.sale(sale.id);
      await sleep(1000 * (tries + 1));
    }
    return this.sale(sale.id);
  }

  private confirmCancel(reply: Reply): void {
    this.record!.cancelConfirmed = true;
    this.record!.cancelAnsweredState = reply.body?.state;
  }

  private async cancel(saleId: string): Promise<Reply> {
    this.count("cashier: cancel");
    let reply: Reply = { status: 0, body: undefined };
    for (let tries = 0; tries < 6; tries++) {
      reply = await this.deps.pos.operation("cancel", "POST", `/api/v1/sales/${saleId}/cancel`);
      this.step(
        `cancel of ${saleId} answered ${reply.status} ${problemType(reply)}${reply.status === 200 ? ` (${reply.body?.state})` : ""}`,
      );
      if (reply.status === 200) return reply;
      // 409 invalid-state: the sale ended meanwhile (approved and captured, declined ...): the race is lost.
      if (reply.status === 409 && problemType(reply) === "invalid-state") return reply;
      await sleep(800 * (tries + 1));
    }
    return reply;
  }

  /** 1 to 3 partial refunds at once, some larger than the sale (see CashierRefunds). */
  private async refunds(sale: SaleView): Promise<void> {
    await new CashierRefunds({
      key: this.key,
      record: this.record!,
      random: this.random,
      pos: this.deps.pos,
      journal: this.deps.journal,
      step: (text) => this.step(text),
      count: (event) => this.count(event),
    }).run(sale);
  }
}
