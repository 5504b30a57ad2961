/**
 * Two app instances on one PostgreSQL database, with the standalone simulator's Report API: the
 * settlement import runs where its lease is held, pages of 3, and when the holder is killed in the
 * middle of the import the other takes over from the stored cursor. Every entry is stored once:
 * both instances report each of them once, and the day's captures are the simulator's to the øre.
 */
import { expect, test } from "@playwright/test";
import type { AppHandle } from "../support/app-server";
import { twoInstances } from "../support/two-instances";

test.describe.configure({ mode: "serial", timeout: 180_000 });

const pair = twoInstances(test, { database: "kassa_settle", env: { KASSA_SETTLEMENT_POLL_SECONDS: "1" } });

interface Day {
  ledgerDate: string;
  captured: number;
  differences: { reference?: string; amount: number }[];
}

async function bulkReferences(app: AppHandle, date: string): Promise<string[]> {
  const response = await app.api(`/api/v1/settlements?from=${date}&to=${date}`);
  const { items } = (await response.json()) as { items: Day[] };
  return items
    .flatMap((day) => day.differences)
    .flatMap((difference) => (difference.reference?.startsWith("multi-") ? [difference.reference] : []))
    .sort();
}

test("two instances import each entry once, the second finishing what the killed first began", async () => {
  expect((await pair.simulator.control("/report/config", { method: "PUT", json: { pageSize: 3 } })).status).toBe(200);
  let ledgerDate = "";
  const expected: string[] = [];
  let captured = 0;
  for (let i = 0; i < 60; i++) {
    const response = await pair.simulator.control("/report/entries", {
      method: "POST",
      json: { entryType: "capture", amount: 1_000 + i, reference: `multi-${String(i).padStart(2, "0")}` },
    });
    expect(response.status).toBe(201);
    ledgerDate = ((await response.json()) as { entry: { ledgerDate: string } }).entry.ledgerDate;
    expected.push(`multi-${String(i).padStart(2, "0")}`);
    captured += 1_000 + i;
  }
  // The first instance started first and holds the lease; it dies somewhere in the 20 pages.
  await new Promise((resolve) => setTimeout(resolve, 200));
  await pair.first.kill();
  await expect.poll(() => bulkReferences(pair.second, ledgerDate), { timeout: 60_000 }).toEqual(expected);
  const { items } = (await (
    await pair.second.api(`/api/v1/settlements?from=${ledgerDate}&to=${ledgerDate}`)
  ).json()) as {
    items: Day[];
  };
  expect(items[0]?.captured).toBe(captured);

  // Back up, the first instance sees the same ledger: nothing stored twice while it was away or since.
  await pair.first.restart();
  expect(await bulkReferences(pair.first, ledgerDate)).toEqual(expected);
});
