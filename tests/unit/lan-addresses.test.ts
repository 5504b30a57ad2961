import type { NetworkInterfaceInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { lanAddresses, reachabilityLines } from "../../scripts/lan-addresses.mjs";

const info = (address: string, family: "IPv4" | "IPv6", internal = false): NetworkInterfaceInfo =>
  ({
    address,
    family,
    internal,
    netmask: "",
    mac: "00:00:00:00:00:00",
    cidr: null,
    ...(family === "IPv6" ? { scopeid: 0 } : {}),
  }) as NetworkInterfaceInfo;

const SHOP_LAPTOP = {
  lo: [info("127.0.0.1", "IPv4", true), info("::1", "IPv6", true)],
  wlan0: [info("192.168.1.20", "IPv4"), info("fe80::1c2a:3bff:fe4d:5e6f", "IPv6")],
  docker0: [info("172.17.0.1", "IPv4")],
};

describe("lanAddresses", () => {
  it("lists the IPv4 addresses other devices can reach, leaving out loopback and IPv6", () => {
    expect(lanAddresses(SHOP_LAPTOP)).toEqual(["192.168.1.20", "172.17.0.1"]);
  });

  it("finds none on a machine with only loopback", () => {
    expect(lanAddresses({ lo: SHOP_LAPTOP.lo })).toEqual([]);
  });
});

describe("reachabilityLines", () => {
  const addresses = ["192.168.1.20", "172.17.0.1"];

  it("lists the network addresses and, with PUBLIC_URL at localhost, the one line that fixes it", () => {
    expect(reachabilityLines({ addresses, port: "3000", bindAddress: "0.0.0.0", publicUrl: undefined })).toEqual([
      "Kassa Display, on port 3000:",
      "  this computer:    http://localhost:3000",
      "  on the network:   http://192.168.1.20:3000",
      "                    http://172.17.0.1:3000",
      "  QR codes and display links point at http://localhost:3000 (PUBLIC_URL).",
      "  Phones and tablets cannot open that. To use them, start with the address they reach:",
      "    PUBLIC_URL=http://192.168.1.20:3000 npm start",
    ]);
  });

  it("gives no advice when PUBLIC_URL already names an address others reach", () => {
    const lines = reachabilityLines({
      addresses,
      port: "3000",
      bindAddress: "0.0.0.0",
      publicUrl: "https://kassa.example.no/",
    });
    expect(lines).toContain("  QR codes and display links point at https://kassa.example.no (PUBLIC_URL).");
    expect(lines.join("\n")).not.toContain("npm start");
  });

  it("treats every loopback name in PUBLIC_URL as unreachable for phones", () => {
    for (const publicUrl of ["http://127.0.0.1:3000", "http://[::1]:3000", "http://kassa.localhost:3000"]) {
      expect(reachabilityLines({ addresses, port: "3000", bindAddress: "0.0.0.0", publicUrl }).at(-1)).toBe(
        "    PUBLIC_URL=http://192.168.1.20:3000 npm start",
      );
    }
  });

  it("lists no network address when the server listens on loopback only, and so suggests none", () => {
    const lines = reachabilityLines({ addresses, port: "3000", bindAddress: "127.0.0.1", publicUrl: undefined });
    expect(lines).toEqual([
      "Kassa Display, on port 3000:",
      "  this computer:    http://localhost:3000",
      "  QR codes and display links point at http://localhost:3000 (PUBLIC_URL).",
    ]);
  });

  it("lists only the address the server is bound to", () => {
    const lines = reachabilityLines({ addresses, port: "8080", bindAddress: "172.17.0.1", publicUrl: undefined });
    expect(lines).toEqual([
      "Kassa Display, on port 8080:",
      "  on the network:   http://172.17.0.1:8080",
      "  QR codes and display links point at http://localhost:8080 (PUBLIC_URL).",
      "  Phones and tablets cannot open that. To use them, start with the address they reach:",
      "    PUBLIC_URL=http://172.17.0.1:8080 npm start",
    ]);
  });
});
