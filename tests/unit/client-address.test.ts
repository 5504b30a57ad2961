import { once } from "node:events";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import {
  clientAddress,
  installPeerAddressStamp,
  PEER_ADDRESS_HEADER,
  peerAddressStamp,
} from "@/lib/http/client-address";

/** A request as the stamp leaves it: the header carries the address with this process's proof. */
const stamped = (peer: string | undefined, forwarded?: string) =>
  new Request("http://kassa.test/api/admin/session", {
    headers: {
      ...(peer !== undefined ? { [PEER_ADDRESS_HEADER]: peerAddressStamp(peer) } : {}),
      ...(forwarded !== undefined ? { "x-forwarded-for": forwarded } : {}),
    },
  });

/** A request whose header a client wrote (or that no stamp touched). */
const forged = (value: string, forwarded?: string) =>
  new Request("http://kassa.test/api/admin/session", {
    headers: { [PEER_ADDRESS_HEADER]: value, ...(forwarded !== undefined ? { "x-forwarded-for": forwarded } : {}) },
  });

describe("clientAddress", () => {
  it("without trusted proxies is the connection's address, whatever X-Forwarded-For says", () => {
    expect(clientAddress(stamped("203.0.113.5", "198.51.100.1"), 0)).toBe("203.0.113.5");
    expect(clientAddress(stamped("::ffff:127.0.0.1"), 0)).toBe("127.0.0.1");
    expect(clientAddress(stamped("::1"), 0)).toBe("::1");
    expect(clientAddress(stamped(undefined, "198.51.100.1"), 0)).toBe("unknown");
  });

  it("behind trusted proxies is the address the outermost of them saw, not what the client wrote before it", () => {
    // The client forged 6.6.6.6; our one proxy (10.0.0.2, the connection) appended the real 203.0.113.5.
    expect(clientAddress(stamped("10.0.0.2", "6.6.6.6, 203.0.113.5"), 1)).toBe("203.0.113.5");
    // Two proxies: the CDN appended the client, the local proxy appended the CDN.
    expect(clientAddress(stamped("10.0.0.2", "6.6.6.6, 203.0.113.5, 192.0.2.44"), 2)).toBe("203.0.113.5");
    // Fewer entries than hops (a request that bypassed a proxy): the leftmost known one.
    expect(clientAddress(stamped("10.0.0.2", ""), 2)).toBe("10.0.0.2");
    expect(clientAddress(stamped("10.0.0.2"), 1)).toBe("10.0.0.2");
  });

  it("counts a peer address that the stamp did not write as unknown, whatever it looks like", () => {
    // A request the stamp never saw (one queued while the server started) carries the client's value.
    expect(clientAddress(forged("6.6.6.6"), 0)).toBe("unknown");
    expect(clientAddress(forged("6.6.6.6", "6.6.6.7"), 1)).toBe("unknown");
    // Nor does a guessed or copied proof from elsewhere pass.
    const proof = peerAddressStamp("6.6.6.6").split(" ")[0]!;
    const wrongProof = `${proof.slice(0, -1)}${proof.endsWith("A") ? "B" : "A"}`;
    expect(clientAddress(forged(`${wrongProof} 6.6.6.6`), 0)).toBe("unknown");
    expect(clientAddress(forged("6.6.6.6; proof=x"), 0)).toBe("unknown");
  });
});

describe("installPeerAddressStamp", () => {
  it("stamps each request with its connection's address and overwrites one a client sent", async () => {
    installPeerAddressStamp();
    installPeerAddressStamp(); // twice is harmless
    const seen: string[] = [];
    const server = createServer((req, res) => {
      // What a route handler makes of the request Next hands it, built from these headers.
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      seen.push(clientAddress(new Request("http://kassa.test/", { headers }), 0));
      res.end("ok");
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    const ask = (headers: Record<string, string>) =>
      new Promise<void>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port, path: "/", headers }, (res) => {
          res.resume();
          res.on("end", resolve);
        });
        req.on("error", reject);
        req.end();
      });
    await ask({});
    await ask({ [PEER_ADDRESS_HEADER]: "6.6.6.6", "x-forwarded-for": "6.6.6.6" });
    server.close();
    expect(seen).toEqual(["127.0.0.1", "127.0.0.1"]);
  });
});

describe("KASSA_TRUST_PROXY", () => {
  it("is off by default, on means one proxy, a digit means that many; anything else is refused by name", () => {
    expect(loadConfig({}).trustedProxyHops).toBe(0);
    expect(loadConfig({ KASSA_TRUST_PROXY: "off" }).trustedProxyHops).toBe(0);
    expect(loadConfig({ KASSA_TRUST_PROXY: "on" }).trustedProxyHops).toBe(1);
    expect(loadConfig({ KASSA_TRUST_PROXY: "2" }).trustedProxyHops).toBe(2);
    expect(() => loadConfig({ KASSA_TRUST_PROXY: "yes" })).toThrow(/KASSA_TRUST_PROXY/);
  });
});
