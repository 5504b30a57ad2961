import type { z } from "zod";
import { ProblemSchema } from "@/lib/contracts/problems";
import { PROBLEM_TYPES, type ProblemKind } from "@/lib/http/problem";
import { ref } from "./components";

/** The pieces operations are written with: media types, examples, path parameters and problem answers. */

export type Example = { summary: string; value: unknown };
export type Examples = Record<string, Example>;
export const one = (summary: string, value: unknown): Examples => ({ example: { summary, value } });
/** A JSON body: always one of the contract's components, by reference. */
export const json = (schema: z.ZodType, examples: Examples) => ({
  "application/json": { schema: ref(schema), examples },
});
export const ok = (schema: z.ZodType, examples: Examples, status = "200", description = "OK") => ({
  [status]: { description, content: json(schema, examples) },
});
export const body = (schema: z.ZodType, examples: Examples, required = true) => ({
  required,
  content: json(schema, examples),
});
export const idParam = (name: string, example: string, description?: string) => ({
  name,
  in: "path",
  required: true,
  schema: { type: "string" },
  example,
  ...(description ? { description } : {}),
});

const PROBLEM_BASE = "https://kassa.display/problems/";

/**
 * A problem example built from the app's own problem table, so type, title and status are the ones
 * it sends. Keyed by the problem's slug, or by `key` where one status has two examples of a kind.
 */
export function problemExample(
  kind: ProblemKind,
  detail: string,
  extra: Record<string, unknown> = {},
  key?: string,
): [string, Example] {
  const { slug, title, status } = PROBLEM_TYPES[kind];
  return [key ?? slug, { summary: title, value: { type: `${PROBLEM_BASE}${slug}`, title, status, detail, ...extra } }];
}

const retryAfter = {
  "Retry-After": { description: "Seconds to wait before trying again", schema: { type: "integer", minimum: 1 } },
};

/** Problem responses grouped by status, each with an example of every problem it may be. */
export function problems(...entries: [string, Example][]) {
  const byStatus = new Map<number, Examples>();
  for (const [key, example] of entries) {
    const status = (example.value as { status: number }).status;
    byStatus.set(status, { ...byStatus.get(status), [key]: example });
  }
  return Object.fromEntries(
    [...byStatus.entries()].map(([status, examples]) => {
      const titles = [...new Set(Object.values(examples).map((example) => example.summary))];
      const keys = Object.keys(examples);
      // 429 always says when to try again; of the 409s only sale-busy does.
      const headers = status === 429 || keys.includes(PROBLEM_TYPES.saleBusy.slug) ? { headers: retryAfter } : {};
      return [
        String(status),
        {
          description: titles.join("; "),
          ...headers,
          content: { "application/problem+json": { schema: ref(ProblemSchema), examples } },
        },
      ];
    }),
  );
}

/** The problems many endpoints can answer with. */
export const common = {
  unauthorized: problemExample(
    "unauthorized",
    "Send Authorization: Bearer <KASSA_API_KEY>, or sign in to the admin page.",
  ),
  malformedJson: problemExample("malformedJson", "The body is not valid JSON (UTF-8)"),
  unsupportedMediaType: problemExample("unsupportedMediaType", "Send the body as application/json"),
  payloadTooLarge: problemExample("payloadTooLarge", "The body may be at most 65536 bytes"),
  unavailable: (what: string) =>
    problemExample("paymentProviderUnavailable", `${what}: TimeoutError: The operation was aborted due to timeout`),
  refused: (what: string) =>
    problemExample("paymentProvider", `${what}: 400 The payment is not in a state that allows this`),
  rateLimited: (what: string) => problemExample("paymentProviderRateLimited", `${what}: 429 Too many requests`),
  saleNotFound: problemExample("notFound", "No sale with id sale_tCb3xdFe3lNoYw"),
  terminalNotFound: problemExample("notFound", "No terminal with id pos-9"),
  productNotFound: problemExample("notFound", "No product with id prod_473e0c3719da"),
  // Answered before any route runs (proxy.ts), for a path parameter whose escapes do not decode.
  malformedPath: problemExample(
    "validation",
    "The path /api/v1/sales/%ff has a malformed percent-escape: it does not decode to UTF-8 text.",
    { errors: [{ field: "(path)", reason: "malformed percent-encoding" }] },
    "malformed-path",
  ),
};

/** The problems of any request with a JSON body, besides its own validation. */
export const bodyProblems = [common.malformedJson, common.unsupportedMediaType, common.payloadTooLarge];
