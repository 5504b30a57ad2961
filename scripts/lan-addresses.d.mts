import type { NetworkInterfaceInfo } from "node:os";

export function lanAddresses(interfaces?: NodeJS.Dict<NetworkInterfaceInfo[]>): string[];
export function reachabilityLines(where: {
  addresses: string[];
  port: string;
  bindAddress: string;
  publicUrl: string | undefined;
}): string[];
