/**
 * The chaos: random fault sets at the simulator (Vipps API calls delayed, failing with 5xx or 429,
 * timing out, answers lost; webhooks dropped, duplicated, delayed, reordered), the shop's
 * auto-capture switched now and then, and the app killed with SIGKILL and restarted, some kills
 * aimed at a create or a capture in flight.
 */
import type { AppHandle } from "../../tests/support/app-server";
import { type AppGate, type Operation, type PosClient, type SimClient, sleep } from "./clients";
import type { Journal } from "./journal";
import type { Random } from "./random";
import type { SaleView } from "./sales";

/**
 * Where a kill lands: at a call to Vipps that the simulator holds (the call is then not made, as its
 * client is gone) or has made and whose answer it keeps (the "lost answer"), or anywhere. Creates,
 * cancels and refunds are caught in flight from the POS; a capture right after an approval.
 */
export type KillKind =
  | "mid-create/held"
  | "mid-create/answer-lost"
  | "mid-capture/held"
  | "mid-capture/answer-lost"
  | "mid-cancel/answer-lost"
  | "mid-refund/answer-lost"
  | "at-random";

type FaultSet = Record<string, Record<string, unknown>>;

const API_OPERATIONS = ["create", "get", "capture", "cancel", "refund"] as const;

export class Chaos {
  private stopped = false;
  /** The random fault set, and the fault of an aimed kill on top of it. */
  private randomSet: FaultSet = {};
  private aimedSet: FaultSet = {};
  private applying: Promise<void> = Promise.resolve();
  private autoCaptureOffUntil = 0;
  private approvals: ((sale: SaleView) => void)[] = [];

  constructor(
    private readonly deps: {
      app: AppHandle;
      gate: AppGate;
      pos: PosClient;
      sim: SimClient;
      journal: Journal;
      random: Random;
      /** After every restart (display streams must be opened again). */
      restarted: () => Promise<void>;
      /** The counters are done: an aimed kill waits no longer for a create or an approval. */
      loadOver: () => boolean;
    },
  ) {}

  /** A worker approved a sale at the simulator. */
  approved(sale: SaleView): void {
    for (const waiter of this.approvals.splice(0)) waiter(sale);
  }

