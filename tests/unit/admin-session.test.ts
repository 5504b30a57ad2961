import { scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ADMIN_SESSION_COOKIE,
  ADMIN_SESSION_TTL_MS,
  clearAdminSessionCookie,
  hashAdminPassword,
  readCookie,
  readSessionToken,
  sessionTokenCookie,
  verifyAdminPassword,
} from "@/lib/auth/admin-session";

const TOKEN = "q7Hx2Vb9kL0pR4sT6uW8yZ1aC3eG5iK7mO9qS2uW4y0";

/** Swaps one character for another that is still valid base64url, so only the content changes. */
function flipChar(text: string, index: number): string {
  const char = text[index]!;
  return text.slice(0, index) + (char === "A" ? "B" : "A") + text.slice(index + 1);
}

describe("admin session cookie", () => {
  function attributes(header: string): { name: string; value: string; attrs: Map<string, string | true> } {
    const [pair, ...rest] = header.split("; ");
    const eq = pair!.indexOf("=");
    const attrs = new Map<string, string | true>();
    for (const part of rest) {
      const i = part.indexOf("=");
      attrs.set(i < 0 ? part : part.slice(0, i), i < 0 ? true : part.slice(i + 1));
    }
    return { name: pair!.slice(0, eq), value: pair!.slice(eq + 1), attrs };
  }

  it("is HttpOnly, SameSite=Strict, Path=/ and lasts the TTL, without Secure unless asked", () => {
    const { name, value, attrs } = attributes(sessionTokenCookie(TOKEN));
    expect(name).toBe(ADMIN_SESSION_COOKIE);
    expect(value).toBe(TOKEN);
    expect(attrs.get("HttpOnly")).toBe(true);
    expect(attrs.get("SameSite")).toBe("Strict");
    expect(attrs.get("Path")).toBe("/");
    expect(attrs.get("Max-Age")).toBe(String(ADMIN_SESSION_TTL_MS / 1000));
    expect(attrs.has("Secure")).toBe(false);
    expect(attributes(sessionTokenCookie(TOKEN, { secure: false })).attrs.has("Secure")).toBe(false);
  });

  it("adds Secure when asked", () => {
    const { attrs } = attributes(sessionTokenCookie(TOKEN, { secure: true }));
    expect(attrs.get("Secure")).toBe(true);
    expect(attrs.get("HttpOnly")).toBe(true);
    expect(attrs.get("SameSite")).toBe("Strict");
  });

  it("clears with an empty value and Max-Age=0, keeping the same attributes", () => {
    const cleared = attributes(clearAdminSessionCookie({ secure: true }));
    expect(cleared.name).toBe(ADMIN_SESSION_COOKIE);
    expect(cleared.value).toBe("");
    expect(cleared.attrs.get("Max-Age")).toBe("0");
    expect(cleared.attrs.get("Path")).toBe("/");
    expect(cleared.attrs.get("HttpOnly")).toBe(true);
    expect(cleared.attrs.get("SameSite")).toBe("Strict");
    expect(cleared.attrs.get("Secure")).toBe(true);
    expect(attributes(clearAdminSessionCookie()).attrs.has("Secure")).toBe(false);
  });

  it("round-trips through a request's Cookie header", () => {
    const request = new Request("http://localhost/admin", {
      headers: { cookie: `theme=dark; ${ADMIN_SESSION_COOKIE}=${TOKEN}; kassa_admin_lang=nb` },
    });
    expect(readSessionToken(request)).toBe(TOKEN);
    expect(readSessionToken(new Request("http://localhost/admin"))).toBeUndefined();
  });
});

describe("readCookie", () => {
  it("finds a cookie among others, with or without spaces", () => {
    expect(readCookie("a=1; b=2; c=3", "b")).toBe("2");
    expect(readCookie("a=1;b=2;c=3", "c")).toBe("3");
    expect(readCookie("  a = 1 ;b=2", "a")).toBe("1");
  });

  it("returns undefined for no header, an absent name or an empty header", () => {
    expect(readCookie(null, "a")).toBeUndefined();
    expect(readCookie("", "a")).toBeUndefined();
    expect(readCookie("b=2", "a")).toBeUndefined();
  });

  it("matches the whole name, not a prefix or suffix", () => {
    expect(readCookie("xkassa_admin=1; kassa_admin_lang=nb", "kassa_admin")).toBeUndefined();
    expect(readCookie("kassa_admin_lang=nb; kassa_admin=real", "kassa_admin")).toBe("real");
  });

  it("keeps '=' inside the value and returns the first of duplicates", () => {
    expect(readCookie("token=abc==; other=1", "token")).toBe("abc==");
    expect(readCookie("a=first; a=second", "a")).toBe("first");
  });

  it("decodes percent-encoding and falls back to the raw text when it is malformed", () => {
    expect(readCookie("a=hello%20world", "a")).toBe("hello world");
    expect(readCookie("a=100%", "a")).toBe("100%");
    expect(readCookie("a=%E0%A4%A", "a")).toBe("%E0%A4%A");
  });

  it("skips parts without '=' and returns an empty string for an empty value", () => {
    expect(readCookie("flag; a=1", "a")).toBe("1");
    expect(readCookie("flag; a=1", "flag")).toBeUndefined();
    expect(readCookie("a=; b=2", "a")).toBe("");
  });
});

describe("admin password hashing", () => {
  it("accepts the right password and refuses a wrong one", async () => {
    const hash = await hashAdminPassword("correct horse battery");
    expect(await verifyAdminPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyAdminPassword("correct horse batter", hash)).toBe(false);
    expect(await verifyAdminPassword("Correct horse battery", hash)).toBe(false);
    expect(await verifyAdminPassword("", hash)).toBe(false);
  });

  it("stores scrypt parameters and a random salt, never the password", async () => {
    const first = await hashAdminPassword("same password");
    const second = await hashAdminPassword("same password");
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain("same password");
    expect(await verifyAdminPassword("same password", second)).toBe(true);
  });

  it("honours the parameters stored with the hash", async () => {
    const salt = Buffer.from("0123456789abcdef");
    const key = scryptSync("cheap", salt, 32, { N: 16, r: 1, p: 1 });
    const hash = ["scrypt", 16, 1, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
    expect(await verifyAdminPassword("cheap", hash)).toBe(true);
    expect(await verifyAdminPassword("cheaper", hash)).toBe(false);
  });

  it("refuses, without throwing, a hash that is garbled", async () => {
    const good = await hashAdminPassword("pw-123456");
    const parts = good.split("$");
    const garbled = [
      "",
      "not-a-hash",
      good.replace(/^scrypt/, "bcrypt"),
      parts.slice(0, 5).join("$"),
      `${good}$extra`,
      [...parts.slice(0, 1), "abc", ...parts.slice(2)].join("$"),
      [...parts.slice(0, 1), "0", ...parts.slice(2)].join("$"),
      [...parts.slice(0, 1), "-16", ...parts.slice(2)].join("$"),
      [...parts.slice(0, 1), "3", ...parts.slice(2)].join("$"), // N must be a power of two
      [...parts.slice(0, 2), "1.5", ...parts.slice(3)].join("$"),
      [...parts.slice(0, 5), ""].join("$"),
      [...parts.slice(0, 5), flipChar(parts[5]!, 0)].join("$"),
      [...parts.slice(0, 4), flipChar(parts[4]!, 0), parts[5]].join("$"),
    ];
    for (const hash of garbled) {
      await expect(verifyAdminPassword("pw-123456", hash), hash).resolves.toBe(false);
    }
  });
});
