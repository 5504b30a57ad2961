/**
 * Display streams answered ahead of Next (lib/http/direct-route.ts, display-events-listener.ts):
 * on a real node:http server, a display stream gets the Next route's checks, headers and frames,
 * the display is noted online while it lasts, and whatever the listener does not take (another
 * method, a path no terminal can have) goes on to the server's own listener, as to Next.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DisplayState } from "@/lib/display/display-state";
import { followDisplayState } from "@/lib/display/display-stream";
import { DomainError } from "@/lib/errors";
import { InProcessEventBus, terminalTopic } from "@/lib/events/event-bus";
import { PEER_ADDRESS_HEADER } from "@/lib/http/client-address";
import { EVERY_RESPONSE_HEADERS, installDirectPatternRoute } from "@/lib/http/direct-route";
import { DISPLAY_EVENTS_PATTERN, displayEventsListener } from "@/lib/http/display-events-listener";
import { type NextStandIn, startNextStandIn } from "../support/next-stand-in";

const bus = new InProcessEventBus<DisplayState>();
const stateOf = (phase: string) => ({ phase, serverTime: new Date().toISOString() }) as unknown as DisplayState;
let next: NextStandIn;
let base: string;
let opened: { terminalId: string; displayId: string | null }[] = [];
let gone: string[] = [];
let peerSeen: (string | null)[] = [];

beforeAll(async () => {
  installDirectPatternRoute(
    "GET",
    DISPLAY_EVENTS_PATTERN,
    displayEventsListener(async () => ({
      displayAccess: {
        async viewerOrThrow(request) {
          peerSeen.push(request.headers.get(PEER_ADDRESS_HEADER));
          if (new URL(request.url).searchParams.get("token") !== "good") throw new DomainError("unauthorized", "This display is not paired with the terminal.");
          return "link";
        },
        async authorize() {
          return true;
        },
      },
      displays: {
        async follow(terminalId, sink, signal, stillAuthorized) {
          if (terminalId !== "pos-1") return false;
          await followDisplayState({ terminalId, bus, current: async () => stateOf("idle"), now: () => Date.now(), signal, stillAuthorized }, sink);
          return true;
        },
      },
      displayPresence: {
        async streamOpened(terminalId, _viewer, report) {
          opened.push({ terminalId, displayId: report.displayId ?? null });
          return () => gone.push(terminalId);
        },
      },
    })),
  );
  next = await startNextStandIn((request) => `${request.method} ${request.url}`);
  base = next.base;
});
afterAll(() => next.close());
beforeEach(() => {
  opened = [];
  gone = [];
  peerSeen = [];
});

/** Opens a GET and hands back the response as it starts, with what has arrived so far. */
function open(path: string, headers: Record<string, string> = {}, method = "GET") {
  return new Promise<{ response: IncomingMessage; text: () => string; close: () => void }>((resolve, reject) => {
    const request = httpRequest({ host: "127.0.0.1", port: new URL(base).port, path, method, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      resolve({ response, text: () => text, close: () => request.destroy() });
    });
    request.on("error", reject);
    request.end();
  });
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 2_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("display events listener", () => {
  it("streams the state and every change with the route's headers, and notes the display while it is open", async () => {
    const stream = await open("/api/display/pos-1/events?token=good&display=d-1");
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers).toMatchObject({ ...EVERY_RESPONSE_HEADERS, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform" });
    await until(() => stream.text().includes('"phase":"idle"'), "the first state");
    expect(stream.text().startsWith("retry: 1000\n\n")).toBe(true);
    await until(() => opened.length === 1, "the display noted online");
    expect(opened).toEqual([{ terminalId: "pos-1", displayId: "d-1" }]);

    bus.publish(terminalTopic("pos-1"), stateOf("pending"));
    await until(() => stream.text().includes('"phase":"pending"'), "the published state");
    expect(stream.text()).toMatch(/event: state\ndata: \{"phase":"pending"/);

    stream.close();
    await until(() => gone.length === 1 && bus.subscriberCount(terminalTopic("pos-1")) === 0, "the stream's end noted and its subscription dropped");
  });

  it("answers a viewer who may not watch with the route's 401 problem, and opens nothing", async () => {
    const refused = await open("/api/display/pos-1/events?token=bad");
    await until(() => refused.response.complete, "the answer");
    expect(refused.response.statusCode).toBe(401);
    expect(refused.response.headers).toMatchObject({ ...EVERY_RESPONSE_HEADERS, "content-type": "application/problem+json" });
    expect(JSON.parse(refused.text())).toMatchObject({ status: 401, detail: "This display is not paired with the terminal." });
    expect(opened).toEqual([]);
    expect(bus.subscriberCount(terminalTopic("pos-1"))).toBe(0);
  });

  it("answers 404 for a terminal that does not exist", async () => {
    const missing = await open("/api/display/pos-9/events?token=good");
    await until(() => missing.response.complete, "the answer");
    expect(missing.response.statusCode).toBe(404);
    expect(JSON.parse(missing.text())).toMatchObject({ status: 404, detail: "No terminal with id pos-9" });
    expect(opened).toEqual([]);
  });

  it("counts the connection's own address, not one the client wrote", async () => {
    const forged = await open("/api/display/pos-1/events?token=bad", { [PEER_ADDRESS_HEADER]: "203.0.113.9" });
    await until(() => forged.response.complete, "the answer");
    expect(peerSeen).toEqual(["127.0.0.1"]);
  });

  it("leaves other methods and paths no terminal can have to the server's own listener", async () => {
    for (const [method, path] of [
      ["POST", "/api/display/pos-1/events"],
      ["HEAD", "/api/display/pos-1/events"],
      ["GET", "/api/display/POS-1/events"],
      ["GET", "/api/display/pos-1/events/extra"],
      ["GET", "/api/display/pos%2D1/events"],
    ] as const) {
      const answer = await open(path, {}, method);
      await until(() => answer.response.complete, `the answer to ${method} ${path}`);
      if (method !== "HEAD") expect(answer.text()).toBe(`next:${method} ${path}`);
      expect(answer.response.statusCode).toBe(200);
    }
    expect(peerSeen).toEqual([]);
  });
});
