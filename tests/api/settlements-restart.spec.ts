/**
 * The settlement import killed in the middle (SIGKILL) with the simulator's Report API paging 3
 * entries at a time over 50: after the restart every entry is counted once. An app of its own,
 * whose clock was never moved: a restart sets the clock back, and the simulator then holds back
 * entries written in the moved clock's future.
 */
import type { AppHandle } from "../support/app-server";
import { expect, test } from "../support/fixtures";
import { appSimulatorFeed } from "../support/report-client";

test.use({ appOptions: { env: { KASSA_SETTLEMENT_POLL_SECONDS: "1" } } });

interface Day {
  ledgerDate: string;
  captured: number;
  differences: { reference?: string; amount: number }[];
}

async function reportConfig(app: AppHandle, config: Record<string, unknown>) {
  const response = await app.sim("/report/config", { method: "PUT", json: config });
  expect(response.status, await response.clone().text()).toBe(200);
}

test("pages of 3 over 50 entries with the app killed during the import: each entry counted once", async ({ app }) => {
  await reportConfig(app, { pageSize: 3 });
  const before = await appSimulatorFeed(app);
  for (let i = 0; i < 50; i++) {
    const response = await app.sim("/report/entries", {
      method: "POST",
      json: { entryType: "capture", amount: 100 + i, reference: `bulk-${i}` },
    });
    expect(response.status).toBe(201);
  }
  // Killed while the import reads 17 pages of funds and writes them.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await app.kill();
  await app.restart();
  const ledger = await appSimulatorFeed(app);
  expect(ledger.length - before.length).toBe(50);
  const dates = [...new Set(ledger.map((entry) => entry.ledgerDate))].sort();
  await expect
    .poll(
      async () => {
        const response = await app.api(`/api/v1/settlements?from=${dates[0]}&to=${dates.at(-1)}`);
        const { items } = (await response.json()) as { items: Day[] };
        return items
          .flatMap((day) => day.differences)
          .filter((difference) => difference.reference?.startsWith("bulk-"))
          .map((difference) => difference.amount)
          .sort((a, b) => a - b);
      },
      { timeout: 30_000 },
    )
    .toEqual(Array.from({ length: 50 }, (_, i) => 100 + i));
  const today = dates.at(-1)!;
  const day = ((await (await app.api(`/api/v1/settlements?from=${today}&to=${today}`)).json()) as { items: Day[] })
    .items[0]!;
  const sum = ledger
    .filter((entry) => entry.ledgerDate === today && entry.entryType === "capture")
    .reduce((total, entry) => total + entry.amount, 0);
  expect(day.captured).toBe(sum);
});
