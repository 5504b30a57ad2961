// Limits on peers that are slow on purpose, part of the app's one patch of Node's HTTP server
// (peer-address-stamp.cjs installs it; plain CommonJS for the same reason: the preload loads it
// before Next listens). Node's own requestTimeout is 300 s and is checked only every 30 s, and
// Next has no per-request deadline, so without these a few hundred connections trickling a byte
// every few seconds, or never reading what they are sent, hold memory and sockets indefinitely.
//
// - A request's body must arrive within 10 s: after that it gets a 408 and the
//   connection is closed. Every request the app answers has a small body (64 KB at most, a logo 256 KB).
// - One peer may have at most 32 requests whose body is still arriving; the next
//   one gets a 429 at once. Behind a trusted proxy (KASSA_TRUST_PROXY) every request comes from
//   the proxy's address, so this bound is left to the proxy there and only the deadline applies.
// - A response the client stops reading (the socket does not drain for 10 s) is
//   ended by closing the connection: a display stream to a client that never reads would
//   otherwise queue every state change in memory.
"use strict";

// Shared by every copy of this module in the process (the preload's and the bundles' own), like
// the stamp's proof: a test that changes them changes the ones the installed patch reads.
const STATE = Symbol.for("kassa-display.slow-peer-limits");
globalThis[STATE] ??= {
  limits: { bodyDeadlineMs: 10_000, drainDeadlineMs: 10_000, unfinishedPerPeer: 32 },
  /** Requests per connection address whose body has not fully arrived yet. */
  unfinished: new Map(),
};
const { limits, unfinished } = globalThis[STATE];

/** For tests, which cannot wait 10 s per case: changes the limits for this process. */
function configureSlowPeerLimits(changes) {
  Object.assign(limits, changes);
}

function behindProxy() {
  const value = process.env.KASSA_TRUST_PROXY ?? "";
  return value !== "" && value !== "off" && value !== "0";
}

function answerAndClose(response, status, slug, title, detail) {
  const body = JSON.stringify({ type: `https://kassa.display/problems/${slug}`, title, status, detail });
  if (!response.headersSent) {
    response.writeHead(status, {
      "content-type": "application/problem+json",
      "cache-control": "no-store",
      "content-length": Buffer.byteLength(body),
      connection: "close",
    });
    response.end(body, () => response.socket?.destroy());
  } else response.socket?.destroy();
}

/**
 * Holds the request to the body deadline, and its peer to the bound of requests whose body is
 * still arriving. The request goes on to Next at once; it is counted only if its body is not in by
 * the next turn of the event loop, once the parser has read what came with the headers (nearly
 * always all of it: a POS's JSON fits in a packet). So a burst of a hundred quick requests from one
 * till server is not taken for a slow peer, while a request over the bound whose body is still
 * trickling in is answered 429 and its connection closed (Next, waiting for that body, gets none).
 */
function admitWhileBodyArrives(request, response) {
  const address = request.socket?.remoteAddress ?? "unknown";
  const counting = !behindProxy();
  let counted = false;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    clearTimeout(deadline);
    if (!counted) return;
    const left = (unfinished.get(address) ?? 1) - 1;
    if (left <= 0) unfinished.delete(address);
    else unfinished.set(address, left);
  };
  const deadline = setTimeout(() => {
    const complete = request.complete;
    release();
    if (complete) return;
    answerAndClose(
      response,
      408,
      "request-timeout",
      "The request took too long to arrive",
      `A request and its body must arrive within ${limits.bodyDeadlineMs / 1000} s.`,
    );
  }, limits.bodyDeadlineMs);
  deadline.unref();
  request.once("end", release);
  response.once("close", release);
  setImmediate(() => {
    if (released) return;
    if (request.complete) return release();
    if (!counting) return;
    if ((unfinished.get(address) ?? 0) >= limits.unfinishedPerPeer) {
      release();
      return answerAndClose(
        response,
        429,
        "rate-limited",
        "Too many unfinished requests",
        `This address already has ${limits.unfinishedPerPeer} requests whose body has not arrived.`,
      );
    }
    unfinished.set(address, (unfinished.get(address) ?? 0) + 1);
    counted = true;
  });
}

/** Closes the connection when what was written to it has not drained within the deadline. */
function dropWhenNotReading(response) {
  const write = response.write;
  let stalled;
  const drained = () => {
    clearTimeout(stalled);
    stalled = undefined;
  };
  response.on("drain", drained);
  response.once("close", drained);
  response.write = function writeWatchingDrain(...args) {
    const accepted = Reflect.apply(write, this, args);
    if (!accepted && stalled === undefined && !response.destroyed) {
      stalled = setTimeout(() => response.destroy(), limits.drainDeadlineMs);
      stalled.unref();
    }
    return accepted;
  };
}

/** Applies the limits to a request, which goes on to Next as it is. */
function limitSlowPeer(request, response) {
  dropWhenNotReading(response);
  admitWhileBodyArrives(request, response);
}

module.exports = { configureSlowPeerLimits, limitSlowPeer, limits };