  /** Resolves after `ms`, or as soon as the counters are done. */
  private async loadOverOr(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline && !this.deps.loadOver()) await sleep(100);
  }

  stop(): void {
    this.stopped = true;
  }

  /** Every 1 to 3.5 s a new fault set (sometimes none), until stopped. */
  async faultLoop(): Promise<void> {
    const { random } = this.deps;
    while (!this.stopped) {
      await sleep(random.int(1000, 3500));
      if (this.stopped) return;
      this.randomSet = random.chance(0.2) ? {} : this.randomFaults();
      this.count(this.randomSet);
      await this.apply("random");
      await this.maybeFlipAutoCapture();
    }
  }

  private randomFaults(): FaultSet {
    const { random } = this.deps;
    const set: FaultSet = {};
    const targets = random.shuffle([...API_OPERATIONS, "webhooks", "webhooks"]).slice(0, random.int(1, 3));
    for (const target of targets) {
      if (target === "webhooks") {
        const mode = random.pick(["drop", "delay", "duplicate", "reorder"] as const);
        set.webhooks =
          mode === "drop"
            ? { mode, rate: random.pick([0.3, 0.6, 1]) }
            : mode === "delay"
              ? { mode, delayMs: random.int(300, 2500), rate: 0.5 }
              : mode === "duplicate"
                ? { mode, rate: random.pick([0.4, 1]) }
                : { mode, delayMs: random.int(800, 3000), rate: random.pick([0.3, 0.6]) };
        continue;
      }
      const mode = random.weighted({ delay: 3, error: 4, timeout: 1, drop: 2 });
      set[target] =
        mode === "delay"
          ? { mode, delayMs: random.int(200, 2500), rate: random.pick([0.3, 0.7, 1]) }
          : mode === "error"
            ? { mode, status: random.pick([500, 502, 503, 503, 429]), rate: random.pick([0.2, 0.4, 0.6]) }
            : mode === "timeout"
              ? { mode, rate: random.pick([0.05, 0.1, 0.15]) }
              : { mode, rate: random.pick([0.1, 0.2, 0.3]) };
    }
    return set;
  }

  private count(set: FaultSet): void {
    for (const [target, fault] of Object.entries(set)) {
      const status = fault.mode === "error" ? (fault.status === 429 ? "/429" : "/5xx") : "";
      this.deps.journal.faults.add(`${target}:${String(fault.mode)}${status}`);
    }
  }

  /** Puts the random set with the aimed fault over it; one PUT at a time, each with the sets as they are when it goes. */
  private apply(why: string): Promise<void> {
    this.applying = this.applying.then(async () => {
      const set = { ...this.randomSet, ...this.aimedSet };
      const reply = await this.deps.sim.control("PUT", "/faults", set);
      if (reply.status !== 200)
        throw new Error(`PUT /_sim/faults answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      this.deps.journal.note(`faults (${why}): ${Object.keys(set).length === 0 ? "none" : JSON.stringify(set)}`);
    });
    return this.applying;
  }

  private aim(set: FaultSet, why: string): Promise<void> {
    this.aimedSet = set;
    this.count(set);
    return this.apply(why);
  }

  async clearFaults(): Promise<void> {
    this.randomSet = {};
    this.aimedSet = {};
    await this.apply("cleared");
  }

  /** Auto-capture off now and then, for a few seconds: most sales are captured by the app itself. */
  private async maybeFlipAutoCapture(): Promise<void> {
    const { pos, journal, random } = this.deps;
    let next: boolean;
    if (this.autoCaptureOffUntil > 0) {
      if (Date.now() < this.autoCaptureOffUntil) return;
      next = true;
      this.autoCaptureOffUntil = 0;
    } else {
      if (!random.chance(0.1)) return;
      next = false;
      this.autoCaptureOffUntil = Date.now() + random.int(3000, 8000);
    }
    const reply = await pos.call("PATCH", "/api/v1/settings", { json: { autoCapture: next } });
    if (reply.status === 200) {
      journal.events.add(`settings: auto-capture ${next ? "on" : "off"}`);
      journal.note(`settings: auto-capture ${next ? "on" : "off"}`);
    }
  }

  async ensureAutoCapture(on: boolean): Promise<void> {
    await this.deps.pos.call("PATCH", "/api/v1/settings", { json: { autoCapture: on } });
  }

  /** SIGKILL now and start again (same port, same data), as after a power cut. */
  private async killAndRestart(kind: KillKind, detail: string): Promise<void> {
    const { app, gate, journal } = this.deps;
    gate.takeDown();
    await app.kill();
    journal.note(`app killed with SIGKILL (${kind}${detail ? `: ${detail}` : ""})`);
    journal.events.add(`kill: ${kind}`);
    // The fault that made the kill land mid-call must not hit the call resumed after the restart.
    if (kind !== "at-random") {
      this.aimedSet = {};
      await this.apply("aim lifted");
    }
    const started = Date.now();
    await app.restart();
    journal.restarts++;
    journal.note(`app restarted after ${((Date.now() - started) / 1000).toFixed(1)}s`);
    gate.bringUp();
    await this.deps.restarted();
  }

  async kill(kind: KillKind): Promise<void> {
    const { random, pos, sim, journal } = this.deps;
    if (kind === "at-random") {
      await sleep(random.int(0, 3000));
      return this.killAndRestart(kind, "");
    }
    const [target, way] = kind.split("/") as [string, "held" | "answer-lost"];
    const operation = target.slice("mid-".length) as Operation;
    try {
      if (operation !== "capture") {
        // Held 4 s, or made at once and its answer kept until the app gives up on it.
        const fault = way === "held" ? { mode: "delay", delayMs: 4000 } : { mode: "drop" };
        await this.aim({ [operation]: fault }, `aimed at a ${operation}`);
        const deadline = Date.now() + 30_000;
        while (pos.inFlightCount(operation) === 0 && Date.now() < deadline && !this.deps.loadOver()) await sleep(50);
        // Long enough for the call to have reached the simulator, short of the 4 s hold.
        await sleep(random.int(600, 2000));
        const inFlight = pos.inFlightCount(operation);
        if (inFlight === 0) journal.events.add(`kill: ${target} found no ${operation} in flight`);
        return await this.killAndRestart(
          kind,
          `${fault.mode} fault on ${operation}, ${inFlight} ${operation}(s) in flight`,
        );
      }
      // The capture that follows the next approval.
      const fault = way === "held" ? { mode: "delay", delayMs: 8000 } : { mode: "drop" };
      await this.aim({ capture: fault }, "aimed at a capture");
      const sale = await Promise.race([
        new Promise<SaleView>((resolve) => this.approvals.push(resolve)),
        this.loadOverOr(30_000).then(() => undefined),
      ]);
      let state = "no approval to aim at";
      let hit = false;
      if (sale) {
        // The app learns of the approval from a webhook or its next poll, whichever random faults leave.
        const deadline = Date.now() + 7000;
        let appState = "";
        for (;;) {
          const reply = await pos.get(`/api/v1/sales/${sale.id}`);
          appState = reply.body?.state ?? String(reply.status);
          if (appState !== "pending" || Date.now() > deadline) break;
          await sleep(100);
        }
        await sleep(300);
        const captured = (await sim.payment(sale.reference)).body?.aggregate?.capturedAmount?.value;
        hit = appState === "authorized";
        state = `${sale.id} ${appState} in the app, captured ${captured} at Vipps`;
      }
      if (!hit) journal.events.add("kill: mid-capture found no capture in flight");
      return await this.killAndRestart(kind, `${fault.mode} fault on capture; ${state}`);
    } finally {
      this.aimedSet = {};
    }
  }
}
