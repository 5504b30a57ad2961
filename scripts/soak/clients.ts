/**
 * How the soak talks to the app and the simulator. The POS client behaves like POS software at a
 * counter: when the app dies under a request (SIGKILL) or is restarting, it waits for the app and
 * sends the same request again, with the same Idempotency-Key.
 */
import type { AppHandle } from "../../tests/support/app-server";
import type { SimulatorHandle } from "../../tests/support/simulator-process";
import type { Journal } from "./journal";

export interface Reply {
  status: number;
  /** How often the request was sent again after the connection to the app was lost (a kill). */
  resent?: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked field by field where used
  body: any;
}

export type Operation = "create" | "cancel" | "capture" | "refund";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether the app is up; requests wait here while it is being killed and restarted. */
export class AppGate {
  private up: Promise<void> = Promise.resolve();
  private release: (() => void) | undefined;
  down = false;

  takeDown(): void {
    if (this.down) return;
    this.down = true;
    this.up = new Promise((resolve) => (this.release = resolve));
  }

  bringUp(): void {
    this.down = false;
    this.release?.();
    this.release = undefined;
  }

  whenUp(): Promise<void> {
    return this.up;
  }
}

async function readReply(response: Response): Promise<Reply> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: kept as text for the report.
  }
  return { status: response.status, body };
}

/** The problem type's last path segment, e.g. "sale-busy", or "" for a non-problem answer. */
export const problemType = (reply: Reply): string =>
  typeof reply.body?.type === "string" ? (reply.body.type as string).split("/").at(-1)! : "";

export class PosClient {
  /** Requests sent and not answered yet, per operation, so that a kill can be aimed at one. */
  private readonly inFlight = new Map<Operation, number>();

  constructor(
    private readonly app: AppHandle,
    private readonly gate: AppGate,
    private readonly journal: Journal,
  ) {}

  inFlightCount(operation: Operation): number {
    return this.inFlight.get(operation) ?? 0;
  }

  /** A call to one of the money-moving operations, counted while it is in flight. */
  async operation(
    operation: Operation,
    method: string,
    path: string,
    options: { json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    this.inFlight.set(operation, this.inFlightCount(operation) + 1);
    try {
      return await this.call(method, path, options);
    } finally {
      this.inFlight.set(operation, this.inFlightCount(operation) - 1);
    }
  }

  get url(): string {
    return this.app.url;
  }

  /** One API call, resent unchanged until the app answers (it may be dead or restarting meanwhile). */
  async call(
    method: string,
    path: string,
    options: { json?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<Reply> {
    const giveUpAt = Date.now() + 150_000;
    for (let resent = 0; ; resent++) {
      await this.gate.whenUp();
      try {
        const response = await this.app.api(path, {
          method,
          ...(options.json !== undefined ? { json: options.json } : {}),
          headers: options.headers,
          signal: AbortSignal.timeout(options.timeoutMs ?? 75_000),
        });
        return { ...(await readReply(response)), resent };
      } catch (error) {
        if (Date.now() > giveUpAt) throw new Error(`${method} ${path}: no answer for 150 s (${String(error)})`);
        this.journal.events.add("client: request resent after the connection was lost");
        // Dead but not yet marked down (the kill is being prepared): the gate closes in a moment.
        await sleep(this.gate.down ? 0 : 200);
      }
    }
  }

  create(body: unknown, idempotencyKey: string): Promise<Reply> {
    return this.operation("create", "POST", "/api/v1/sales", {
      json: body,
      headers: { "idempotency-key": idempotencyKey },
    });
  }

  get(path: string): Promise<Reply> {
    return this.call("GET", path);
  }
}

/** The simulator's test controls (/_sim/...), answers parsed. */
export class SimClient {
  constructor(private readonly simulator: SimulatorHandle) {}

  get url(): string {
    return this.simulator.url;
  }

  async control(method: string, path: string, json?: unknown): Promise<Reply> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await readReply(
          await this.simulator.control(path, {
            method,
            ...(json !== undefined ? { json } : {}),
            signal: AbortSignal.timeout(30_000),
          }),
        );
      } catch (error) {
        // The simulator is never killed; a failure here is a hiccup of a loaded machine.
        if (attempt >= 3) throw error;
        await sleep(300);
      }
    }
  }

  payment(reference: string): Promise<Reply> {
    return this.control("GET", `/payments/${reference}`);
  }

  act(reference: string, action: "approve" | "reject" | "expire"): Promise<Reply> {
    return this.control("POST", `/payments/${reference}/${action}`);
  }
}
