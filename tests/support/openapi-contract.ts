/**
 * Validates HTTP requests and responses against the official Vipps OpenAPI specs that live
 * outside the repo in ../shared/vipps/spec. The specs are read as published; the one external
 * $ref (the Order Management receipt) is pointed at the local copy so validation works offline.
 * Known mistakes in the files are corrected (applyKnownErrata), and where today's API differs from
 * the 2024 files, a small sourced overlay says so (TODAYS_API_OVERLAY); nothing is switched off.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse as parseYaml } from "yaml";

export const SPEC_DIR = path.resolve(process.env.VIPPS_SPEC_DIR ?? path.join(__dirname, "../../../shared/vipps/spec"));
export const specsAvailable = existsSync(path.join(SPEC_DIR, "epayment-v1.yaml"));
export const SPECS_MISSING_MESSAGE = `Vipps OpenAPI specs not found at ${SPEC_DIR}; contract tests skipped (set VIPPS_SPEC_DIR to run them).`;

type SpecName = "epayment" | "webhooks" | "accessToken" | "report" | "qr";

const SPEC_FILES: Record<SpecName | "orderManagement", { file: string; pathPrefix: string }> = {
  epayment: { file: "epayment-v1.yaml", pathPrefix: "" },
  webhooks: { file: "webhooks-v1.yaml", pathPrefix: "/webhooks" },
  accessToken: { file: "access-token.yaml", pathPrefix: "" },
  report: { file: "report-v2.yaml", pathPrefix: "" },
  // Served under /qr (SOURCES.md): the merchant callback QRs of the sticker at the till.
  qr: { file: "qr-v1.yaml", pathPrefix: "/qr" },
  orderManagement: { file: "order-management-2.3.24.yaml", pathPrefix: "" },
};

const ORDER_MANAGEMENT_REMOTE =
  "https://raw.githubusercontent.com/vippsas/vipps-order-management-api/2.3.24/docs/swagger.yaml";

interface Operation {
  spec: SpecName;
  method: string;
  template: string;
  matcher: RegExp;
  operation: Record<string, any>;
  pathItem: Record<string, any>;
}

export interface HttpExchangePart {
  method: string;
  /** Path (and optional query) as the real API would see it, e.g. /epayment/v1/payments/abc. */
  path: string;
  headers?: Record<string, string>;
  status?: number;
  contentType?: string;
  body?: unknown;
}

function rewriteRefs(node: unknown, specId: string): unknown {
  if (Array.isArray(node)) return node.map((item) => rewriteRefs(item, specId));
  if (node && typeof node === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        if (value.startsWith(ORDER_MANAGEMENT_REMOTE))
          out[key] = `orderManagement${value.slice(ORDER_MANAGEMENT_REMOTE.length)}`;
        else if (value.startsWith("#")) out[key] = `${specId}${value}`;
        else out[key] = value;
      } else if (key === "example" || key === "examples") {
        // Examples are documentation, not schema; some contain values the schema itself rejects: drop them.
      } else {
        out[key] = rewriteRefs(value, specId);
      }
    }
    return out;
  }
  return node;
}

/**
 * Known mistakes in the published specs, corrected in memory (the files stay verbatim):
 * - ePayment 1.4.1 `PaymentEvent.required` lists `paymentAction`, a property it never defines; the
 *   real field is `name` (see spec/SOURCES.md).
 * - Access Token `access_token` is declared `format: byte` (base64), but the token is a JWT
 *   (base64url segments joined by dots), which that format rejects.
 * - ePayment `Customer` is a `oneOf` of three variants none of which requires its one property,
 *   so every object matches all three and the oneOf can never pass. Each variant is made to require
 *   its property, which also enforces the documented "exactly one variant" rule.
 * - ePayment `AirlineData` uses free text as `format` (e.g. "IATA 2-letter airline code"); those
 *   annotations are dropped rather than logged as unknown formats.
 * - Report `Transaction` does the same with `time` ("DateTime") and `ledgerDate` ("Date in YYYY-MM-DD
 *   format."); they are replaced by the checks they describe (date-time, and a YYYY-MM-DD pattern).
 */
