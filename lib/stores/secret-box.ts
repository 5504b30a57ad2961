import "server-only";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The file the simulator's secrets key is kept in when KASSA_SECRETS_KEY is not set (data-dir.ts keeps it 0600). */
export const SECRETS_KEY_FILE = "secrets.key";

const VERSION = "v1";

/**
 * Seals the stores' Vipps secrets (client secret, subscription key) with AES-256-GCM under the
 * deployment's secrets key, so that a copy of the database alone does not give them away. What is
 * sealed is bound to its store (the additional data), so a sealed value moved to another store's
 * row does not open there.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string) {
    // Any long random text will do as KASSA_SECRETS_KEY; its SHA-256 is the AES key.
    this.key = createHash("sha256").update(`kassa-secrets:${secret}`).digest();
  }

  seal(plain: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(boundTo, "utf8"));
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body]
      .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
      .join(".");
  }

  /** The plain text, or an Error when the value was sealed under another key or for another store. */
  open(sealed: string, boundTo: string): string {
    const [version, iv, tag, body] = sealed.split(".");
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("not a sealed value of this version");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(boundTo, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    try {
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    } catch (cause) {
      throw new Error("the sealed value does not open with this KASSA_SECRETS_KEY", { cause });
    }
  }
}

/**
 * The deployment's secret box: KASSA_SECRETS_KEY when set; in simulator mode without it, a key
 * generated once and kept in the data directory; otherwise none, and a store cannot keep keys of
 * its own (it uses the partner keys).
 */
export function loadSecretBox(options: {
  secretsKey?: string;
  simulator: boolean;
  dataDir: string;
}): SecretBox | undefined {
  if (options.secretsKey) return new SecretBox(options.secretsKey);
  if (!options.simulator) return undefined;
  const file = path.join(options.dataDir, SECRETS_KEY_FILE);
  let key: string;
  try {
    key = readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    key = randomBytes(32).toString("base64url");
    // "wx": of two instances starting at once, one writes and the other reads what it wrote.
    try {
      writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== "EEXIST") throw raced;
      key = readFileSync(file, "utf8").trim();
    }
  }
  chmodSync(file, 0o600);
  return new SecretBox(key);
}
