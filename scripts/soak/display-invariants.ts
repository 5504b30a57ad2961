/**
 * The displays' part of the final check: each shows its terminal's last sale, or idle once that
 * sale's outcome has been shown long enough, and its live stream agrees.
 */
import { OUTCOME_DISPLAY_MS } from "../../lib/display/display-state";
import type { AppSale, CheckContext } from "./check-context";
import { sleep } from "./clients";

/** What a display shows for a sale in each state: the soak's own statement of it, not the app's table. */
const PHASE_BY_STATE: Record<string, string> = {
  pending: "pending",
  authorized: "approved",
  captured: "paid",
  refunded: "paid",
};
const phaseOf = (state: string) => PHASE_BY_STATE[state] ?? (state === "aborted" ? "declined" : state);

async function displayState(
  ctx: CheckContext,
  terminalId: string,
): Promise<{ phase: string; saleId?: string; serverTime: string }> {
  const terminal = await ctx.pos.get(`/api/v1/terminals/${terminalId}`);
  const token = new URL(terminal.body.displayUrl as string).searchParams.get("token") ?? "";
  const response = await fetch(`${ctx.pos.url}/api/display/${terminalId}/state?token=${encodeURIComponent(token)}`);
  if (response.status !== 200) throw new Error(`display state of ${terminalId} answered ${response.status}`);
  const state = (await response.json()) as { phase: string; sale?: { id: string }; serverTime: string };
  return { phase: state.phase, saleId: state.sale?.id, serverTime: state.serverTime };
}

/** Each display shows its terminal's last sale (or idle once an outcome has been shown long enough), also on its live stream. */
export async function checkDisplays(ctx: CheckContext, sales: AppSale[]): Promise<void> {
  for (const terminalId of ctx.terminals) {
    const last = sales
      .filter((sale) => sale.terminalId === terminalId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    const lastKnown = [...ctx.records.values()]
      .filter((record) => record.terminalId === terminalId)
      .sort((a, b) => b.startedAt - a.startedAt)[0];
    if (last && lastKnown && last.id !== lastKnown.id) {
      ctx.journal.violation(
        `display ${terminalId}`,
        `the app's last sale there is ${last.id}, the POS's last is ${lastKnown.id}`,
      );
    }
    let mismatch = "";
    for (let look = 0; look < 3; look++) {
      const shown = await displayState(ctx, terminalId);
      const expected = last ? phaseOf(last.state) : "idle";
      mismatch = "";
      if (shown.phase === "idle") {
        const ended = last?.endedAt ? Date.parse(last.endedAt) : undefined;
        const outcomeOver =
          !last ||
          (expected !== "pending" &&
            expected !== "approved" &&
            ended !== undefined &&
            ended + OUTCOME_DISPLAY_MS <= Date.parse(shown.serverTime) + 500);
        if (!outcomeOver)
          mismatch = `shows idle, but its last sale ${last?.id} is ${last?.state} (ended ${last?.endedAt ?? "not"})`;
      } else if (!last || shown.saleId !== last.id || shown.phase !== expected) {
        mismatch = `shows ${shown.phase} of ${shown.saleId ?? "no sale"}, but its last sale ${last?.id ?? "(none)"} is ${last?.state ?? "-"} (expected ${expected})`;
      }
      const watcher = ctx.watchers.get(terminalId);
      const streamed = watcher?.seen.at(-1);
      if (!mismatch && watcher && (streamed?.phase !== shown.phase || streamed?.saleId !== shown.saleId)) {
        mismatch = `its live stream last showed ${streamed ? `${streamed.phase} of ${streamed.saleId ?? "no sale"}` : "nothing"}, the display state is ${shown.phase} of ${shown.saleId ?? "no sale"}`;
      }
      if (!mismatch) break;
      // An outcome may be turning idle right now: look again.
      await sleep(2500);
    }
    if (mismatch) ctx.journal.violation(`display ${terminalId}`, mismatch);
  }
}
