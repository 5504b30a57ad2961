import "server-only";
import { randomBytes } from "node:crypto";
import { DomainError } from "@/lib/errors";
import type { CountersRepository } from "@/lib/store/repositories";
import type { TerminalCreateRequest } from "@/lib/contracts/terminals";
import { nextFreeTerminalId } from "@/lib/entities/terminal-ids";
import type { Terminal } from "@/lib/entities/terminal";

/** The secret of a display link: 144 random bits, URL-safe. */
export const newDisplayToken = () => randomBytes(18).toString("base64url");

/**
 * Adds a terminal with a fresh display token. A given id that exists is a 409; without an id the
 * next free `pos-N` is taken, trying the following one if a concurrent request got there first.
 */
export async function createTerminal(
  counters: CountersRepository,
  input: TerminalCreateRequest,
  nowIso: string,
): Promise<Terminal> {
  const build = (id: string): Terminal => ({
    id,
    name: input.name,
    posId: input.posId ?? id,
    language: input.language,
    currency: input.currency,
    displayToken: newDisplayToken(),
    createdAt: nowIso,
    ...(input.storeId ? { storeId: input.storeId } : {}),
  });

  if (input.id !== undefined) {
    const terminal = build(input.id);
    if (!(await counters.insertTerminal(terminal))) {
      throw new DomainError("conflict", `A terminal with id ${input.id} already exists`, {
        errors: [{ field: "id", reason: "already exists" }],
      });
    }
    return terminal;
  }

  const taken = new Set((await counters.listTerminals()).map((terminal) => terminal.id));
  for (let tries = 0; tries < 20; tries += 1) {
    const terminal = build(nextFreeTerminalId(taken));
    if (await counters.insertTerminal(terminal)) return terminal;
    taken.add(terminal.id);
  }
  throw new Error("Could not find a free terminal id");
}
