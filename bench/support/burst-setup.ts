/**
 * What bench/burst.ts stands on: an app (SQLite or a throwaway PostgreSQL database) and the
 * standalone simulator started side by side, the terminals and display streams of a run, and the
 * warm-up sales before it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type AppHandle, startApp } from "../../tests/support/app-server";
import { type DisplayWatcher, watchDisplay } from "../../tests/support/display-watcher";
import { createThrowawayDatabase, type ThrowawayDatabase } from "../../tests/support/pg-database";
import { type SimulatorHandle, startSimulator } from "../../tests/support/simulator-process";
import { listeningPid } from "./proc";

export type Store = "sqlite" | "postgresql";

export const LINE = { currency: "NOK", lines: [{ name: "Bench item", quantity: 1, unitPrice: 10000, taxRate: 2500 }] };
export const GET_PAYMENT = "GET /epayment/v1/payments/:reference";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const json = async <T>(response: Promise<Response>) => (await (await response).json()) as T;
export const terminalId = (n: number) => `pos-${n}`;

export async function getPaymentCount(simulator: SimulatorHandle): Promise<number> {
  return (await json<{ requests: Record<string, number> }>(simulator.control("/requests"))).requests[GET_PAYMENT] ?? 0;
}

export async function createTerminals(app: AppHandle, count: number): Promise<void> {
  // pos-1 exists from the first start; the rest are made a few at a time.
  for (let n = 2; n <= count; n += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, count - n + 1) }, async (_, i) => {
        const response = await app.api("/api/v1/terminals", {
          method: "POST",
          json: { id: terminalId(n + i), name: `Counter ${n + i}` },
        });
        if (response.status !== 201 && response.status !== 200)
          throw new Error(`Creating ${terminalId(n + i)} answered ${response.status}: ${await response.text()}`);
      }),
    );
  }
}

export async function openStreams(app: AppHandle, count: number): Promise<DisplayWatcher[]> {
  const watchers: DisplayWatcher[] = [];
  for (let n = 1; n <= count; n += 50) {
    watchers.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(50, count - n + 1) }, (_, i) => watchDisplay(app, terminalId(n + i))),
      )),
    );
  }
  return watchers;
}

export interface Setup {
  app: AppHandle;
  simulator: SimulatorHandle;
  serverPid: number;
  simulatorPid: number;
  stop(): Promise<void>;
}

export async function setUp(
  store: Store,
  terminals: number,
  env: Record<string, string> = {},
  simulatorEnv: Record<string, string> = {},
  options: { posEndpoint?: boolean } = {},
): Promise<Setup> {
  let database: ThrowawayDatabase | undefined;
  const receiver = options.posEndpoint ? await startReceiver() : undefined;
  if (store === "postgresql") database = await createThrowawayDatabase("kassa_burst");
  const simulator = await startSimulator(simulatorEnv);
  let app: AppHandle;
  try {
    app = await startApp({
      env: {
        VIPPS_BASE_URL: simulator.url,
        KASSA_LOG_LEVEL: "error",
        ...(database ? { DATABASE_URL: database.url } : {}),
        ...(receiver ? { KASSA_WEBHOOK_ALLOW_PRIVATE: "on" } : {}),
        ...env,
      },
    });
  } catch (error) {
    await simulator.stop();
    await database?.drop();
    receiver?.server.close();
    throw error;
  }
  const serverPid = listeningPid(app.port);
  await createTerminals(app, terminals);
  if (receiver) {
    const response = await app.api("/api/v1/webhook-endpoints", { method: "POST", json: { url: receiver.url } });
    if (response.status !== 201) throw new Error(`Registering the POS endpoint answered ${response.status}`);
  }
  return {
    app,
    simulator,
    serverPid,
    simulatorPid: listeningPid(Number(new URL(simulator.url).port)),
    async stop() {
      await app.stop().catch(() => undefined);
      await simulator.stop();
      await database?.drop();
      receiver?.server.close();
      if (receiver) console.error(`[burst] the POS endpoint received ${receiver.received()} deliveries`);
    },
  };
}

/** A POS that takes every delivery at once (204), counting them. */
async function startReceiver(): Promise<{ server: Server; url: string; received: () => number }> {
  let received = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      received++;
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/kassa-events`, received: () => received };
}

/** Two sales approved one after the other: the first request to each route loads it. */
export async function warmUp({ app, simulator }: Setup): Promise<void> {
  const display = await watchDisplay(app, terminalId(1));
  try {
    for (let i = 0; i < 2; i++) {
      const sale = await json<{ id: string; reference: string }>(
        app.api("/api/v1/sales", { method: "POST", json: { ...LINE, terminalId: terminalId(1) } }),
      );
      const paid = display.waitFor("paid", sale.id, 30_000);
      await simulator.control(`/payments/${sale.reference}/approve`, { method: "POST" });
      await paid;
    }
  } finally {
    display.close();
  }
}
