/**
 * Linux /proc readings of an app under benchmark: which process serves a port (the standalone
 * server is a child of scripts/start.mjs, not the process startApp spawned), its CPU time and its
 * resident memory. Only this process's descendants are looked at.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** Linux's USER_HZ: utime and stime in /proc/<pid>/stat count these ticks. */
const TICKS_PER_SECOND = 100;

function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** Every live descendant of `root`, children before grandchildren. */
export function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      parentOf.set(pid, Number(statFields(pid)[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  for (let frontier = [root]; frontier.length > 0; ) {
    const children = [...parentOf].filter(([, parent]) => frontier.includes(parent)).map(([pid]) => pid);
    found.push(...children);
    frontier = children;
  }
  return found;
}

/** The descendant of this process that listens on the TCP port. */
export function listeningPid(port: number): number {
  const portHex = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const columns = line.trim().split(/\s+/);
      // local_address is column 1, st 3 (0A = LISTEN), inode 9.
      if (columns[1]?.endsWith(portHex) && columns[3] === "0A") inodes.add(`socket:[${columns[9]}]`);
    }
  }
  for (const pid of descendants(process.pid)) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        if (inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return pid;
      }
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  throw new Error(`No process of this benchmark listens on port ${port}`);
}

/** User plus system CPU time of the process and its live descendants (and children they reaped), in ms. */
export function cpuMs(pid: number): number {
  let ticks = 0;
  for (const each of [pid, ...descendants(pid)]) {
    try {
      const fields = statFields(each);
      // utime, stime, cutime, cstime are fields 14–17, i.e. 11–14 after the command name.
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // Gone meanwhile.
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Resident memory of the process, in MB. */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("VmRSS:"));
  return Number(line?.split(/\s+/)[1] ?? Number.NaN) / 1024;
}

/** The monotonic clock V8 stamps .cpuprofile samples with, in µs (CLOCK_MONOTONIC, as process.hrtime). */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
