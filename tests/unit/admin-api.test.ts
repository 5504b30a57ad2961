/**
 * How the admin page reads a failed request into a message for the cashier: the problem's detail
 * (or its first field's reason where that is the more precise), else the page's own fallback.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, apiFetch, errorText } from "@/components/admin/api";

afterEach(() => {
  vi.unstubAllGlobals();
});

const problem = (status: number, body: unknown, contentType = "application/problem+json") =>
  new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": contentType },
  });

describe("errorText", () => {
  const invalid = new ApiError(400, {
    title: "The request is not valid",
    detail: "name: too long; price: must be a whole number",
    errors: [{ field: "name", reason: "too long" }],
  });

  it("is the problem's detail, or its title when it has none", () => {
    expect(errorText(invalid, "Something went wrong")).toBe("name: too long; price: must be a whole number");
    expect(errorText(new ApiError(409, { title: "The sale is not in a state that allows this" }), "x")).toBe(
      "The sale is not in a state that allows this",
    );
  });

  it("is the first field's reason when asked for, and the detail when there is no field", () => {
    expect(errorText(invalid, "x", { firstField: true })).toBe("name: too long");
    expect(
      errorText(new ApiError(413, { detail: "The logo may be at most 262144 bytes" }), "x", { firstField: true }),
    ).toBe("The logo may be at most 262144 bytes");
  });

  it("is the fallback for anything that is not the API's answer", () => {
    expect(errorText(new TypeError("Failed to fetch"), "Something went wrong")).toBe("Something went wrong");
    expect(errorText(undefined, "Something went wrong")).toBe("Something went wrong");
  });
});

describe("apiFetch", () => {
  it("throws the problem of a failed answer, and the status alone when the answer is not JSON", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => problem(409, { title: "Already exists", detail: "A terminal with id pos-1 exists" })),
    );
    await expect(apiFetch("/api/v1/terminals", { method: "POST", json: { id: "pos-1" } })).rejects.toMatchObject({
      status: 409,
      message: "A terminal with id pos-1 exists",
    });
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => problem(502, "<html>Bad gateway</html>", "text/html")),
    );
    await expect(apiFetch("/api/v1/terminals")).rejects.toMatchObject({ status: 502, message: "Request failed (502)" });
  });

  it("sends a file as it is, with the content type it is given", async () => {
    const fetch = vi.fn(
      async (_url: string, _init: RequestInit) => new Response(JSON.stringify({ shopName: "Kassa" }), { status: 200 }),
    );
    vi.stubGlobal("fetch", fetch);
    const logo = new Blob(["<svg/>"], { type: "image/svg+xml" });
    expect(
      await apiFetch("/api/v1/settings/logo", {
        method: "PUT",
        headers: { "content-type": "image/svg+xml" },
        body: logo,
      }),
    ).toEqual({ shopName: "Kassa" });
    const [, init] = fetch.mock.calls[0]!;
    expect(init).toMatchObject({
      method: "PUT",
      body: logo,
      headers: { "content-type": "image/svg+xml" },
      credentials: "same-origin",
    });
  });
});
