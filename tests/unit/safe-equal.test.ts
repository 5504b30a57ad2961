/**
 * The one constant-time comparison of secrets: equal only for the same text or bytes, whatever
 * the lengths.
 */
import { describe, expect, it } from "vitest";
import { safeEqual } from "@/lib/safe-equal";

describe("safeEqual", () => {
  it("is true for the same text, and for the same bytes however they are given", () => {
    expect(safeEqual("kassa-secret", "kassa-secret")).toBe(true);
    expect(safeEqual("", "")).toBe(true);
    expect(safeEqual("blåbær", Buffer.from("blåbær", "utf8"))).toBe(true);
    expect(safeEqual(new Uint8Array([1, 2, 3]), Buffer.from([1, 2, 3]))).toBe(true);
  });

  it("is false for other text of the same length, a prefix, a longer one, and a case change", () => {
    expect(safeEqual("kassa-secret", "kassa-secreT")).toBe(false);
    expect(safeEqual("kassa-secret", "kassa")).toBe(false);
    expect(safeEqual("kassa", "kassa-secret")).toBe(false);
    expect(safeEqual("", "x")).toBe(false);
    expect(safeEqual(Buffer.from([1, 2, 3]), Buffer.from([1, 2, 3, 0]))).toBe(false);
  });
});
