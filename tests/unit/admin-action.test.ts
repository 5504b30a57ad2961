/** How an admin page runs a change: refresh after it, the cashier's message when it fails. */
import { describe, expect, it, vi } from "vitest";
import { runAdminAction } from "@/components/admin/admin-action";
import { ApiError } from "@/components/admin/api";

const invalid = new ApiError(400, {
  title: "The request is not valid",
  detail: "name is required",
  errors: [{ field: "name", reason: "is required" }],
});

describe("runAdminAction", () => {
  it("clears the last message, runs the change and then refreshes the page's data", async () => {
    const order: string[] = [];
    const report = vi.fn((error: string | null) => order.push(`report ${error}`));
    await runAdminAction(
      async () => void order.push("work"),
      async () => void order.push("refresh"),
      report,
      "Something went wrong",
    );
    expect(order).toEqual(["report null", "work", "refresh"]);
  });

  it("on a failure refreshes nothing and says why: the problem's detail, or its first field where asked", async () => {
    const refresh = vi.fn(async () => {});
    const report = vi.fn();
    await runAdminAction(() => Promise.reject(invalid), refresh, report, "Something went wrong");
    await runAdminAction(() => Promise.reject(invalid), refresh, report, "Something went wrong", { firstField: true });
    await runAdminAction(() => Promise.reject(new TypeError("offline")), refresh, report, "Something went wrong");
    expect(refresh).not.toHaveBeenCalled();
    expect(report.mock.calls).toEqual([
      [null],
      ["name is required"],
      [null],
      ["name: is required"],
      [null],
      ["Something went wrong"],
    ]);
  });
});
