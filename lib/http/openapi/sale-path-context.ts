import { SALE_STATES } from "@/lib/sales/types";
import type { ApiExamples } from "./examples";
import { idParam, problemExample } from "./responses";

/** The parts the sales operations share: the id parameter and the problems several of them answer. */
export function salePathContext({ pendingSale, pushSale }: ApiExamples["sales"]) {
  const saleId = idParam("id", pendingSale.id);
  const stateReason = `Invalid option: expected one of ${SALE_STATES.map((state) => `"${state}"`).join("|")}`;
  const fromProblem = problemExample("validation", "from: from must be an ISO 8601 date-time", {
    errors: [{ field: "from", reason: "from must be an ISO 8601 date-time" }],
  });

  const saleErrors = {
    busy: problemExample(
      "terminalBusy",
      "Terminal pos-1 already shows sale sale_tCb3xdFe3lNoYw; finish or cancel it first",
      { activeSaleId: "sale_tCb3xdFe3lNoYw" },
    ),
    saleBusy: problemExample("saleBusy", "Another operation on this sale is in progress; try again in a moment."),
    invalidState: (detail: string) => problemExample("invalidState", detail),
  };

  // Creating the Vipps payment: a refusal (any 4xx, 429 included) or no answer. The sale is then failed.
  const createFailures = [
    problemExample("paymentProvider", "Vipps MobilePay did not create the payment: 400 Invalid MSN", {
      saleId: pendingSale.id,
    }),
    problemExample(
      "paymentProviderUnavailable",
      "Vipps MobilePay did not create the payment: TimeoutError: The operation was aborted due to timeout",
      { saleId: pendingSale.id },
    ),
    problemExample(
      "vippsUnavailable",
      "Vipps is not answering. Take the payment another way; new sales are tried again shortly.",
      {
        vipps: { available: false, since: "2026-12-07T01:12:09.000Z" },
      },
    ),
    problemExample(
      "pushNotAllowed",
      "Vipps does not allow sending payments to a phone for this sales unit (error 5080). Show the QR code instead.",
      { saleId: pushSale.id, vippsErrorCode: "5080" },
    ),
  ];

  return { saleId, stateReason, fromProblem, saleErrors, createFailures };
}

export type SalePathContext = ReturnType<typeof salePathContext>;
