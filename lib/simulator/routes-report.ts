/**
 * The Report API (report-v2.yaml as Vipps serves it today; report-ledger.ts keeps the books) and its
 * simulator-only controls. The API authenticates like the others: subscription key and access token,
 * with the Merchant-Serial-Number header optional (checked when sent); the keys' MSN is whose ledgers
 * are shown. The controls exist only with `controls: true`, like every /_sim route.
 */
import type { SimulatorContext } from "./context";
import { jsonResponse, notFound, readJsonBody } from "./http";
import { REPORT_TOPICS, type ReportTopic, parseReportEntryInput } from "./report-config";
import type { Route, RouteRequest } from "./router";
import { requireBody } from "./routes-controls";

function topicOf(params: Readonly<Record<string, string>>): ReportTopic {
  const topic = params.topic!;
  if (!(REPORT_TOPICS as readonly string[]).includes(topic))
    throw notFound(`No report topic "${topic}"; use funds or fees.`);
  return topic as ReportTopic;
}

/** An empty ?cursor= is the same as none: start at the beginning. */
function cursorOf(url: URL): string | undefined {
  const cursor = url.searchParams.get("cursor");
  return cursor === null || cursor === "" ? undefined : cursor;
}

export function reportRoutes(ctx: SimulatorContext): Route[] {
  const { guard, report } = ctx;

  function caller(request: Request): string {
    const { msn } = guard.authenticate(request, "report");
    guard.checkSystemHeaders(request);
    return msn;
  }

  function ledgers({ request, url }: RouteRequest): Response {
    const msn = caller(request);
    const filter = url.searchParams.get("settlesForRecipientHandles") ?? undefined;
    // One page holds every ledger a sales unit's keys can see, so the cursor is always empty (no more rows).
    return jsonResponse(200, { items: report.ledgersFor(msn, filter), cursor: "" });
  }

  function feed({ request, url, params }: RouteRequest): Response {
    const msn = caller(request);
    return jsonResponse(200, report.feed(msn, params.ledgerId!, topicOf(params), cursorOf(url)));
  }

  function date({ request, url, params }: RouteRequest): Response {
    const msn = caller(request);
    return jsonResponse(200, report.date(msn, params.ledgerId!, topicOf(params), params.ledgerDate!, cursorOf(url)));
  }

  return [
    { method: "GET", path: "/settlement/v1/ledgers", handler: ledgers },
    { method: "GET", path: "/report/v2/ledgers/:ledgerId/:topic/feed", handler: feed },
    { method: "GET", path: "/report/v2/ledgers/:ledgerId/:topic/dates/:ledgerDate", handler: date },
  ];
}

/** /_sim/report/*: the Report API's configuration and hand-made entries. Only mounted with controls on. */
export function reportControlRoutes(ctx: SimulatorContext): Route[] {
  const { report, reportConfig } = ctx;

  async function putConfig({ request }: RouteRequest): Promise<Response> {
    const config = reportConfig.replace(requireBody(await readJsonBody(request)));
    ctx.log("info", "report configuration changed", { ...config });
    // A new cut-off may close a date at once.
    report.closeDueDates();
    return jsonResponse(200, config);
  }

  async function addEntry({ request }: RouteRequest): Promise<Response> {
    const input = parseReportEntryInput(requireBody(await readJsonBody(request)));
    return jsonResponse(201, report.addEntry(input, ctx.keyring.primaryMsn));
  }

  return [
    { method: "GET", path: "/_sim/report/config", handler: () => jsonResponse(200, reportConfig.current()) },
    { method: "PUT", path: "/_sim/report/config", handler: putConfig },
    { method: "POST", path: "/_sim/report/entries", handler: addEntry },
  ];
}
