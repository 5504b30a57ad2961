import { z } from "zod";
import { responseComponents } from "./components";

/** How every refusal of the POS API looks: RFC 9457 problem details (application/problem+json). */

export const FieldErrorSchema = z.object({ field: z.string(), reason: z.string() });

export const ProblemSchema = z
  .looseObject({
    type: z.url().meta({ description: "Stable identifier: switch on this" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .meta({
    description:
      "RFC 9457 problem details. Some problems add members of their own, e.g. activeSaleId (terminal-busy) or refundable (refund-exceeds-captured).",
  })
  .register(responseComponents, { id: "Problem" });

export type ProblemDetails = z.infer<typeof ProblemSchema>;
