/** presentFields: how a NULL column or an empty input becomes an optional field left out. */
import { describe, expect, it } from "vitest";
import { presentFields } from "@/lib/entities/present-fields";

describe("presentFields", () => {
  it("keeps the fields that have a value and leaves out null, undefined and empty text", () => {
    const fields = presentFields({
      address: "Storgata 1",
      organisationNumber: null,
      msn: "",
      operator: undefined,
      vipps: { clientId: "c" },
    });
    expect(fields).toStrictEqual({ address: "Storgata 1", vipps: { clientId: "c" } });
    expect(Object.keys(fields)).toEqual(["address", "vipps"]);
  });

  it("keeps values that are only falsy (0, false): they are values, not absence", () => {
    expect(presentFields({ count: 0, on: false, blank: " " })).toStrictEqual({ count: 0, on: false, blank: " " });
  });

  it("gives nothing to spread when no field has a value", () => {
    expect({ id: "s1", ...presentFields({ msn: null, receiptId: "" }) }).toStrictEqual({ id: "s1" });
  });
});
