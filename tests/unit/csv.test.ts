import { describe, expect, it } from "vitest";
import { csvField, csvRow, decimalAmount } from "@/lib/reports/csv";

describe("CSV export cells", () => {
  it("quotes every text cell, even one without a comma, so a ';' (Nordic Excel's separator) cannot split it", () => {
    expect(csvField("Kaffe")).toBe('"Kaffe"');
    expect(csvField("Kaffe;=1+1")).toBe('"Kaffe;=1+1"');
    expect(csvField("")).toBe('""');
  });

  it("doubles quotes and keeps commas and line breaks inside the quoted cell (RFC 4180)", () => {
    expect(csvField('Kake "Sjokolade"')).toBe('"Kake ""Sjokolade"""');
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("a\r\nb")).toBe('"a\r\nb"');
  });

  it.each([
    ["=1+1", `"'=1+1"`],
    ["+47 22 00 00 00", `"'+47 22 00 00 00"`],
    ["-2+3", `"'-2+3"`],
    ["@SUM(A1)", `"'@SUM(A1)"`],
    ["\t=1+1", `"'\t=1+1"`],
    ["\r=1+1", `"'\r=1+1"`],
    ["\tKaffe", `"'\tKaffe"`],
    [' =HYPERLINK("http://evil")', `"' =HYPERLINK(""http://evil"")"`],
    ["\u00a0 +1", `"'\u00a0 +1"`],
    ["\uff1d1+1", `"'\uff1d1+1"`],
  ])("neutralises a formula start in %j", (text, expected) => {
    expect(csvField(text)).toBe(expected);
  });

  it("leaves a formula character that is not at the start alone", () => {
    expect(csvField("Kaffe = godt")).toBe('"Kaffe = godt"');
    expect(csvField("2 x Kaffe; 1 x =1+1")).toBe('"2 x Kaffe; 1 x =1+1"');
  });

  it("writes amounts and numbers unquoted, a negative amount included", () => {
    expect(csvField(decimalAmount(12_50))).toBe("12.50");
    expect(csvField(decimalAmount(0))).toBe("0.00");
    expect(csvField(decimalAmount(-5_00))).toBe("-5.00");
    expect(csvField(42)).toBe("42");
  });

  it("treats a string that merely looks like an amount as text", () => {
    expect(csvField("-5.00")).toBe(`"'-5.00"`);
    expect(csvField("12.50")).toBe('"12.50"');
  });

  it("writes a missing value as an empty cell", () => {
    expect(csvField(undefined)).toBe("");
    expect(csvField(null)).toBe("");
  });

  it("joins a row with commas and ends it with CRLF", () => {
    expect(csvRow(["2024-05-01T10:00:00.000Z", "Kaffe;=1+1", decimalAmount(4_500), 7])).toBe(
      '"2024-05-01T10:00:00.000Z","Kaffe;=1+1",45.00,7\r\n',
    );
  });
});
