/**
 * initial-credentials.txt after the owner's password changed: the generated password leaves the
 * file (the file goes when nothing else is in it), and a file that cannot be removed says so.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const failUnlink = vi.hoisted(() => ({ on: false }));
vi.mock("node:fs", async (original) => {
  const fs = await original<typeof import("node:fs")>();
  return {
    ...fs,
    unlinkSync: (file: string) => {
      if (failUnlink.on) throw Object.assign(new Error("EPERM: operation not permitted"), { code: "EPERM" });
      fs.unlinkSync(file);
    },
  };
});

const { forgetGeneratedOwnerPassword, initialCredentialsPath, OWNER_PASSWORD_CHANGED, writeInitialCredentials } =
  await import("@/lib/auth/initial-credentials");

const PASSWORD_LINE = 'Owner password (/admin, user "owner"): s3cret-generated';
const KEY_LINE = "POS API key (Authorization: Bearer …): kassa_generated";

describe("forgetGeneratedOwnerPassword", () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "kassa-credentials-"));
    failUnlink.on = false;
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("removes a file that held only the generated owner password", () => {
    const file = writeInitialCredentials(dataDir, [PASSWORD_LINE]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(forgetGeneratedOwnerPassword(dataDir)).toBe("removed");
    expect(existsSync(file)).toBe(false);
  });

  it("keeps the generated API key, which still works, and says the password changed", () => {
    writeInitialCredentials(dataDir, [KEY_LINE, PASSWORD_LINE]);
    expect(forgetGeneratedOwnerPassword(dataDir)).toBe("rewritten");
    const text = readFileSync(initialCredentialsPath(dataDir), "utf8");
    expect(text).toBe(`${KEY_LINE}\n${OWNER_PASSWORD_CHANGED}\n`);
    expect(text).not.toContain("s3cret-generated");
    expect(statSync(initialCredentialsPath(dataDir)).mode & 0o777).toBe(0o600);
    // A second change finds nothing more to do.
    expect(forgetGeneratedOwnerPassword(dataDir)).toBe("unchanged");
  });

  it("rewrites the file to say the password changed when it cannot be removed", () => {
    writeInitialCredentials(dataDir, [PASSWORD_LINE]);
    failUnlink.on = true;
    expect(forgetGeneratedOwnerPassword(dataDir)).toBe("rewritten");
    expect(readFileSync(initialCredentialsPath(dataDir), "utf8")).toBe(`${OWNER_PASSWORD_CHANGED}\n`);
  });

  it("does nothing without a file", () => {
    expect(forgetGeneratedOwnerPassword(dataDir)).toBe("unchanged");
    expect(existsSync(initialCredentialsPath(dataDir))).toBe(false);
  });
});
