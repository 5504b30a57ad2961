import "server-only";
import { hash, verify } from "@node-rs/argon2";
import { verifyAdminPassword } from "./admin-session";

/**
 * Passwords and PINs are hashed with argon2id. The single admin password of earlier versions was
 * an scrypt hash; the owner account carries it over, it keeps verifying, and the owner's next
 * successful sign-in stores an argon2id hash instead (needsRehash).
 */
export function hashSecret(secret: string): Promise<string> {
  // The package's default algorithm is argon2id (its Algorithm enum is a const enum this build cannot name).
  return hash(secret);
}

export async function verifySecret(
  input: string,
  stored: string | null,
): Promise<{ ok: boolean; needsRehash: boolean }> {
  if (!stored) return { ok: false, needsRehash: false };
  if (stored.startsWith("scrypt$")) {
    const ok = await verifyAdminPassword(input, stored);
    return { ok, needsRehash: ok };
  }
  try {
    return { ok: await verify(stored, input), needsRehash: false };
  } catch {
    // A garbled hash is a wrong password, not a crash.
    return { ok: false, needsRehash: false };
  }
}

/** Verified against when the username is unknown, so that a wrong username takes as long as a wrong password. */
let decoy: Promise<string> | undefined;
export async function spendVerifyTime(input: string): Promise<void> {
  decoy ??= hashSecret("decoy-password-never-matches");
  await verifySecret(input, await decoy);
}
