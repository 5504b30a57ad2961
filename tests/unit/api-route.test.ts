/**
 * The route wrapper: a known error becomes its problem, anything else an opaque 500 that is
 * logged with its stack and the request's id; the id is on the response and on every line logged
 * while the request is handled.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DomainError } from "@/lib/errors";
import { route } from "@/lib/http/api";
import { type Logger, processLogger } from "@/lib/log";
import { getServices, type Services } from "@/lib/runtime";
import { captureLog, type LogRecord } from "../support/log-capture";

vi.mock("@/lib/runtime", () => ({ getServices: vi.fn() }));
vi.mock("@/lib/log", async (original) => ({
  ...(await original<typeof import("@/lib/log")>()),
  processLogger: vi.fn(),
}));

let lines: string[];
let log: Logger;
let records: () => LogRecord[];

beforeEach(() => {
  ({ log, lines, records } = captureLog());
  vi.mocked(getServices).mockResolvedValue({ log } as Services);
});

afterEach(() => {
  vi.mocked(getServices).mockReset();
});

const request = (headers: Record<string, string> = {}) =>
  new Request("http://kassa.test/api/v1/sales/sale_1/capture", { method: "POST", headers });
const params = { params: Promise.resolve({ id: "sale_1" }) };

describe("route", () => {
  it("logs a thrown Error with its stack, the request's id and the params, and answers an opaque 500 naming the id", async () => {
    const handler = route<{ id: string }>(async () => {
      throw new Error("the database went away");
    });
    const response = await handler(request(), params);

    expect(response.status).toBe(500);
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const body = await response.json();
    expect(body).toMatchObject({ type: "https://kassa.display/problems/internal-error", status: 500 });
    expect(body.detail).toContain(requestId);
    expect(JSON.stringify(body)).not.toContain("database");

    const [record] = records() as [LogRecord];
    expect(record).toMatchObject({
      level: "error",
      message: "Unhandled error in a route",
      requestId,
      method: "POST",
      path: "/api/v1/sales/sale_1/capture",
      params: { id: "sale_1" },
      err: { type: "Error", message: "the database went away" },
    });
    expect(record.err.stack).toContain("Error: the database went away\n    at ");
    expect(record.err.stack).toContain("api-route.test.ts");
  });

  it("keeps a request id a proxy sent, and puts it on what the handler logs too", async () => {
    const handler = route(async (_request, services) => {
      services.log.info("working");
      throw new Error("boom");
    });
    const response = await handler(request({ "x-request-id": "proxy-42" }));
    expect(response.headers.get("x-request-id")).toBe("proxy-42");
    expect(records().map((record) => [record.message, record.requestId])).toEqual([
      ["working", "proxy-42"],
      ["Unhandled error in a route", "proxy-42"],
    ]);
  });

  it("makes its own id when the one sent is not a short visible token", async () => {
    const handler = route(async () => {
      throw new Error("boom");
    });
    const response = await handler(request({ "x-request-id": "a b" }));
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers a known error with its problem and the request id, and logs nothing", async () => {
    const handler = route(async () => {
      throw new DomainError("invalidState", "Only an approved sale can be captured; this one is pending");
    });
    const response = await handler(request());
    expect(response.status).toBe(409);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect((await response.json()).detail).toBe("Only an approved sale can be captured; this one is pending");
    expect(lines).toEqual([]);
  });

  it("logs a 500 even when the services could not be built, with the process's logger", async () => {
    vi.mocked(getServices).mockRejectedValue(new Error("KASSA_PUBLIC_URL is not a URL"));
    vi.mocked(processLogger).mockReturnValue(log);
    const response = await route(async () => new Response("never"))(request());
    expect(response.status).toBe(500);
    expect(records()).toMatchObject([
      {
        level: "error",
        message: "Unhandled error in a route",
        requestId: response.headers.get("x-request-id"),
        err: { message: "KASSA_PUBLIC_URL is not a URL" },
      },
    ]);
  });
});
