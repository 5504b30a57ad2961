import { z } from "zod";
import { requestComponents, responseComponents } from "@/lib/contracts/components";
// Each contract registers its schemas when loaded: all of them, so that the components are complete.
import "@/lib/contracts/catalogue";
import "@/lib/contracts/go-live";
import "@/lib/contracts/pos-events";
import "@/lib/contracts/problems";
import "@/lib/contracts/sales";
import "@/lib/contracts/settings";
import "@/lib/contracts/settlements";
import "@/lib/contracts/terminals";

/**
 * The contracts' zod schemas as OpenAPI 3.1 schema objects (JSON Schema 2020-12), by zod's own
 * converter. A schema registered as a component appears once, under its name; others refer to it.
 */

type JsonSchema = Record<string, unknown>;

const COMPONENTS = "#/components/schemas/";

/**
 * zod states JavaScript's safe-integer range on every whole number: a limit of the language, not
 * of the API, and noise on every amount and count of the reference. Its own `$schema` and `$id`
 * belong to a standalone schema, not to one inside the document.
 */
function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (!node || typeof node !== "object") return node;
  const entries = Object.entries(node).filter(([key, value]) => {
    if (key === "$schema" || key === "$id") return false;
    if (key === "minimum" && value === Number.MIN_SAFE_INTEGER) return false;
    if (key === "maximum" && value === Number.MAX_SAFE_INTEGER) return false;
    return true;
  });
  return Object.fromEntries(entries.map(([key, value]) => [key, tidy(value)]));
}

function convert(registry: typeof requestComponents, io: "input" | "output"): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    uri: (id) => `${COMPONENTS}${id}`,
  });
  // Only a schema that zod had to name itself (a cycle, or an id given elsewhere) lands here, and would point outside the document.
  if ("__shared" in schemas) throw new Error("A contract schema refers to a schema that is not a component");
  return tidy(schemas) as Record<string, JsonSchema>;
}

let generated: Record<string, JsonSchema> | undefined;

/** components/schemas: requests as a client writes them, responses as the server writes them. */
export function componentSchemas(): Record<string, JsonSchema> {
  if (!generated) {
    const requests = convert(requestComponents, "input");
    const responses = convert(responseComponents, "output");
    const both = Object.keys(requests).filter((id) => id in responses);
    if (both.length > 0) throw new Error(`Component names used for a request and a response: ${both.join(", ")}`);
    generated = { ...requests, ...responses };
  }
  return generated;
}

/** A reference to the component a contract schema is registered as. */
export function ref(schema: z.ZodType): { $ref: string } {
  const id = requestComponents.get(schema)?.id ?? responseComponents.get(schema)?.id;
  if (!id) throw new Error("This schema is not a component of the API's contract (lib/contracts)");
  return { $ref: `${COMPONENTS}${id}` };
}

/** The members of a query schema, each as a parameter's schema, as a client writes them. */
export function queryParameters(
  schema: z.ZodObject,
): { name: string; in: "query"; required: false; schema: JsonSchema }[] {
  const { properties = {} } = tidy(
    z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" }),
  ) as { properties?: Record<string, JsonSchema> };
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: "query",
    required: false,
    schema: property,
  }));
}
