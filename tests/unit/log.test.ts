/**
 * The log: one JSON object a line, errors with their stacks wherever they sit in the fields, the
 * request's id on every line logged while it is handled, and no secret ever written.
 */
import { describe, expect, it } from "vitest";
import { type LogLevel, outsideLogContext, withLogContext } from "@/lib/log";
import { captureLog } from "../support/log-capture";

const capture = (level: LogLevel = "debug") => captureLog(level, "test");

describe("createLogger", () => {
  it("writes one JSON object a line with its level, time, component and message", () => {
    const { log, records } = capture();
    log.info("Sale changed", { saleId: "sale_1", from: "pending", to: "authorized" });
    expect(records()).toEqual([
      {
        level: "info",
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        component: "test",
        message: "Sale changed",
        saleId: "sale_1",
        from: "pending",
        to: "authorized",
      },
    ]);
  });

  it("writes nothing below its level", () => {
    const { log, records } = capture("warn");
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    expect(records().map((record) => record.level)).toEqual(["warn", "error"]);
  });

  it("logs an error with its type, message, stack and cause, under any field name and at any depth", () => {
    const { log, records } = capture();
    const error = new TypeError("boom", { cause: new Error("the root") });
    log.error("failed", { err: error, detail: { error } });
    const [record] = records() as [{ err: Record<string, string>; detail: { error: Record<string, string> } }];
    for (const logged of [record.err, record.detail.error]) {
      expect(logged).toMatchObject({ type: "TypeError", message: "boom: the root" });
      expect(logged.stack).toContain("TypeError: boom\n    at ");
      expect(logged.stack).toContain("caused by: Error: the root");
      expect(logged.stack).toContain("log.test.ts");
    }
  });

  it("masks fields whose names may carry secrets, at any depth and on errors too", () => {
    const { log, records } = capture();
    const error = Object.assign(new Error("refused"), { accessToken: "eyJ-token", status: 401 });
    log.warn("call", {
      client_secret: "s3cret",
      headers: {
        Authorization: "Bearer abc",
        "Ocp-Apim-Subscription-Key": "key",
        cookie: "kassa_session=x",
        accept: "json",
      },
      attempts: [{ password: "pw" }],
      error,
    });
    const line = JSON.stringify(records()[0]);
    for (const secret of ["s3cret", "Bearer abc", '"key"', "kassa_session", '"pw"', "eyJ-token"])
      expect(line).not.toContain(secret);
    expect(records()[0]).toMatchObject({
      client_secret: "[redacted]",
      headers: {
        Authorization: "[redacted]",
        "Ocp-Apim-Subscription-Key": "[redacted]",
        cookie: "[redacted]",
        accept: "json",
      },
      attempts: [{ password: "[redacted]" }],
      error: { accessToken: "[redacted]", status: 401, message: "refused" },
    });
  });

  it("survives a cyclic field", () => {
    const { log, records } = capture();
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    log.info("cyclic", { cyclic });
    expect(records()[0]!.cyclic).toMatchObject({ name: "loop", self: { name: "loop" } });
  });

  it("adds the context's request id to every line logged inside it, and to what it starts", async () => {
    const { log, records } = capture();
    await withLogContext({ requestId: "req-1" }, async () => {
      log.info("inside");
      // A real timer hop, which is what the context must survive (not background work to wait for).
      await new Promise((resolve) => setTimeout(resolve, 1));
      log.warn("later, still inside");
    });
    log.info("outside");
    expect(records().map((record) => [record.message, record.requestId])).toEqual([
      ["inside", "req-1"],
      ["later, still inside", "req-1"],
      ["outside", undefined],
    ]);
  });

  it("leaves out the request id for work started outside the context from inside it (the services' timers)", async () => {
    const { log, records } = capture();
    await withLogContext({ requestId: "req-1" }, () =>
      outsideLogContext(async () => {
        // A real timer hop, as a service's timer makes.
        await new Promise((resolve) => setTimeout(resolve, 1));
        log.info("background");
      }),
    );
    expect(records()[0]!.requestId).toBeUndefined();
  });
});
