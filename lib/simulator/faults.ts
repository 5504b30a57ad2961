/**
 * Fault injection for tests: PUT /_sim/faults sets, per operation, what goes wrong.
 *
 *   create | get | capture | cancel | refund   (get = GET /epayment/v1/payments/{reference})
 *     delay    waits delayMs, then handles the request normally
 *     error    answers `status` (default 500, 400 with an errorCode) with a problem body; the operation
 *              is not performed. `errorCode` (e.g. "6280") and `title` make it one of Vipps' domain
 *              errors, carried as extraDetails [{ name: "ErrorCode", reason }] as Vipps does
 *     timeout  never answers (until the client gives up, at most MAX_HANG_MS); not performed
 *     drop     performs the operation, then loses the answer like timeout: the "lost answer" case
 *   webhooks
 *     drop | delay   the webhook faults of /_sim/webhook-faults (one setting, two views)
 *     duplicate      every webhook is queued, and so delivered, twice
 *     reorder        a webhook is held back delayMs (simulator clock) while the payment's later
 *                    events go out before it: delivered out of order, as Vipps may
 *
 * `rate` (0..1, default 1) is rolled per request with Math.random(); `count` ends an API fault after
 * it has hit that many requests ("6280 twice, then the capture goes through"). Faults are kept in the
 * simulator database like the webhook faults, so a restart keeps them; DELETE /_sim/faults clears all.
 */
import { STATUS_CODES } from "node:http";
import { z } from "zod";
import type { SimulatorLog } from "./settings";
import { type ExtraDetail, PROBLEM_TYPES, ProblemError, badRequest, isPlainObject, problemResponse } from "./http";
import type { RouteHandler } from "./router";
import { type Db, getMeta, setMeta } from "./store";

export const API_OPERATIONS = ["create", "get", "capture", "cancel", "refund"] as const;
export type ApiOperation = (typeof API_OPERATIONS)[number];

/** The longest a timeout or drop fault holds a request; a client normally gives up well before. */
export const MAX_HANG_MS = 60_000;
const MAX_API_DELAY_MS = MAX_HANG_MS;
const MAX_WEBHOOK_DELAY_MS = 600_000;

export type WebhookFaultMode = "deliver" | "drop" | "delay" | "duplicate" | "reorder";
/** As stored and as GET /_sim/webhook-faults shows it; `rate` only when set through /_sim/faults. */
export interface WebhookFaults {
  mode: WebhookFaultMode;
  delayMs: number;
  rate?: number;
}

const intUpTo = (max: number, name: string) => {
  const message = `${name} must be an integer from 0 to ${max}.`;
  return z.int({ error: message }).min(0, { error: message }).max(max, { error: message });
};
const rateSchema = z
  .number({ error: "rate must be a number from 0 to 1." })
  .min(0, { error: "rate must be a number from 0 to 1." })
  .max(1, { error: "rate must be a number from 0 to 1." })
  .default(1);

/** delayMs belongs to delay (and reorder), status to error; a field that would be ignored is more likely a mistake. */
function checkFieldsForMode(
  fault: { mode: string; delayMs?: number; status?: number; errorCode?: string; title?: string },
  ctx: z.RefinementCtx,
): void {
  for (const field of ["errorCode", "title"] as const) {
    if (fault.mode !== "error" && fault[field] !== undefined) {
      ctx.addIssue({ code: "custom", path: [field], message: `${field} only applies to mode "error".` });
    }
  }
  const timed = fault.mode === "delay" || fault.mode === "reorder";
  if (timed && fault.delayMs === undefined) {
    ctx.addIssue({ code: "custom", path: ["delayMs"], message: `delayMs is required for mode "${fault.mode}".` });
  }
  if (!timed && fault.delayMs !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["delayMs"],
      message: 'delayMs only applies to modes "delay" and "reorder".',
    });
  }
  if (fault.mode !== "error" && fault.status !== undefined) {
    ctx.addIssue({ code: "custom", path: ["status"], message: 'status only applies to mode "error".' });
  }
}

const apiFaultSchema = z
  .strictObject({
    mode: z.enum(["delay", "error", "timeout", "drop"], {
      error: 'mode must be "delay", "error", "timeout" or "drop" ("duplicate" only applies to webhooks).',
    }),
    delayMs: intUpTo(MAX_API_DELAY_MS, "delayMs").optional(),
    status: z
      .int({ error: "status must be an HTTP error status from 400 to 599." })
      .min(400, { error: "status must be an HTTP error status from 400 to 599." })
      .max(599, { error: "status must be an HTTP error status from 400 to 599." })
      .optional(),
    errorCode: z
      .string()
      .regex(/^[0-9]{3,5}$/, { error: 'errorCode must be a Vipps error code, 3 to 5 digits (e.g. "6280").' })
      .optional(),
    title: z.string().min(1).max(200, { error: "title must be 1 to 200 characters." }).optional(),
    count: z
      .int({ error: "count must be an integer from 1 to 1000." })
      .min(1, { error: "count must be an integer from 1 to 1000." })
      .max(1000, { error: "count must be an integer from 1 to 1000." })
      .optional(),
    rate: rateSchema,
  })
  .superRefine(checkFieldsForMode);

