import "server-only";
import type { Repositories } from "./repositories";

/**
 * One database's repositories, as the composition root (lib/runtime.ts) opens it, hands the
 * repositories out to the services, and closes it. Services never take it whole.
 */
export interface Store extends Repositories {
  close(): Promise<void>;
}
