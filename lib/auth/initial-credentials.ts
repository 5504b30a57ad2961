import "server-only";
import { chmodSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * data/initial-credentials.txt: the credentials generated on the first start, for the person who
 * set the server up, readable by the owner of the process only. Its owner password line is true
 * only until that password changes; after that the file must not go on offering a stale password.
 */
export const INITIAL_CREDENTIALS_FILE = "initial-credentials.txt";

const OWNER_PASSWORD_LINE = "Owner password ";

export function initialCredentialsPath(dataDir: string): string {
  return path.join(dataDir, INITIAL_CREDENTIALS_FILE);
}

/** Writes the generated credentials, one a line; returns the file's path. */
export function writeInitialCredentials(dataDir: string, lines: string[]): string {
  const file = initialCredentialsPath(dataDir);
  writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** The line that takes the place of the generated password when the file cannot be removed. */
export const OWNER_PASSWORD_CHANGED =
  "Owner password: changed since the first start; the generated one no longer works.";

/**
 * The owner's password was changed: the generated one goes from the file. A file with nothing else
 * in it is removed; one that still holds the generated API key keeps that line. Where the file cannot
 * be removed, it is rewritten to say the password was changed. No file (deleted already, or never
 * written because the password came from KASSA_ADMIN_PASSWORD) is nothing to do.
 */
export function forgetGeneratedOwnerPassword(dataDir: string): "removed" | "rewritten" | "unchanged" {
  const file = initialCredentialsPath(dataDir);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return "unchanged";
  }
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  if (!lines.some((line) => line.startsWith(OWNER_PASSWORD_LINE))) return "unchanged";
  const kept = lines.filter((line) => !line.startsWith(OWNER_PASSWORD_LINE));
  if (kept.length === 0) {
    try {
      unlinkSync(file);
      return "removed";
    } catch {
      // A directory the process may write files in but not unlink from (sticky bit, odd mounts): say so in the file.
    }
  }
  writeFileSync(file, `${[...kept, OWNER_PASSWORD_CHANGED].join("\n")}\n`, { mode: 0o600 });
  return "rewritten";
}