const webhookFaultSchema = z
  .strictObject({
    mode: z.enum(["drop", "delay", "duplicate", "reorder"], {
      error: 'mode must be "drop", "delay", "duplicate" or "reorder" (webhooks cannot "error" or "timeout").',
    }),
    delayMs: intUpTo(MAX_WEBHOOK_DELAY_MS, "delayMs").optional(),
    rate: rateSchema,
  })
  .superRefine(checkFieldsForMode);

const faultSetSchema = z.strictObject({
  create: apiFaultSchema.optional(),
  get: apiFaultSchema.optional(),
  capture: apiFaultSchema.optional(),
  cancel: apiFaultSchema.optional(),
  refund: apiFaultSchema.optional(),
  webhooks: webhookFaultSchema.optional(),
});

export type ApiFault = z.infer<typeof apiFaultSchema>;
export type WebhookFault = z.infer<typeof webhookFaultSchema>;
export type FaultSet = z.infer<typeof faultSetSchema>;

function issuesOf(error: z.ZodError): ExtraDetail[] {
  return error.issues.flatMap((issue): ExtraDetail[] => {
    const at = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        name: [...at, key].join("."),
        reason:
          at.length === 0
            ? `Unknown operation "${key}"; use ${[...API_OPERATIONS, "webhooks"].join(", ")}.`
            : `Unknown property "${key}"; use mode, delayMs, status, errorCode, title, count, rate.`,
      }));
    }
    return [
      {
        name: at.length > 0 ? at.join(".") : "body",
        reason: at.length > 0 ? issue.message : "A JSON object keyed by operation is required.",
      },
    ];
  });
}

const NO_WEBHOOK_FAULT: WebhookFaults = { mode: "deliver", delayMs: 0 };

export class FaultStore {
  constructor(
    private readonly db: Db,
    private readonly log: SimulatorLog,
  ) {}

  // ---- Webhook faults, also reachable through the older /_sim/webhook-faults -------------------

  webhookFaults(): WebhookFaults {
    const raw = getMeta(this.db, "webhook_faults");
    return raw ? (JSON.parse(raw) as WebhookFaults) : { ...NO_WEBHOOK_FAULT };
  }

  /** PUT /_sim/webhook-faults: `{ mode: "deliver" | "drop" | "delay", delayMs? }`. */
  setWebhookFaults(raw: unknown): WebhookFaults {
    if (!isPlainObject(raw))
      throw badRequest("Body must be { mode, delayMs? }.", [{ name: "body", reason: "A JSON object is required." }]);
    const issues: ExtraDetail[] = [];
    if (raw.mode !== "deliver" && raw.mode !== "drop" && raw.mode !== "delay") {
      issues.push({ name: "mode", reason: 'mode must be "deliver", "drop" or "delay".' });
    }
    const delayMs = raw.delayMs ?? 0;
    if (typeof delayMs !== "number" || !Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_WEBHOOK_DELAY_MS) {
      issues.push({ name: "delayMs", reason: `delayMs must be an integer between 0 and ${MAX_WEBHOOK_DELAY_MS}.` });
    }
    if (issues.length > 0) throw badRequest("Invalid webhook fault configuration.", issues);
    return this.storeWebhookFaults({
      mode: raw.mode as WebhookFaultMode,
      delayMs: raw.mode === "delay" ? (delayMs as number) : 0,
    });
  }

  private storeWebhookFaults(faults: WebhookFaults): WebhookFaults {
    setMeta(this.db, "webhook_faults", JSON.stringify(faults));
    this.log("info", "webhook fault mode changed", { ...faults });
    return faults;
  }

  /** The webhook fault that applies to this delivery, if any: its rate is rolled here. */
  rollWebhookFault(): WebhookFaults | undefined {
    const faults = this.webhookFaults();
    if (faults.mode === "deliver") return undefined;
    return Math.random() < (faults.rate ?? 1) ? faults : undefined;
  }

  // ---- /_sim/faults ------------------------------------------------------------------------------

  current(): FaultSet {
    const raw = getMeta(this.db, "api_faults");
    const set: FaultSet = raw ? (JSON.parse(raw) as FaultSet) : {};
    const webhooks = this.webhookFaults();
    if (webhooks.mode !== "deliver") {
      set.webhooks = {
        mode: webhooks.mode,
        ...(webhooks.mode === "delay" || webhooks.mode === "reorder" ? { delayMs: webhooks.delayMs } : {}),
        rate: webhooks.rate ?? 1,
      };
    }
    return set;
  }

