// POST /api/v1/terminals/{id}/pair: the cashier enters the code a display shows, binding it to this terminal.
import { z } from "zod";
import { pairDisplay } from "@/lib/display/pairing";
import { handle, json, readJson, requireApiAccess, type RouteParams } from "@/lib/http/api";
import { ProblemError } from "@/lib/http/problem";
import { getRuntime } from "@/lib/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const PairSchema = z.object({
  code: z.string().trim().min(4).max(16),
  label: z.string().trim().min(1).max(80).optional(),
});

export const POST = handle(async (request: Request, { params }: RouteParams<{ id: string }>) => {
  await requireApiAccess(request);
  const { code, label } = await readJson(request, PairSchema);
  const { id } = await params;
  const rt = await getRuntime();
  if (!(await rt.store.getTerminal(id))) throw new ProblemError("notFound", `No terminal with id ${id}`);
  const result = await pairDisplay(rt.store, id, code, rt.clock.now(), label);
  if (!result.ok) {
    const detail =
      result.reason === "expired"
        ? "That code has expired. The display shows a new one; enter that."
        : "No display is showing that code. Check the letters on the display.";
    throw new ProblemError("validation", detail, { errors: [{ field: "code", reason: result.reason }] });
  }
  rt.log.info("Display paired", { terminalId: id, deviceId: result.deviceId });
  return json({ paired: true, terminalId: id, deviceId: result.deviceId }, { status: 201 });
});
