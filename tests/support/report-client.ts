/**
 * A Report API client for the simulator tests: ledgers, feed and date reports over the harness,
 * the /_sim/report controls, and moving the simulator clock past a ledger date's cut-off; and
 * appSimulatorFeed(), the same feed of the simulator an app embeds, read over HTTP.
 */
import { SIMULATOR_DEMO_CREDENTIALS } from "@/lib/config";
import { closesAt, ledgerDateAt } from "@/lib/simulator/report-calendar";
import type { Harness, SimResponse } from "./simulator-harness";

export interface Entry {
  pspReference: string;
  time: string;
  ledgerDate: string;
  entryType: string;
  reference?: string;
  currency: string;
  amount: number;
  balanceBefore: number;
  balanceAfter: number;
  recipientHandle?: string;
}

export type Topic = "funds" | "fees";

const query = (cursor: string | undefined) => (cursor === undefined ? "" : `?cursor=${encodeURIComponent(cursor)}`);

export function reportClient(h: Harness) {
  const get = (path: string) => h.api("GET", path);

  async function ledgerId(currency = "NOK"): Promise<string> {
    const response = await get("/settlement/v1/ledgers");
    if (response.status !== 200) throw new Error(`ledgers: ${response.status} ${response.text}`);
    const ledger = (response.body.items as { ledgerId: string; currency: string }[]).find(
      (item) => item.currency === currency,
    );
    if (!ledger) throw new Error(`no ${currency} ledger in ${response.text}`);
    return ledger.ledgerId;
  }

  const feed = (ledger: string, topic: Topic, cursor?: string): Promise<SimResponse> =>
    get(`/report/v2/ledgers/${ledger}/${topic}/feed${query(cursor)}`);

  const date = (ledger: string, topic: Topic, ledgerDate: string, cursor?: string): Promise<SimResponse> =>
    get(`/report/v2/ledgers/${ledger}/${topic}/dates/${ledgerDate}${query(cursor)}`);

  /** Every entry the feed has now, following cursors until it says tryLater. */
  async function drain(ledger: string, topic: Topic, from?: string): Promise<{ items: Entry[]; cursor: string }> {
    const items: Entry[] = [];
    let cursor = from;
    for (let page = 0; page < 1000; page++) {
      const response = await feed(ledger, topic, cursor);
      if (response.status !== 200) throw new Error(`feed: ${response.status} ${response.text}`);
      items.push(...(response.body.items as Entry[]));
      cursor = response.body.cursor as string;
      if (response.body.tryLater === true) return { items, cursor };
    }
    throw new Error("the feed never ended");
  }

  const configure = (body: unknown) => h.send("PUT", "/_sim/report/config", { body });
  const addEntry = (body: unknown) => h.send("POST", "/_sim/report/entries", { body });

  /** An approved payment, captured in full; returns its reference. */
  async function captured(value = 10_000, currency = "NOK"): Promise<string> {
    const { reference } = await h.authorizedPayment({ amount: { value, currency } });
    const capture = await h.capture(reference, value, undefined, currency);
    if (capture.status !== 200) throw new Error(`capture: ${capture.status} ${capture.text}`);
    return reference;
  }

  /** The ledger date now, for a cut-off in minutes after Oslo midnight. */
  const today = (cutoff = 0) => ledgerDateAt(h.clock.now(), cutoff);

  /** Moves the simulator clock a minute past the cut-off that closes today's ledger date. */
  async function closeToday(cutoff = 0): Promise<string> {
    const closing = today(cutoff);
    const ms = closesAt(closing, cutoff) - h.clock.now() + 60_000;
    const advanced = await h.send("POST", "/_sim/clock/advance", { body: { ms } });
    if (advanced.status !== 200) throw new Error(`advance: ${advanced.status} ${advanced.text}`);
    return closing;
  }

  /**
   * Moves the clock to the next noon in Oslo, half a day from any cut-off a test uses, so that a
   * test run just before midnight does not see its entries land on two ledger dates.
   */
  async function atNoon(): Promise<void> {
    const noon = 12 * 60;
    const ms = closesAt(ledgerDateAt(h.clock.now(), noon), noon) - h.clock.now();
    const advanced = await h.send("POST", "/_sim/clock/advance", { body: { ms } });
    if (advanced.status !== 200) throw new Error(`advance: ${advanced.status} ${advanced.text}`);
  }

  return { get, ledgerId, feed, date, drain, configure, addEntry, captured, today, closeToday, atNoon };
}

/**
 * The feed of the simulator an app embeds (at its /sim), read as Vipps' client would: the demo
 * keys, their token, page after page until an empty one. The first ledger's `topic` entries.
 */
export async function appSimulatorFeed(app: { url: string }, topic: Topic = "funds"): Promise<Entry[]> {
  const c = SIMULATOR_DEMO_CREDENTIALS;
  const keys = { "Ocp-Apim-Subscription-Key": c.subscriptionKey, "Merchant-Serial-Number": c.msn };
  const tokenResponse = await fetch(`${app.url}/sim/accesstoken/get`, {
    method: "POST",
    headers: { client_id: c.clientId, client_secret: c.clientSecret, ...keys },
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const headers = { Authorization: `Bearer ${token}`, ...keys };
  const ledgers = (await (await fetch(`${app.url}/sim/settlement/v1/ledgers`, { headers })).json()) as {
    items: { ledgerId: string }[];
  };
  const feed = `${app.url}/sim/report/v2/ledgers/${ledgers.items[0]!.ledgerId}/${topic}/feed`;
  const entries: Entry[] = [];
  let cursor = "";
  for (;;) {
    const page = (await (await fetch(`${feed}?cursor=${encodeURIComponent(cursor)}`, { headers })).json()) as {
      items: Entry[];
      cursor: string;
    };
    if (page.items.length === 0) return entries;
    entries.push(...page.items);
    cursor = page.cursor;
  }
}

/** The parts of an entry a test usually compares: type, amount and the balance it moves. */
export const brief = (entry: Entry) => [entry.entryType, entry.amount, entry.balanceBefore, entry.balanceAfter];