  /** PUT semantics: the body is the whole fault set; an operation left out has no fault. */
  replace(raw: unknown): FaultSet {
    const parsed = faultSetSchema.safeParse(raw);
    if (!parsed.success) throw badRequest("Invalid fault configuration.", issuesOf(parsed.error));
    const { webhooks, ...api } = parsed.data;
    setMeta(this.db, "api_faults", JSON.stringify(api));
    this.storeWebhookFaults(
      webhooks ? { mode: webhooks.mode, delayMs: webhooks.delayMs ?? 0, rate: webhooks.rate } : { ...NO_WEBHOOK_FAULT },
    );
    this.log("info", "faults changed", { ...parsed.data });
    return this.current();
  }

  clear(): FaultSet {
    return this.replace({});
  }

  /** The fault this request gets, if any: its rate is rolled here, and a counted fault used up. */
  roll(operation: ApiOperation): ApiFault | undefined {
    const faults = this.current();
    const fault = faults[operation];
    if (!fault || Math.random() >= fault.rate) return undefined;
    if (fault.count !== undefined) {
      const { webhooks: _webhooks, ...api } = faults;
      if (fault.count > 1) api[operation] = { ...fault, count: fault.count - 1 };
      else delete api[operation];
      setMeta(this.db, "api_faults", JSON.stringify(api));
    }
    return fault;
  }
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Titles Vipps gives its domain errors (../shared/research/VIPPS-FACTS.md, ePayment 2026), for a fault without its own. */
const ERROR_CODE_TITLES: Record<string, string> = {
  "4010": "The Idempotency-Key was used before with another request",
  "5080": "PUSH_MESSAGE is not allowed for this sales unit",
  "6140": "This sales unit must capture the full amount",
  "6250": "The payment is being processed and cannot be cancelled now",
  "6260": "Funds unavailable",
  "6280": "Capture failed, please try again later",
};

function injectedError(operation: ApiOperation, fault: ApiFault): Response {
  if (fault.errorCode !== undefined) {
    const status = fault.status ?? 400;
    const title = fault.title ?? ERROR_CODE_TITLES[fault.errorCode] ?? STATUS_CODES[status] ?? "Error";
    return problemResponse(
      new ProblemError(
        status,
        status >= 500 ? PROBLEM_TYPES.internal : PROBLEM_TYPES.validation,
        title,
        `Simulated failure (fault injection): the ${operation} was not performed.`,
        [{ name: "ErrorCode", reason: fault.errorCode }],
      ),
    );
  }
  const status = fault.status ?? 500;
  const type =
    status === 429
      ? PROBLEM_TYPES.tooManyRequests
      : status >= 500
        ? PROBLEM_TYPES.internal
        : ({
            401: PROBLEM_TYPES.unauthorized,
            403: PROBLEM_TYPES.forbidden,
            404: PROBLEM_TYPES.notFound,
            409: PROBLEM_TYPES.invalidState,
          }[status] ?? PROBLEM_TYPES.validation);
  const title = fault.title ?? STATUS_CODES[status] ?? "Error";
  return problemResponse(
    new ProblemError(status, type, title, `Simulated failure (fault injection): the ${operation} was not performed.`),
  );
}

/** What a held request finally answers if the client is still there after MAX_HANG_MS. */
function lostAnswer(operation: ApiOperation): Response {
  return problemResponse(
    new ProblemError(
      504,
      PROBLEM_TYPES.internal,
      "Gateway Timeout",
      `Simulated timeout (fault injection) while handling the ${operation}.`,
    ),
  );
}

/** Wraps an API route so that the configured fault, if its rate hits, happens around it. */
export function withFault(faults: FaultStore, operation: ApiOperation, handler: RouteHandler): RouteHandler {
  return async (input) => {
    const fault = faults.roll(operation);
    if (!fault) return handler(input);
    switch (fault.mode) {
      case "delay":
        await pause(fault.delayMs ?? 0, input.signal);
        // A client that gave up (or a simulator that stopped) meanwhile: the request never arrived.
        return input.signal.aborted ? lostAnswer(operation) : handler(input);
      case "error":
        return injectedError(operation, fault);
      case "timeout":
        await pause(MAX_HANG_MS, input.signal);
        return lostAnswer(operation);
      case "drop":
        try {
          await (await handler(input)).body?.cancel();
        } catch {
          // The outcome, success or refusal, is what gets lost.
        }
        await pause(MAX_HANG_MS, input.signal);
        return lostAnswer(operation);
    }
  };
}
