/**
 * The POS API's own OpenAPI document (GET /api/v1/openapi.json, generated from lib/contracts) as a
 * check on the answers the tests receive: each answer's status must be declared for its operation,
 * its content type must be the declared one, and a JSON or problem+json body must match the
 * declared schema. The document's schemas are strict (a member it does not describe fails), so
 * neither the document nor the code can change shape without the other.
 */
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";

type Json = Record<string, any>;

const METHODS = ["get", "put", "post", "patch", "delete"];
/** The id the document's schemas are added under, so that their #/components/… references resolve. */
const DOCUMENT_ID = "pos-api";

interface PathTemplate {
  template: string;
  matcher: RegExp;
  /** Literal segments match before parameters: /sales/summary is not /sales/{id}. */
  parameters: number;
  item: Json;
}

/** Whether the answer to this path is the document's to describe: the POS API, less the document itself. */
export function describedByPosApiDocument(path: string): boolean {
  const pathname = path.split("?")[0] ?? "";
  return pathname.startsWith("/api/v1/") && pathname !== "/api/v1/openapi.json";
}

export class PosApiContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly templates: PathTemplate[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(document: Json) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });
    this.templates = Object.entries<Json>(document.paths)
      .map(([template, item]) => ({
        template,
        item,
        parameters: (template.match(/\{[^}]+\}/g) ?? []).length,
        matcher: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`),
      }))
      .sort((a, b) => a.parameters - b.parameters);
  }

  /** The document as the app at `baseUrl` serves it. */
  static async load(baseUrl: string): Promise<PosApiContract> {
    const response = await fetch(`${baseUrl}/api/v1/openapi.json`);
    if (!response.ok) throw new Error(`GET /api/v1/openapi.json answered ${response.status}`);
    return new PosApiContract((await response.json()) as Json);
  }

  /** What is wrong with this answer according to the document; empty when it conforms. */
  mismatches(answer: {
    method: string;
    path: string;
    status: number;
    contentType: string | null;
    body: string;
  }): string[] {
    const method = answer.method.toLowerCase();
    const pathname = answer.path.split("?")[0] ?? "";
    const template = this.templates.find((candidate) => candidate.matcher.test(pathname));
    if (!template) return [`the path ${pathname} is not in the OpenAPI document`];
    const operation: Json | undefined = template.item[method];
    if (!operation) {
      // A method the document does not offer on a path it knows: 405 (with or without a body) is the one right answer.
      if (answer.status === 405) return [];
      return [
        `${answer.method.toUpperCase()} ${template.template} is not in the OpenAPI document (it has ${METHODS.filter((name) => template.item[name]).join(", ")}), yet it answered ${answer.status}`,
      ];
    }
    const where = `${answer.method.toUpperCase()} ${template.template} ${answer.status}`;
    const declared: Json | undefined = operation.responses[String(answer.status)];
    if (!declared)
      return [
        `${where}: the document declares no ${answer.status} for this operation (only ${Object.keys(operation.responses).join(", ")})`,
      ];
    if (!declared.content)
      return answer.body === ""
        ? []
        : [`${where}: the document declares no body, but one came: ${answer.body.slice(0, 300)}`];

    const mediaType = (answer.contentType ?? "").split(";")[0]!.trim().toLowerCase();
    const media: Json | undefined = declared.content[mediaType];
    if (!media)
      return [
        `${where}: content type ${answer.contentType ?? "(none)"}, where the document has ${Object.keys(declared.content).join(", ")}`,
      ];
    if (!/^application\/([a-z.+-]*\+)?json$/.test(mediaType)) return [];
    let body: unknown;
    try {
      body = JSON.parse(answer.body);
    } catch {
      return [`${where}: the body is not JSON: ${answer.body.slice(0, 300)}`];
    }
    const validate = this.validator(`${method} ${template.template} ${answer.status} ${mediaType}`, media.schema);
    if (validate(body)) return [];
    return [
      `${where}: the body does not match the document's schema: ${this.ajv.errorsText(validate.errors, { separator: "; " })}\n  body: ${JSON.stringify(body).slice(0, 1500)}`,
    ];
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      // The schema's own references are relative to the document: point them at the copy added above.
      validate = this.ajv.compile(
        JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`)),
      );
      this.validators.set(key, validate);
    }
    return validate;
  }
}