function applyKnownErrata(name: string, doc: Record<string, any>): Record<string, any> {
  const schemas = doc.components?.schemas ?? {};
  if (name === "epayment" && Array.isArray(schemas.PaymentEvent?.required)) {
    schemas.PaymentEvent.required = schemas.PaymentEvent.required.map((field: string) =>
      field === "paymentAction" ? "name" : field,
    );
  }
  if (name === "epayment") {
    const variants: Record<string, string> = {
      CustomerPhoneNumber: "phoneNumber",
      PersonalQrCode: "personalQr",
      CustomerToken: "customerToken",
    };
    for (const [schemaName, property] of Object.entries(variants)) {
      const variant = schemas[schemaName];
      if (variant && !variant.required) variant.required = [property];
    }
    for (const property of Object.values<Record<string, any>>(schemas.AirlineData?.properties ?? {})) {
      if (typeof property.format === "string" && property.format.includes(" ")) delete property.format;
    }
  }
  if (name === "report") {
    const transaction = schemas.Transaction?.properties ?? {};
    if (transaction.time?.format === "DateTime") transaction.time.format = "date-time";
    if (typeof transaction.ledgerDate?.format === "string" && transaction.ledgerDate.format.includes(" ")) {
      delete transaction.ledgerDate.format;
      transaction.ledgerDate.pattern = "^\\d{4}-\\d{2}-\\d{2}$";
    }
  }
  if (name === "accessToken") {
    for (const schemaName of ["AuthorizationTokenResponse", "TokenResponse"]) {
      const accessToken = schemas[schemaName]?.properties?.access_token;
      if (accessToken?.format === "byte") delete accessToken.format;
    }
  }
  return doc;
}

/**
 * Today's API where it differs from the 2024 spec files: changes Vipps made after those files were
 * published (not mistakes in them, which applyKnownErrata corrects). Each entry is small, names its
 * source, and is applied in memory; `new OpenApiContract({ todaysApi: false })` validates against the
 * files exactly as published, so a test can show that an entry is what makes the difference.
 */
