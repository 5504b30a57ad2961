/**
 * Next compiles instrumentation.ts for the Edge Runtime as well as for Node.js, and `next build`
 * warns ("A Node.js API is used (process.exit …) which is not supported in the Edge Runtime",
 * "Ecmascript file had an error") for any Node.js API in it, even behind an early return. So the
 * file holds none: the start-up is instrumentation-node.ts, imported only under the Node.js runtime.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const source = (file: string) =>
  readFileSync(path.join(ROOT, file), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "");

describe("instrumentation.ts, compiled for the Edge Runtime too", () => {
  const edgeCompiled = source("instrumentation.ts");

  it("uses no process API but the runtime's name", () => {
    const processUses = edgeCompiled.match(/\bprocess\.[A-Za-z_.]+/g) ?? [];
    expect(processUses.filter((use) => use !== "process.env.NEXT_RUNTIME")).toEqual([]);
  });

  it("imports nothing but the Node.js start-up, and that only under the Node.js runtime", () => {
    expect(edgeCompiled).not.toMatch(/^\s*import\s/m);
    expect(edgeCompiled).not.toMatch(/\brequire\s*\(/);
    const imports = [...edgeCompiled.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
    expect(imports).toEqual(["./instrumentation-node"]);
    const guard = edgeCompiled.indexOf('if (process.env.NEXT_RUNTIME === "nodejs") {');
    expect(guard).toBeGreaterThan(-1);
    const guarded = edgeCompiled.slice(guard, edgeCompiled.indexOf("\n  }", guard));
    expect(guarded).toContain('import("./instrumentation-node")');
  });

  it("leaves the start-up, and its exit on failure, to instrumentation-node.ts", () => {
    const node = source("instrumentation-node.ts");
    expect(node).toContain("export async function startNodeServer");
    expect(node).toContain("process.exit(1)");
  });
});
