/**
 * The settlement import after the soak: the app read the simulator's Report API while it was being
 * killed and restarted, so each ledger date's figures must still be the simulator's ledger to the
 * øre (an entry stored twice or lost would show), and every capture and refund must belong to a sale.
 */
import { SIMULATOR_DEMO_CREDENTIALS } from "../../lib/config";
import type { CheckContext } from "./check-context";
import { sleep } from "./clients";

interface Entry {
  ledgerDate: string;
  entryType: string;
  amount: number;
}

interface Day {
  ledgerDate: string;
  captured: number;
  refunded: number;
  fees: number;
  differences: { kind: string; reference?: string; pspReference?: string }[];
}

/** The simulator's funds ledger, read as any Report API client would: its keys, its token, every page. */
async function simulatorFunds(simulatorUrl: string): Promise<Entry[]> {
  const c = SIMULATOR_DEMO_CREDENTIALS;
  const keys = { "Ocp-Apim-Subscription-Key": c.subscriptionKey, "Merchant-Serial-Number": c.msn };
  const token = (await (
    await fetch(`${simulatorUrl}/accesstoken/get`, {
      method: "POST",
      headers: { client_id: c.clientId, client_secret: c.clientSecret, ...keys },
    })
  ).json()) as { access_token: string };
  const headers = { Authorization: `Bearer ${token.access_token}`, ...keys };
  const ledgers = (await (await fetch(`${simulatorUrl}/settlement/v1/ledgers`, { headers })).json()) as {
    items: { ledgerId: string }[];
  };
  const entries: Entry[] = [];
  for (const ledger of ledgers.items) {
    let cursor = "";
    for (;;) {
      const url = `${simulatorUrl}/report/v2/ledgers/${ledger.ledgerId}/funds/feed?cursor=${encodeURIComponent(cursor)}`;
      const page = (await (await fetch(url, { headers })).json()) as { items: Entry[]; cursor: string };
      if (page.items.length === 0) break;
      entries.push(...page.items);
      cursor = page.cursor;
    }
  }
  return entries;
}

function ledgerFigures(entries: Entry[]): Map<string, { captured: number; refunded: number; fees: number }> {
  const days = new Map<string, { captured: number; refunded: number; fees: number }>();
  for (const entry of entries) {
    const day = days.get(entry.ledgerDate) ?? { captured: 0, refunded: 0, fees: 0 };
    if (entry.entryType === "capture") day.captured += entry.amount;
    if (entry.entryType === "refund") day.refunded -= entry.amount;
    if (entry.entryType === "fees-retained") day.fees -= entry.amount;
    days.set(entry.ledgerDate, day);
  }
  return days;
}

/** Compares until they agree or `boundMs` has passed (the import reads every few seconds); then each disagreement is a violation. */
export async function checkSettlement(ctx: CheckContext, boundMs: number): Promise<void> {
  const expected = ledgerFigures(await simulatorFunds(ctx.sim.url));
  const dates = [...expected.keys()].sort();
  if (dates.length === 0) return;
  const deadline = Date.now() + boundMs;
  let problems: [string, string][] = [];
  for (;;) {
    const reply = await ctx.pos.get(`/api/v1/settlements?from=${dates[0]}&to=${dates.at(-1)}`);
    if (reply.status !== 200) throw new Error(`GET /api/v1/settlements answered ${reply.status}`);
    const days = reply.body.items as Day[];
    problems = [];
    for (const date of dates) {
      const want = expected.get(date)!;
      const day = days.find((candidate) => candidate.ledgerDate === date);
      const got = day ? { captured: day.captured, refunded: day.refunded, fees: day.fees } : undefined;
      if (JSON.stringify(got) !== JSON.stringify(want))
        problems.push([`settlement ${date}`, `the app has ${JSON.stringify(got)}, the ledger ${JSON.stringify(want)}`]);
      for (const difference of day?.differences ?? [])
        if (difference.kind === "unmatched-entry")
          problems.push([
            `settlement ${date}`,
            `ledger entry ${difference.pspReference} (${difference.reference ?? "no reference"}) belongs to no sale`,
          ]);
    }
    if (problems.length === 0 || Date.now() > deadline) break;
    await sleep(2000);
  }
  for (const [subject, reason] of problems) ctx.journal.violation(subject, reason);
  ctx.journal.note(`settlement: ${dates.length} ledger date(s) checked against the simulator's ledger`);
}