export const TODAYS_API_OVERLAY: readonly {
  spec: SpecName | "orderManagement";
  what: string;
  source: string;
  apply: (doc: Record<string, any>) => void;
}[] = [
  {
    spec: "epayment",
    what: "Reference (schema and path parameter): ^[a-zA-Z0-9-]{8,64}$ instead of {8,50}, since ePayment 1.7",
    source:
      "../shared/research/VIPPS-FACTS.md; vippsas/agent-toolkit plugins/vipps-developer/skills/epayment/SKILL.md " +
      "(create fields) and skills/payment-lifecycle/SKILL.md (reference rules), both giving 8 to 64",
    apply(doc) {
      const reference = doc.components?.schemas?.Reference;
      const pathParameter = doc.components?.parameters?.["Payment-Reference-ID"]?.schema;
      for (const schema of [reference, pathParameter]) {
        if (!schema)
          throw new Error("overlay: the ePayment spec no longer has the Reference schema this entry patches");
        schema.pattern = "^[a-zA-Z0-9-]{8,64}$";
        schema.maxLength = 64;
      }
    },
  },
  {
    spec: "orderManagement",
    what:
      "OrderLine.taxRate (integer 0–10000, basis points) added; taxPercentage deprecated and no longer required; " +
      "one of the two must be set",
    source:
      "the live ePayment spec as generated into vippsas/deno-sdk src/generated_types/epayment/types.gen.ts " +
      "(HEAD 2024-11: taxRate from 0 to 10000, one of taxRate and taxPercentage required, taxPercentage deprecated); " +
      "../shared/vipps/spec/SOURCES.md; vippsas/agent-toolkit plugins/vipps-developer/skills/order-management/SKILL.md; " +
      "../shared/research/VIPPS-FACTS.md",
    apply(doc) {
      const line = doc.components?.schemas?.OrderLine;
      if (!line?.properties?.taxPercentage)
        throw new Error("overlay: the receipt spec no longer has the OrderLine this entry patches");
      line.properties.taxRate = { type: "integer", format: "int32", minimum: 0, maximum: 10_000, nullable: true };
      line.properties.taxPercentage = { ...line.properties.taxPercentage, nullable: true, deprecated: true };
      line.required = (line.required as string[]).filter((field) => field !== "taxPercentage");
      // One of the two must be set: present and not null.
      line.anyOf = [
        { required: ["taxRate"], properties: { taxRate: { type: "integer" } } },
        { required: ["taxPercentage"], properties: { taxPercentage: { type: "integer" } } },
      ];
    },
  },
  {
    spec: "epayment",
    what:
      "423 Locked (a Problem) on capture, cancel, refund and force approve: another operation holds the payment; " +
      "the 1.4.1 file lists only 400, 404 and 409 (and 200 for force approve)",
    source:
      "developer.vippsmobilepay.com/docs/knowledge-base/errors (the HTTP status table: 423 Locked, retried like 429); " +
      "vippsas/agent-toolkit plugins/vipps-developer/skills/epayment/references/errors.md (423, error 6160 Order processing); " +
      "../shared/research/VIPPS-FACTS.md",
    apply(doc) {
      for (const path of [
        "/epayment/v1/payments/{reference}/capture",
        "/epayment/v1/payments/{reference}/cancel",
        "/epayment/v1/payments/{reference}/refund",
        "/epayment/v1/test/payments/{reference}/approve",
      ]) {
        const responses = doc.paths?.[path]?.post?.responses;
        if (!responses) throw new Error(`overlay: the ePayment spec no longer has POST ${path}`);
        responses["423"] = { $ref: "epayment#/components/responses/ProblemResponse" };
      }
    },
  },
  {
    spec: "report",
    what:
      "Transaction.entryType is an open set: today's funds types add payout-scheduled and credit-note to the " +
      "2023 list, and Vipps adds types without notice, so any string is valid (the 2023 enum is dropped)",
    source:
      "../shared/vipps/spec/SOURCES.md (notes on report-v2.yaml); developer.vippsmobilepay.com/docs/APIs/report-api/" +
      "api-guide/entry-types (the funds and fees entry types, and that new ones may appear without prior notice)",
    apply(doc) {
      const entryType = doc.components?.schemas?.Transaction?.properties?.entryType;
      if (!Array.isArray(entryType?.enum))
        throw new Error("overlay: the Report spec no longer has the entryType enum this entry opens");
      delete entryType.enum;
    },
  },
  {
    spec: "report",
    what:
      "Ledger gains currency (in the 2023 file's example but not its schema) and salesUnits " +
      "(name, recipientHandle, businessIdentifier): one ledger per sales unit since February 2025",
    source:
      "../shared/vipps/spec/SOURCES.md; developer.vippsmobilepay.com/docs/APIs/report-api/api-guide/" +
      "fetching-report-data (the GET /settlement/v1/ledgers example response)",
    apply(doc) {
      const ledger = doc.components?.schemas?.Ledger;
      if (!ledger?.properties) throw new Error("overlay: the Report spec no longer has the Ledger schema");
      ledger.properties.currency = { type: "string", enum: ["NOK", "DKK", "EUR"] };
      ledger.properties.salesUnits = {
        type: "array",
        items: {
          type: "object",
          required: ["recipientHandle"],
          properties: {
            name: { type: "string" },
            recipientHandle: { type: "string" },
            businessIdentifier: { $ref: "report#/components/schemas/Organization" },
          },
        },
      };
    },
  },
];

function applyTodaysApi(name: string, doc: Record<string, any>): Record<string, any> {
  for (const entry of TODAYS_API_OVERLAY) if (entry.spec === name) entry.apply(doc);
  return doc;
}

