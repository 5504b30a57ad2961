/** Where the POS's webhooks may go: https to public addresses, unless private ones are allowed. */
import { describe, expect, it } from "vitest";
import { guardedLookup, isPrivateAddress, urlProblem } from "@/lib/pos-events/url-safety";

const strict = { allowPrivate: false };

describe("webhook URL safety", () => {
  it("knows loopback, private, link-local and mapped addresses from public ones", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.20",
      "169.254.169.254",
      "0.0.0.0",
      "::1",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "100.64.0.1",
      "not-an-ip",
    ])
      expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ["8.8.8.8", "172.32.0.1", "2001:4860:4860::8888", "::ffff:1.1.1.1"])
      expect(isPrivateAddress(address), address).toBe(false);
  });

  it("takes only https to public addresses outside the simulator, and anything http(s) when allowed", async () => {
    expect(await urlProblem("http://8.8.8.8/hook", strict)).toBe("must be an https URL");
    expect(await urlProblem("https://127.0.0.1/hook", strict)).toMatch(
      /loopback, private or link-local address \(127\.0\.0\.1\)/,
    );
    expect(await urlProblem("https://[::1]/hook", strict)).toMatch(/\(::1\)/);
    expect(await urlProblem("https://localhost/hook", strict)).toMatch(/loopback/);
    expect(await urlProblem("https://user:pw@8.8.8.8/hook", strict)).toMatch(/user name/);
    expect(await urlProblem("ftp://8.8.8.8/hook", strict)).toBe("must be an https URL");
    expect(await urlProblem("https://8.8.8.8/hook", strict)).toBeUndefined();
    expect(await urlProblem("http://127.0.0.1:9/hook", { allowPrivate: true })).toBeUndefined();
    expect(await urlProblem("nonsense", { allowPrivate: true })).toBe("must be an absolute URL");
  });

  it("refuses a private address at connection time too (a name that resolves differently later)", async () => {
    const lookup = guardedLookup(strict)!;
    const error = await new Promise<Error | null>((resolve) => lookup("localhost", {}, (failure) => resolve(failure)));
    expect(error?.message).toMatch(/localhost resolves to a loopback/);
    expect(guardedLookup({ allowPrivate: true })).toBeUndefined();
  });
});
