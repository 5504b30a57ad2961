// The production server: Next.js for pages and the API, plus one fast path. Vipps' webhooks are
// answered here without Next's request pipeline, which costs ~2 ms a request on a small box and
// would cap ingest near 400/s; the handling itself is the runtime's, the same the Next route uses.
import http from "node:http";
import path from "node:path";
import next from "next";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.KASSA_BIND_ADDRESS ?? "0.0.0.0";
const WEBHOOK_PATH = "/api/webhooks/vipps";
const MAX_WEBHOOK_BYTES = 256 * 1024;
const RUNTIME_KEY = Symbol.for("kassa-display.runtime");

const app = next({ dev: false, dir: root, hostname, port });
const handleWithNext = app.getRequestHandler();
// prepare() runs instrumentation.ts, which creates the runtime (store, reconciler, simulator).
await app.prepare();

function headerReader(request) {
  return {
    get(name) {
      const value = request.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

async function handleWebhook(request, response) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_WEBHOOK_BYTES) {
      response.writeHead(413, { "content-type": "application/problem+json", connection: "close" });
      response.end(JSON.stringify({ type: "https://kassa.display/problems/payload-too-large", title: "The request body is too large", status: 413, detail: `At most ${MAX_WEBHOOK_BYTES} bytes` }));
      request.destroy();
      return;
    }
    chunks.push(chunk);
  }
  const runtime = await globalThis[RUNTIME_KEY];
  const answer = await runtime.receiveWebhook(Buffer.concat(chunks).toString("utf8"), headerReader(request));
  response.writeHead(answer.status, { "content-type": answer.contentType, "cache-control": "no-store" });
  response.end(answer.body);
}

const server = http.createServer((request, response) => {
  const pathname = request.url?.split("?")[0];
  if (request.method === "POST" && pathname === WEBHOOK_PATH && globalThis[RUNTIME_KEY]) {
    handleWebhook(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(503, { "content-type": "application/problem+json" });
      response.end(JSON.stringify({ type: "https://kassa.display/problems/webhook-503", title: "Temporarily unable to take the webhook", status: 503, detail: "Try again" }));
    });
    return;
  }
  handleWithNext(request, response);
});
server.keepAliveTimeout = 65_000;
server.listen(port, hostname, () => {
  console.log(`Kassa Display listening on http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close();
    // Open SSE streams would keep close() waiting; the state is all in SQLite, so just go.
    setTimeout(() => process.exit(0), 500).unref();
  });
}