export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly operations: Operation[] = [];
  private readonly docs = new Map<string, Record<string, any>>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(options: { specDir?: string; todaysApi?: boolean } = {}) {
    const specDir = options.specDir ?? SPEC_DIR;
    const todaysApi = options.todaysApi ?? true;
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addFormat("int64", { type: "number", validate: (value: number) => Number.isInteger(value) });
    this.ajv.addFormat("int32", { type: "number", validate: (value: number) => Number.isInteger(value) });
    // The Access Token spec types client_id as "guid", a .NET name ajv-formats does not know.
    this.ajv.addFormat("guid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    for (const [name, { file, pathPrefix }] of Object.entries(SPEC_FILES)) {
      const raw = parseYaml(readFileSync(path.join(specDir, file), "utf8")) as Record<string, any>;
      const corrected = applyKnownErrata(name, rewriteRefs(raw, name) as Record<string, any>);
      const doc = todaysApi ? applyTodaysApi(name, corrected) : corrected;
      this.docs.set(name, doc);
      this.ajv.addSchema({ $id: name, components: doc.components ?? {} });
      if (name === "orderManagement") continue;
      for (const [template, pathItem] of Object.entries<Record<string, any>>(doc.paths ?? {})) {
        const full = `${pathPrefix}${template}`;
        const matcher = new RegExp(`^${full.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`);
        for (const method of ["get", "post", "put", "delete", "patch"]) {
          if (pathItem[method]) {
            this.operations.push({
              spec: name as SpecName,
              method,
              template: full,
              matcher,
              operation: pathItem[method],
              pathItem,
            });
          }
        }
      }
    }
  }

  findOperation(method: string, pathAndQuery: string): Operation | undefined {
    const pathOnly = pathAndQuery.split("?")[0] ?? "";
    return this.operations.find((op) => op.method === method.toLowerCase() && op.matcher.test(pathOnly));
  }

  private resolve(spec: string, node: any): any {
    let current = node;
    while (current && typeof current.$ref === "string") {
      const [docName, pointer] = current.$ref.split("#");
      const doc = this.docs.get(docName || spec);
      current = pointer!
        .split("/")
        .slice(1)
        .reduce((acc: any, key: string) => acc?.[key], doc);
    }
    return current;
  }

  private validator(key: string, schema: unknown): ValidateFunction {
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.compile(schema as object);
      this.compiled.set(key, fn);
    }
    return fn;
  }

  /** Returns a list of human-readable contract violations; empty means the request conforms. */
  validateRequest(request: HttpExchangePart): string[] {
    const op = this.findOperation(request.method, request.path);
    if (!op) return [`No operation in the specs for ${request.method} ${request.path}`];
    const errors: string[] = [];
    const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const params = [...(op.pathItem.parameters ?? []), ...(op.operation.parameters ?? [])].map((p) =>
      this.resolve(op.spec, p),
    );
    for (const param of params) {
      if (param?.in !== "header") continue;
      const value = headers[String(param.name).toLowerCase()];
      if (value === undefined) {
        if (param.required) errors.push(`missing required header ${param.name}`);
        continue;
      }
      if (param.schema) {
        const validate = this.validator(`${op.spec}:${op.template}:${op.method}:header:${param.name}`, param.schema);
        if (!validate(value)) errors.push(`header ${param.name}: ${this.ajv.errorsText(validate.errors)}`);
      }
    }
    const requestBody = this.resolve(op.spec, op.operation.requestBody);
    if (requestBody?.content) {
      const media = requestBody.content["application/json"] ?? Object.values(requestBody.content)[0];
      if (request.body === undefined || request.body === null || request.body === "") {
        if (requestBody.required) errors.push("missing required request body");
      } else if (media?.schema) {
        const validate = this.validator(`${op.spec}:${op.template}:${op.method}:request`, media.schema);
        if (!validate(request.body)) errors.push(`request body: ${this.ajv.errorsText(validate.errors)}`);
      }
    }
    return errors;
  }

  /** Validates a response body against the schema the spec gives for that status code. */
  validateResponse(response: HttpExchangePart & { status: number }): string[] {
    const op = this.findOperation(response.method, response.path);
    if (!op) return [`No operation in the specs for ${response.method} ${response.path}`];
    const declared = op.operation.responses?.[String(response.status)] ?? op.operation.responses?.default;
    if (!declared) {
      return [`status ${response.status} is not declared for ${op.operation.operationId ?? op.template}`];
    }
    const resolved = this.resolve(op.spec, declared);
    if (!resolved?.content) {
      return response.body === undefined || response.body === "" || response.body === null
        ? []
        : [`status ${response.status} declares no body but one was sent`];
    }
    const media = Object.values<any>(resolved.content)[0];
    if (!media?.schema) return [];
    const validate = this.validator(`${op.spec}:${op.template}:${op.method}:${response.status}`, media.schema);
    return validate(response.body) ? [] : [`response ${response.status} body: ${this.ajv.errorsText(validate.errors)}`];
  }

  /** Schema-level check for payloads that are not an operation's response, such as webhook events. */
  validateSchema(spec: SpecName, schemaName: string, value: unknown): string[] {
    const validate = this.validator(`${spec}:schema:${schemaName}`, {
      $ref: `${spec}#/components/schemas/${schemaName}`,
    });
    return validate(value) ? [] : [`${schemaName}: ${this.ajv.errorsText(validate.errors)}`];
  }
}
