// The app's one patch of Node's HTTP server, in plain CommonJS because it is loaded twice: first
// by the preload peer-address-preload.cjs (`node --require`, from scripts/start.mjs and the
// Dockerfile), so that it is in place before Next listens; then through lib/http/client-address.ts
// in Next's bundles, where installing it again does nothing. Types: peer-address-stamp.d.cts.
//
// Next does not hand route handlers the connection's address, and the sign-in and pairing limits
// must count it rather than a header a client chose. So every request gets the address of its
// connection in X-Kassa-Peer-Address, over any value a client sent, together with a proof that
// only this process knows: a value without it (a request stamped by nothing, were the server ever
// started without the preload) counts as an unknown address, never as the address it names.
//
// It passes every request on to Next unchanged but for that header, with two exceptions that no
// route could answer and that Next answered with a plain-text 500 or as if they were a GET: a
// request for `*` (`OPTIONS *`, `GET *`) gets a 400, and TRACE a 405. And it holds slow peers to
// the limits in slow-peer-limits.cjs (a body within 10 s, clients that read what they are sent).
"use strict";
const { randomBytes } = require("node:crypto");
const { Server } = require("node:http");
const { limitSlowPeer } = require("./slow-peer-limits.cjs");

const PEER_ADDRESS_HEADER = "x-kassa-peer-address";
const INSTALLED = Symbol.for("kassa-display.peer-address-installed");
const PROOF = Symbol.for("kassa-display.peer-address-proof");
const ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

/** This process's proof, made on first use; shared by every copy of this module in the process. */
function peerAddressProof() {
  globalThis[PROOF] ??= randomBytes(18).toString("base64url");
  return globalThis[PROOF];
}

/** The header's value for a connection from `address`, as the stamp writes it. */
function peerAddressStamp(address) {
  return `${peerAddressProof()} ${address}`;
}

/** Answers a request here, as problem+json, instead of passing it to Next. */
function refuse(response, status, slug, title, detail, headers) {
  const body = JSON.stringify({ type: `https://kassa.display/problems/${slug}`, title, status, detail });
  response.writeHead(status, {
    "content-type": "application/problem+json",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}

/**
 * Wraps http.Server#emit so every "request" carries the stamp before Next sees it. Idempotent;
 * applies to servers made before or after.
 */
function installPeerAddressStamp() {
  const prototype = Server.prototype;
  if (prototype[INSTALLED]) return;
  const emit = prototype.emit;
  const proof = peerAddressProof();
  prototype.emit = function stampedEmit(event, ...args) {
    if (event === "request") {
      const [request, response] = args;
      request.headers[PEER_ADDRESS_HEADER] = `${proof} ${request.socket?.remoteAddress ?? "unknown"}`;
      if (request.method === "TRACE") {
        refuse(response, 405, "method-not-allowed", "The method is not allowed", "TRACE is not answered here.", {
          allow: ALLOWED_METHODS,
        });
        return true;
      }
      if (request.url === "*") {
        refuse(
          response,
          400,
          "validation-error",
          "The request is not valid",
          "The request target * names no resource here: ask for a path.",
        );
        return true;
      }
      // Bodies that trickle in and clients that never read (slow-peer-limits.cjs).
      limitSlowPeer(request, response);
    }
    return Reflect.apply(emit, this, [event, ...args]);
  };
  prototype[INSTALLED] = true;
}

module.exports = { PEER_ADDRESS_HEADER, installPeerAddressStamp, peerAddressProof, peerAddressStamp };
