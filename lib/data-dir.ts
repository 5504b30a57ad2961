import { chmodSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";

/**
 * Makes the data directory private to the app's user: the directory 0700, and each of our own
 * files in it 0600 (OWN_DATA_FILES; a file someone else put there is not ours to change, and its
 * execute bits may matter to them). It holds the databases (API key and password hashes, the session secret, every sale) and
 * initial-credentials.txt (and secrets.key, the simulator's key for the stores' Vipps secrets), while SQLite creates its files with the process umask, commonly 0644.
 *
 * Call it before the store opens, so that the directory is closed to others before any file is
 * made in it, and again once the stores are open, for the database, -wal and -shm files SQLite has
 * just created; later -wal and -shm files take the mode of their (now 0600) database file. The
 * process umask is not changed: it is global to the process, and would hide this from everything
 * else that writes files (Next's cache, logs) for reasons that have nothing to do with them.
 */
/**
 * What the app and the simulator write into the data directory: the SQLite databases with their
 * journal files, and the first start's credentials. Not server-only: the standalone simulator
 * closes its own data directory with it too.
 */
export const OWN_DATA_FILES =
  /^(?:(?:kassa|simulator)\.sqlite(?:-wal|-shm|-journal)?|initial-credentials\.txt|secrets\.key)$/;

export function secureDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      // Not symbolic links: chmod follows them, to a file that is not ours to change.
      if (!entry.isFile() || !OWN_DATA_FILES.test(entry.name)) continue;
      try {
        chmodSync(path.join(dir, entry.name), 0o600);
      } catch (error) {
        // SQLite removes its -wal and -shm when a connection closes; a file gone is no file to hide.
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
  } catch (error) {
    // Printed as the one line of a start that cannot go on (instrumentation.ts).
    throw new Error(`Cannot use the data directory ${dir} (KASSA_DATA_DIR): ${(error as Error).message}`, {
      cause: error,
    });
  }
}
