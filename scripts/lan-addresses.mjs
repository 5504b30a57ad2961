// What `npm start` says about where it can be reached. The quick start puts PUBLIC_URL at
// localhost, which a customer's phone or a tablet on the counter cannot open: dev servers list
// the machine's network addresses, and so does this, with the one line that points PUBLIC_URL at
// one of them. Kept apart from start.mjs so a test can feed it made-up network interfaces.
import os from "node:os";

/**
 * The machine's IPv4 addresses other devices can use: not loopback, not IPv6 (a phone's browser
 * reaches http://192.168.1.20:3000 far more readily than a bracketed IPv6 link-local address).
 * @param {NodeJS.Dict<os.NetworkInterfaceInfo[]>} interfaces
 * @returns {string[]}
 */
export function lanAddresses(interfaces = os.networkInterfaces()) {
  return Object.values(interfaces)
    .flatMap((infos) => infos ?? [])
    .filter((info) => String(info.family) === "IPv4" || String(info.family) === "4")
    .filter((info) => !info.internal)
    .map((info) => info.address);
}

/** @param {string} hostname */
function isLoopback(hostname) {
  return (
    hostname === "localhost" ||
    hostname.endsWith(".localhost") ||
    hostname.startsWith("127.") ||
    hostname === "[::1]" ||
    hostname === "::1"
  );
}

/**
 * The lines printed at start-up.
 * @param {{ addresses: string[], port: string, bindAddress: string, publicUrl: string | undefined }} where
 * @returns {string[]}
 */
export function reachabilityLines({ addresses, port, bindAddress, publicUrl }) {
  const listensEverywhere = bindAddress === "0.0.0.0" || bindAddress === "::";
  const reachable = listensEverywhere ? addresses : addresses.filter((address) => address === bindAddress);
  const links = (publicUrl || `http://localhost:${port}`).replace(/\/+$/, "");
  const lines = [`Kassa Display, on port ${port}:`];
  if (listensEverywhere || isLoopback(bindAddress)) lines.push(`  this computer:    http://localhost:${port}`);
  for (const [index, address] of reachable.entries())
    lines.push(`  ${index === 0 ? "on the network:   " : "                  "}http://${address}:${port}`);
  lines.push(`  QR codes and display links point at ${links} (PUBLIC_URL).`);
  const first = reachable[0];
  if (first && isLoopback(new URL(links).hostname)) {
    lines.push("  Phones and tablets cannot open that. To use them, start with the address they reach:");
    lines.push(`    PUBLIC_URL=http://${first}:${port} npm start`);
  }
  return lines;
}
