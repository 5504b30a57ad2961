/**
 * First-load JavaScript of the customer display, gzipped, from the production build in .next.
 * It counts what a kiosk must download before the page runs: Next's root main files plus every
 * client chunk the display route's entries (root layout, display layout, page) pull in. The
 * nomodule polyfills are left out, as modern browsers skip them. Target: ≤ 150 kB.
 * Usage: npx next build && npx tsx bench/display-bundle.ts [route]
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const ROOT = path.resolve(__dirname, "..");
const NEXT_DIR = path.join(ROOT, ".next");
const TARGET_KB = 150;

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

/** The client reference manifest is a JS file that assigns one JSON object to a global. */
function readClientManifest(route: string): { entryJSFiles?: Record<string, string[]> } {
  const file = path.join(NEXT_DIR, "server/app", `${route}/page_client-reference-manifest.js`);
  const source = readFileSync(file, "utf8");
  const start = source.indexOf("= {");
  if (start < 0) throw new Error(`Unexpected manifest format in ${file}`);
  const json = source
    .slice(start + 2)
    .trim()
    .replace(/;\s*$/, "");
  return JSON.parse(json) as { entryJSFiles?: Record<string, string[]> };
}

function main() {
  const route = process.argv[2] ?? "display/[terminalId]";
  if (!existsSync(path.join(NEXT_DIR, "BUILD_ID"))) {
    console.error("No production build in .next: run `npx next build` first.");
    process.exit(2);
  }
  const build = readJson<{ rootMainFiles: string[] }>(path.join(NEXT_DIR, "build-manifest.json"));
  const client = readClientManifest(route);
  const files = new Set<string>(build.rootMainFiles);
  for (const chunks of Object.values(client.entryJSFiles ?? {})) for (const chunk of chunks) files.add(chunk);

  const rows = [...files].map((file) => {
    const body = readFileSync(path.join(NEXT_DIR, file.replace(/^\/?_next\//, "")));
    return { file, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
  });
  rows.sort((a, b) => b.gzip - a.gzip);
  const total = rows.reduce((sum, row) => ({ raw: sum.raw + row.raw, gzip: sum.gzip + row.gzip }), { raw: 0, gzip: 0 });
  const kb = (bytes: number) => (bytes / 1024).toFixed(1).padStart(7);

  console.log(`First-load JS for /${route} (${rows.length} files)`);
  console.log(`${"gzip kB".padStart(7)} ${"raw kB".padStart(7)}  file`);
  for (const row of rows) console.log(`${kb(row.gzip)} ${kb(row.raw)}  ${row.file}`);
  console.log(`${kb(total.gzip)} ${kb(total.raw)}  total`);
  const ok = total.gzip / 1024 <= TARGET_KB;
  console.log(`${ok ? "PASS" : "FAIL"}: ${(total.gzip / 1024).toFixed(1)} kB gzipped (target ≤ ${TARGET_KB} kB)`);
  process.exit(ok ? 0 : 1);
}

main();
