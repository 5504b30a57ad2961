import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

/**
 * Where the POS's webhooks may go. Outside the simulator an endpoint is an https URL whose host
 * resolves to public addresses only: no loopback, private (RFC 1918, unique-local), link-local,
 * carrier-grade NAT or unspecified address, so that a webhook endpoint cannot be used to reach the
 * shop's own network or the machine itself (KASSA_WEBHOOK_ALLOW_PRIVATE=on allows it). Checked when
 * the endpoint is made and again at each delivery, by the connection's own DNS look-up, so that a
 * name that resolves differently later (DNS rebinding) is caught where it is used.
 */
export interface UrlPolicy {
  /** Plain http and private addresses are allowed (the simulator, or KASSA_WEBHOOK_ALLOW_PRIVATE=on). */
  allowPrivate: boolean;
}

const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
] as const)
  BLOCKED.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
] as const)
  BLOCKED.addSubnet(network, prefix, "ipv6");

/** Whether an IP address is loopback, private, link-local or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPrivateAddress(mapped[1]!);
  const family = isIP(address);
  if (family === 0) return true;
  return BLOCKED.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** What is wrong with an endpoint URL by its form alone, or undefined when nothing is. */
export function urlFormProblem(raw: string, policy: UrlPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an absolute URL";
  }
  if (url.username || url.password) return "must not contain a user name or password";
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && policy.allowPrivate) return undefined;
  return policy.allowPrivate ? "must be an http or https URL" : "must be an https URL";
}

/** Resolves the URL's host and says why it may not be used, or undefined when it may. */
export async function urlProblem(raw: string, policy: UrlPolicy): Promise<string | undefined> {
  const form = urlFormProblem(raw, policy);
  if (form || policy.allowPrivate) return form;
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, "");
  const addresses = await new Promise<LookupAddress[] | Error>((resolve) =>
    dnsLookup(host, { all: true }, (error, found) => resolve(error ?? found)),
  );
  if (addresses instanceof Error) return `its host ${host} does not resolve (${addresses.message})`;
  const blocked = addresses.find((entry) => isPrivateAddress(entry.address));
  return blocked ? `its host resolves to a loopback, private or link-local address (${blocked.address})` : undefined;
}

/** A DNS look-up for the delivery's connection that refuses private addresses (unless allowed). */
export function guardedLookup(policy: UrlPolicy): LookupFunction | undefined {
  if (policy.allowPrivate) return undefined;
  return ((hostname: string, options: object, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error);
      const blocked = addresses.find((entry) => isPrivateAddress(entry.address));
      if (blocked)
        return callback(
          new Error(`${hostname} resolves to a loopback, private or link-local address (${blocked.address})`),
        );
      if ((options as { all?: boolean }).all) return callback(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  }) as LookupFunction;
}
