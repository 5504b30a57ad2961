/**
 * The heaviest functions of a V8 .cpuprofile (node --cpu-prof) by self time: name, file:line,
 * self ms and share of the sampled time. Optionally only the samples inside a window of the
 * monotonic clock the samples are stamped with (process.hrtime, in µs), e.g. one burst.
 *
 *   npx tsx bench/support/cpuprofile-top.ts FILE.cpuprofile [--top=10] [--window=window.json:burst]
 *   npx tsx bench/support/cpuprofile-top.ts FILE.cpuprofile --from-us=N --to-us=N
 *   npx tsx bench/support/cpuprofile-top.ts FILE.cpuprofile --by=package
 *
 * Functions are keyed by name and position, so one function reached along many call paths counts
 * once. "(idle)" is time the process waited; it is left out of the ranking and of the shares.
 * --by=package adds up self time per package instead (node_modules/<name>, node:internal/<area>,
 * the app's own build chunks, V8's native entries).
 */
import { readFileSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Window {
  fromUs: number;
  toUs: number;
}

export interface FunctionTime {
  name: string;
  location: string;
  selfMs: number;
  percent: number;
}

/** Shortens a file URL to what identifies it: the part after node_modules/ or after .next/server/. */
function shortLocation(url: string, line: number): string {
  if (!url) return "";
  const file = url.replace(/^file:\/\//, "");
  const inModules = file.lastIndexOf("node_modules/");
  const inBuild = file.indexOf(".next/server/");
  const short =
    inModules >= 0
      ? file.slice(inModules + "node_modules/".length)
      : inBuild >= 0
        ? file.slice(inBuild)
        : path.basename(file);
  // V8 counts lines from 0.
  return `${short}:${line + 1}`;
}

/** What a function belongs to, for --by=package. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const inModules = url.lastIndexOf("node_modules/");
  if (inModules >= 0) {
    const [scope, name] = url.slice(inModules + "node_modules/".length).split("/");
    return scope?.startsWith("@") ? `${scope}/${name}` : (scope ?? url);
  }
  if (url.startsWith("node:")) return url.split("/").slice(0, 3).join("/");
  if (url.includes(".next/server/")) return "app build (.next/server)";
  return path.basename(url);
}

export function topFunctions(
  profile: CpuProfile,
  options: { top?: number; window?: Window; byPackage?: boolean } = {},
): { rows: FunctionTime[]; sampledMs: number; idleMs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, { name: string; location: string; us: number }>();
  let at = profile.startTime;
  let sampledUs = 0;
  let idleUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const duration = profile.timeDeltas[i + 1] ?? 0;
    if (options.window && (at < options.window.fromUs || at > options.window.toUs)) continue;
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") {
      idleUs += duration;
      continue;
    }
    sampledUs += duration;
    const name = options.byPackage ? packageOf(url, functionName) : functionName || "(anonymous)";
    const location = options.byPackage ? "" : shortLocation(url, lineNumber);
    const key = options.byPackage ? name : `${name}@${url}:${lineNumber}`;
    const entry = selfUs.get(key) ?? { name, location, us: 0 };
    entry.us += duration;
    selfUs.set(key, entry);
  }
  const rows = [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, options.top ?? 10)
    .map((entry) => ({
      name: entry.name,
      location: entry.location,
      selfMs: entry.us / 1000,
      percent: sampledUs > 0 ? (100 * entry.us) / sampledUs : 0,
    }));
  return { rows, sampledMs: sampledUs / 1000, idleMs: idleUs / 1000 };
}

export function printTopFunctions(file: string, window?: Window, top = 10, byPackage = false): void {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const { rows, sampledMs, idleMs } = topFunctions(profile, { top, window, byPackage });
  const from = Math.max(window?.fromUs ?? profile.startTime, profile.startTime);
  const to = Math.min(window?.toUs ?? profile.endTime, profile.endTime);
  const span = ` in ${((to - from) / 1000).toFixed(0)} ms of wall time`;
  console.log(`busy ${sampledMs.toFixed(0)} ms, idle ${idleMs.toFixed(0)} ms${span}`);
  console.log("| # | function | file:line | self ms | % of busy |");
  console.log("|---|---|---|---|---|");
  rows.forEach((row, i) => {
    console.log(
      `| ${i + 1} | ${row.name.replaceAll("|", "\\|")} | ${row.location} | ${row.selfMs.toFixed(1)} | ${row.percent.toFixed(1)} |`,
    );
  });
}

function main(): void {
  const [file, ...args] = process.argv.slice(2);
  if (!file) {
    console.error(
      "Usage: tsx bench/support/cpuprofile-top.ts FILE.cpuprofile [--top=10] [--window=window.json:burst | --from-us=N --to-us=N]",
    );
    process.exit(2);
  }
  const value = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  let window: Window | undefined;
  const windowFile = value("window");
  if (windowFile) {
    const [windowPath, name = "burst"] = windowFile.split(":");
    window = (JSON.parse(readFileSync(windowPath!, "utf8")) as Record<string, Window>)[name];
    if (!window) throw new Error(`No window ${name} in ${windowPath}`);
  } else if (value("from-us") && value("to-us")) {
    window = { fromUs: Number(value("from-us")), toUs: Number(value("to-us")) };
  }
  printTopFunctions(file, window, Number(value("top") ?? 10), value("by") === "package");
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) main();
