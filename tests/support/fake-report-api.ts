/**
 * A Report API in the test process (msw): one NOK ledger for MSN 123456 with funds and fees feeds
 * that page `pageSize` entries at a time behind an opaque cursor, answer no items and the same
 * cursor at the end, and can be made to fail. Entries are added by the test as they happen.
 */
import { http, HttpResponse } from "msw";
import type { ReportEntry, ReportTopic } from "@/lib/vipps/report-schemas";

export const FAKE_BASE = "https://report.test";
export const FAKE_MSN = "123456";
export const FAKE_LEDGER = "302321";
export const FAKE_CREDENTIALS = {
  clientId: "fake-client-id",
  clientSecret: "fake-client-secret",
  subscriptionKey: "fake-subscription-key",
  msn: FAKE_MSN,
};

const encode = (after: number) => Buffer.from(JSON.stringify({ after })).toString("base64url");
const decode = (cursor: string | null) =>
  cursor ? (JSON.parse(Buffer.from(cursor, "base64url").toString()) as { after: number }).after : 0;

export class FakeReportApi {
  readonly entries: Record<ReportTopic, ReportEntry[]> = { funds: [], fees: [] };
  pageSize = 1000;
  /** The next this many feed reads answer 500. */
  failFeedReads = 0;
  readonly feedReads: { topic: string; cursor: string | null; headers: Headers }[] = [];
  private readonly balances: Record<ReportTopic, number> = { funds: 0, fees: 0 };
  private psp = 1_000_000_000;

  add(topic: ReportTopic, entry: Partial<ReportEntry> & { entryType: string; amount: number }): ReportEntry {
    const balanceBefore = this.balances[topic];
    this.balances[topic] += entry.amount;
    const full: ReportEntry = {
      pspReference: String(this.psp++),
      time: new Date(Date.parse("2026-05-01T10:00:00Z") + this.entries[topic].length * 1000).toISOString(),
      ledgerDate: "2026-05-01",
      currency: "NOK",
      balanceBefore,
      balanceAfter: this.balances[topic],
      recipientHandle: `api:${FAKE_MSN}`,
      ...entry,
    };
    this.entries[topic].push(full);
    return full;
  }

  /** A capture of `amount` with its fee, as Vipps writes it on net settlement. */
  capture(reference: string, amount: number, fee: number, ledgerDate = "2026-05-01"): string {
    const capture = this.add("funds", { entryType: "capture", amount, reference, ledgerDate });
    const shared = { pspReference: capture.pspReference, reference, ledgerDate };
    this.add("funds", { entryType: "fees-retained", amount: -fee, ...shared });
    this.add("fees", { entryType: "capture-fee", amount: -fee, ...shared });
    this.add("fees", { entryType: "fees-retained", amount: fee, ...shared });
    return capture.pspReference;
  }

  handlers() {
    return [
      http.post(`${FAKE_BASE}/accesstoken/get`, () =>
        HttpResponse.json({
          token_type: "Bearer",
          expires_in: "3600",
          ext_expires_in: "0",
          expires_on: String(Math.floor(Date.now() / 1000) + 3600),
          not_before: String(Math.floor(Date.now() / 1000)),
          resource: "00000002-0000-0000-c000-000000000000",
          access_token: "fake-token",
        }),
      ),
      http.get(`${FAKE_BASE}/settlement/v1/ledgers`, () =>
        HttpResponse.json({
          items: [{ ledgerId: FAKE_LEDGER, currency: "NOK", settlesForRecipientHandles: [`api:${FAKE_MSN}`] }],
          cursor: "",
        }),
      ),
      http.get(`${FAKE_BASE}/report/v2/ledgers/:ledgerId/:topic/feed`, ({ request, params }) => {
        const topic = params.topic as ReportTopic;
        const cursor = new URL(request.url).searchParams.get("cursor");
        this.feedReads.push({ topic, cursor, headers: request.headers });
        if (this.failFeedReads > 0) {
          this.failFeedReads -= 1;
          return HttpResponse.json({ errorCode: 100001, errorMessage: "Internal error" }, { status: 500 });
        }
        const after = decode(cursor);
        const items = this.entries[topic].slice(after, after + this.pageSize);
        return HttpResponse.json({ items, cursor: encode(after + items.length), tryLater: items.length === 0 });
      }),
      http.get(`${FAKE_BASE}/report/v2/ledgers/:ledgerId/:topic/dates/:date`, () =>
        HttpResponse.json({ title: "Not found" }, { status: 404 }),
      ),
    ];
  }
}
