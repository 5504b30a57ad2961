import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { fieldErrorsFromZod } from "@/lib/http/problem";
import { ProductInputSchema, ProductPatchSchema } from "@/lib/contracts/catalogue";
import { createSaleSchemaFor } from "@/lib/contracts/sales";
import { SettingsPatchSchema } from "@/lib/contracts/settings";
import { PairRequestSchema, TerminalCreateSchema, TerminalPatchSchema } from "@/lib/contracts/terminals";

/** Each schema with a text field that people see, and a valid body to put a text into. */
const FIELDS: { what: string; schema: (body: unknown) => z.ZodType; body: (text: string) => unknown; field: string }[] =
  [
    {
      what: "product name",
      schema: () => ProductInputSchema,
      body: (name) => ({ name, unitPrice: 100 }),
      field: "name",
    },
    { what: "product name (patch)", schema: () => ProductPatchSchema, body: (name) => ({ name }), field: "name" },
    {
      what: "sale line name",
      schema: createSaleSchemaFor,
      body: (name) => ({ terminalId: "pos-1", currency: "NOK", lines: [{ name, quantity: 1, unitPrice: 100 }] }),
      field: "lines[0].name",
    },
    {
      what: "description of a sale with lines",
      schema: createSaleSchemaFor,
      body: (description) => ({
        terminalId: "pos-1",
        currency: "NOK",
        lines: [{ name: "Kaffe", quantity: 1, unitPrice: 100 }],
        description,
      }),
      field: "description",
    },
    {
      what: "description of an amount sale",
      schema: createSaleSchemaFor,
      body: (description) => ({ terminalId: "pos-1", currency: "NOK", amount: 25_000, description }),
      field: "description",
    },
    { what: "terminal name", schema: () => TerminalCreateSchema, body: (name) => ({ name }), field: "name" },
    { what: "terminal name (patch)", schema: () => TerminalPatchSchema, body: (name) => ({ name }), field: "name" },
    { what: "shop name", schema: () => SettingsPatchSchema, body: (shopName) => ({ shopName }), field: "shopName" },
    {
      what: "pairing label",
      schema: () => PairRequestSchema,
      body: (label) => ({ code: "ABCD-1234", label }),
      field: "label",
    },
  ];

const REFUSED: [string, string][] = [
  ["right-to-left override (shows 'evil' as 'live')", "ev\u202eil"],
  ["left-to-right embedding", "Kaf\u202afe"],
  ["pop directional formatting", "Kaf\u202cfe"],
  ["right-to-left isolate", "Kaf\u2067fe"],
  ["pop directional isolate", "Kaf\u2069fe"],
  ["first strong isolate", "Kaf\u2068fe"],
  ["left-to-right mark", "Kaf\u200efe"],
  ["right-to-left mark", "Kaf\u200ffe"],
  ["Arabic letter mark", "Kaf\u061cfe"],
  ["NUL", "Kaf\u0000fe"],
  ["bell", "Kaf\u0007fe"],
  ["escape (terminal colour codes)", "Kaf\u001b[31mfe"],
  ["line feed", "Kaf\nfe"],
  ["carriage return", "Kaf\rfe"],
  ["tab", "Kaf\tfe"],
  ["DEL", "Kaf\u007ffe"],
  ["C1 next line", "Kaf\u0085fe"],
  ["C1 control sequence introducer", "Kaf\u009bfe"],
  ["line separator", "Kaf\u2028fe"],
  ["paragraph separator", "Kaf\u2029fe"],
  ["zero-width space", "Kaf\u200bfe"],
  ["word joiner", "Kaf\u2060fe"],
  ["byte order mark inside the text", "Kaf\ufefffe"],
  ["soft hyphen", "Kaf\u00adfe"],
  ["invisible tag characters", "Kaffe\u{e0041}\u{e0042}"],
  ["interlinear annotation", "Kaf\ufff9fe"],
  ["lone surrogate", "Kaf\ud800fe"],
];

const ACCEPTED = [
  "Kaffe latte",
  "Smørbrød med rekesalat",
  "Café ☕️",
  "👨‍👩‍👧 familiebillett",
  "Øl 0,5 l 🇳🇴",
  "قهوة",
  "کتاب‌ها",
  "Mélange «spesial»",
  "東京駅",
];

describe.each(FIELDS)("$what", ({ schema, body, field }) => {
  it.each(REFUSED)("refuses a %s, naming the field and the character", (_name, text) => {
    const value = body(text);
    const parsed = schema(value).safeParse(value);
    expect(parsed.success).toBe(false);
    const errors = fieldErrorsFromZod(parsed.error!.issues);
    expect(errors.map((e) => e.field)).toEqual([field]);
    expect(errors[0]!.reason).toMatch(/U\+[0-9A-F]{4,5}/);
  });

  it.each(ACCEPTED)("accepts %j", (text) => {
    const value = body(text);
    const parsed = schema(value).safeParse(value);
    expect(parsed.error?.issues).toBeUndefined();
  });

  it("still trims spaces and line breaks around the text instead of refusing them", () => {
    const value = body("\t Kaffe latte \r\n");
    const parsed = schema(value).safeParse(value);
    expect(parsed.success).toBe(true);
    expect(JSON.stringify(parsed.data)).toContain('"Kaffe latte"');
  });
});

describe("the reason", () => {
  it("names the offending code point, so that an invisible character can be found", () => {
    const parsed = ProductInputSchema.safeParse({ name: "ev\u202eil", unitPrice: 100 });
    expect(parsed.error?.issues[0]?.message).toContain("U+202E");
  });
});
