import { z } from "zod";

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export const ExtraDetailSchema = z.object({ name: z.string(), reason: z.string() });
export type ExtraDetail = z.infer<typeof ExtraDetailSchema>;

/**
 * ePayment `Problem` (RFC 7807). `traceId` is required by the 1.4.1 spec, but Vipps is moving to
 * `instance`, so either one is accepted.
 */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    traceId: z.string().optional(),
    instance: z.string().optional(),
    extraDetails: z.array(ExtraDetailSchema).nullable().optional(),
  })
  .refine((problem) => problem.traceId !== undefined || problem.instance !== undefined, {
    message: "either traceId or instance is required",
    path: ["traceId"],
  });
export type Problem = z.infer<typeof ProblemSchema>;

/** Webhooks API `ProblemDetails`: every field nullable. */
export const WebhooksProblemDetailsSchema = z.object({
  type: z.string().nullable().optional(),
  title: z.string().nullable().optional(),
  status: z.int().nullable().optional(),
  detail: z.string().nullable().optional(),
  instance: z.string().nullable().optional(),
  traceId: z.string().nullable().optional(),
  extraDetails: z.array(ExtraDetailSchema).nullable().optional(),
});
export type WebhooksProblemDetails = z.infer<typeof WebhooksProblemDetailsSchema>;

// ---------------------------------------------------------------------------------------------
// Access token
// ---------------------------------------------------------------------------------------------

/** The spec types every field as a string (even the numbers); a bare number is tolerated and stringified. */
const NumericStringSchema = z
  .union([z.string(), z.number()])
  .transform((value) => String(value))
  .refine((value) => /^\d+$/.test(value.trim()), "must be a whole number of seconds");

export const AccessTokenResponseSchema = z
  .object({
    token_type: z.string(),
    access_token: z.string().min(1),
    /** Lifetime in seconds, e.g. "3600" (test) or "86398" (production). */
    expires_in: NumericStringSchema.optional(),
    /** Expiry as Unix epoch seconds. */
    expires_on: NumericStringSchema.optional(),
    ext_expires_in: NumericStringSchema.optional(),
    not_before: NumericStringSchema.optional(),
    resource: z.string().optional(),
  })
  .refine((token) => token.expires_in !== undefined || token.expires_on !== undefined, {
    message: "expires_in or expires_on is required",
    path: ["expires_in"],
  });
export type AccessTokenResponse = z.infer<typeof AccessTokenResponseSchema>;

// ---------------------------------------------------------------------------------------------
