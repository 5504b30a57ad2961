import { afterEach, describe, expect, it, vi } from "vitest";
import { nodeFetch } from "@/lib/transport/node-fetch";

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

describe("nodeFetch", () => {
  it("calls the fetch that Next's wrapper keeps, not the wrapper", async () => {
    const original = vi.fn(async () => new Response("from node"));
    const wrapper = Object.assign(
      vi.fn(async () => new Response("from the wrapper")),
      { _nextOriginalFetch: original },
    );
    globalThis.fetch = wrapper as unknown as typeof fetch;
    const response = await nodeFetch("http://vipps.test/epayment/v1/payments", { method: "POST" });
    expect(await response.text()).toBe("from node");
    expect(original).toHaveBeenCalledWith("http://vipps.test/epayment/v1/payments", { method: "POST" });
    expect(wrapper).not.toHaveBeenCalled();
  });

  it("calls the global fetch as it is at the time of the call when nothing wrapped it", async () => {
    const interceptor = vi.fn(async () => new Response("intercepted"));
    globalThis.fetch = interceptor as unknown as typeof fetch;
    expect(await (await nodeFetch("http://vipps.test/x")).text()).toBe("intercepted");
    expect(interceptor).toHaveBeenCalledTimes(1);
  });
});
