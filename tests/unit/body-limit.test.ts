/**
 * Reading a request body with a cap: a body over it is refused with a 413 without being read
 * whole, and the stream is cancelled; a cancel that fails leaves a debug line, not silence.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { readBodyWithLimit } from "@/lib/http/body";
import { processLogger } from "@/lib/log";
import { captureLog, type LogRecord } from "../support/log-capture";

vi.mock("@/lib/log", async (original) => ({
  ...(await original<typeof import("@/lib/log")>()),
  processLogger: vi.fn(),
}));

let records: () => LogRecord[];

beforeEach(() => {
  const capture = captureLog();
  records = capture.records;
  vi.mocked(processLogger).mockReturnValue(capture.log);
});

const encoder = new TextEncoder();

/** A chunked body of `chunks` pieces of 10 bytes whose cancel does `onCancel`. */
function streamed(chunks: number, onCancel: () => void = () => undefined): Request {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < chunks) controller.enqueue(encoder.encode("0123456789"));
      else controller.close();
    },
    cancel: onCancel,
  });
  return new Request("http://kassa.test/api/v1/sales", { method: "POST", body, duplex: "half" } as RequestInit);
}

const status = (error: unknown) => (error as { problem: { status: number } }).problem.status;

describe("readBodyWithLimit", () => {
  it("reads a body within the limit whole", async () => {
    expect(new TextDecoder().decode(await readBodyWithLimit(streamed(3), 30))).toBe("012345678901234567890123456789");
    expect(records()).toEqual([]);
  });

  it("refuses a chunked body over the limit with a 413 and cancels its stream", async () => {
    const cancel = vi.fn();
    const error = await readBodyWithLimit(streamed(100, cancel), 25).catch((caught: unknown) => caught);
    expect(status(error)).toBe(413);
    expect(cancel).toHaveBeenCalledOnce();
    expect(records()).toEqual([]);
  });

  it("still answers 413 when cancelling fails, and leaves a debug line with the error", async () => {
    const error = await readBodyWithLimit(
      streamed(100, () => {
        throw new Error("the socket is gone");
      }),
      25,
    ).catch((caught: unknown) => caught);
    expect(status(error)).toBe(413);
    expect(records()).toMatchObject([
      {
        level: "debug",
        message: "Could not cancel a request body that is too large",
        err: { message: "the socket is gone" },
      },
    ]);
    expect(records()[0]!.err.stack).toContain("body-limit.test.ts");
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    const request = new Request("http://kassa.test/api/v1/sales", {
      method: "POST",
      body: "x".repeat(10),
      headers: { "content-length": "1000" },
    });
    expect(status(await readBodyWithLimit(request, 100).catch((caught: unknown) => caught))).toBe(413);
  });
});
