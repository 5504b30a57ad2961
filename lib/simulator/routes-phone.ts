/**
 * The customer's side: the simulated phone reached through the QR code, and the QR images behind
 * IMAGE/* redirectUrls. Always on, whatever the test controls setting.
 */
import type { SimulatorContext } from "./context";
import { PROBLEM_TYPES, ProblemError, emptyResponse } from "./http";
import {
  htmlResponse,
  renderNotFoundPage,
  renderPaymentPage,
  renderPushInboxPage,
  renderStatePage,
  type PhonePaymentView,
} from "./phone";
import { renderQrPng, renderQrSvg } from "./qr";
import type { Route, RouteRequest } from "./router";
import { renderPhoneExtras } from "./sticker-pages";
import type { PaymentRow } from "./store";
import type { Receipt } from "./validation";
import { isAllowedMerchantUrl } from "./validation-fields";
import { isVippsHost, walletBrandName } from "../vipps/brand";

const GONE = "This payment request does not exist or has expired.";

export function phoneRoutes(ctx: SimulatorContext): Route[] {
  const { payments } = ctx;
  const pagePath = (token: string) => `${ctx.basePath}/qr/${encodeURIComponent(token)}`;

  function phoneView(payment: PaymentRow): PhonePaymentView {
    const request = JSON.parse(payment.request_json) as {
      paymentDescription?: string;
      receipt?: Receipt;
      returnUrl?: string;
    };
    const returnUrl =
      (payment.user_flow === "WEB_REDIRECT" || payment.user_flow === "NATIVE_REDIRECT") &&
      typeof request.returnUrl === "string" &&
      isAllowedMerchantUrl(request.returnUrl)
        ? request.returnUrl
        : undefined;
    return {
      merchantName: ctx.merchantName,
      msn: payment.msn,
      reference: payment.reference,
      state: payment.state,
      amount: { value: payment.amount, currency: payment.currency },
      paymentDescription: request.paymentDescription,
      receipt: request.receipt,
      expiresAtMs: payment.expires_at,
      returnUrl,
      walletName: walletBrandName(ctx.walletBrand()),
    };
  }

  /** Unknown and expired payments look the same from the phone: 404, like an expired Vipps QR. */
  function livePaymentByToken(token: string): PaymentRow | undefined {
    const payment = payments.findByToken(token);
    return payment && payment.state !== "EXPIRED" ? payment : undefined;
  }

  const notFound = (reason: string) =>
    htmlResponse(404, renderNotFoundPage(reason, walletBrandName(ctx.walletBrand())));

  /**
   * A WEB_REDIRECT link, `/landing/<Vipps' landing domain>?token=…`: like pay.vipps.no or
   * pay.mobilepay.dk, it sends the phone on to the payment (here the simulated app's page).
   */
  function landing({ params, url }: RouteRequest): Response {
    const token = url.searchParams.get("token") ?? "";
    if (!isVippsHost(params.host!) || !livePaymentByToken(token)) return notFound(GONE);
    return emptyResponse(302, { location: pagePath(token) });
  }

  function page({ params }: RouteRequest): Response {
    const token = params.token!;
    const payment = livePaymentByToken(token);
    if (!payment) return notFound(GONE);
    const view = phoneView(payment);
    if (payment.state !== "CREATED") return htmlResponse(200, renderStatePage(view, "phone-state"));
    return htmlResponse(200, renderPaymentPage(view, pagePath(token)));
  }

  const action =
    (choice: "approve" | "decline") =>
    ({ params }: RouteRequest): Response => {
      const token = params.token!;
      const payment = livePaymentByToken(token);
      if (!payment) return notFound(GONE);
      if (payment.state === "CREATED") {
        if (choice === "approve") payments.approve(payment.msn, payment.reference);
        else payments.reject(payment.msn, payment.reference);
      }
      // If the shop cancelled meanwhile, the result page shows that state instead.
      return emptyResponse(303, { location: `${pagePath(token)}/result` });
    };

  function result({ params }: RouteRequest): Response {
    const payment = livePaymentByToken(params.token!);
    if (!payment) return notFound(GONE);
    return htmlResponse(200, renderStatePage(phoneView(payment), "phone-result"));
  }

  /** The phone with this number: its waiting push payment requests (userFlow PUSH_MESSAGE). */
  function pushInbox({ params }: RouteRequest): Response {
    const phoneNumber = params.number!;
    if (!/^[0-9]{8,15}$/.test(phoneNumber))
      return notFound("Open /phone/<number>, the number with its country code and digits only (4791234567).");
    const requests = payments
      .pendingPushFor(phoneNumber)
      .map((payment) => ({ view: phoneView(payment), actionBase: pagePath(payment.qr_token) }));
    const extras = renderPhoneExtras({
      personalQr: ctx.merchantCallbacks.personalQrContent(phoneNumber),
      scanAction: `${ctx.basePath}/phone/${phoneNumber}/scan-sticker`,
    });
    return htmlResponse(200, renderPushInboxPage(phoneNumber, requests, walletBrandName(ctx.walletBrand()), extras));
  }

  function qrImage({ params }: RouteRequest): Response {
    const match = /^([A-Za-z0-9_-]+)\.(svg|png)$/.exec(params.file!);
    const payment = match ? payments.findByToken(match[1]!) : undefined;
    // Like qr-image.vipps.no: the image stops working once the payment is no longer waiting for the user.
    if (!match || !payment || payment.state !== "CREATED") {
      throw new ProblemError(404, PROBLEM_TYPES.notFound, "Not Found", "The QR code does not exist or has expired.");
    }
    const target = payments.phonePageUrl(payment.qr_token);
    if (match[2] === "svg") {
      return new Response(renderQrSvg(target), {
        status: 200,
        headers: { "content-type": "image/svg+xml", "cache-control": "no-store" },
      });
    }
    const png = renderQrPng(target, payment.qr_size ?? 1024);
    return new Response(new Uint8Array(png), {
      status: 200,
      headers: { "content-type": "image/png", "cache-control": "no-store" },
    });
  }

  return [
    { method: "GET", path: "/phone/:number", handler: pushInbox },
    { method: "GET", path: "/landing/:host", handler: landing },
    { method: "GET", path: "/qr/:token", handler: page },
    { method: "POST", path: "/qr/:token/approve", handler: action("approve") },
    { method: "POST", path: "/qr/:token/decline", handler: action("decline") },
    { method: "GET", path: "/qr/:token/result", handler: result },
    { method: "GET", path: "/qr-image/:file", handler: qrImage },
  ];
}
