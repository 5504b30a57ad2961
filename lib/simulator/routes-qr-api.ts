/**
 * The QR API's merchant callback endpoints (served under /qr like Vipps' own, with the same keys
 * and the Merchant-Serial-Number header), the pages a phone opens when it reads a sticker, and
 * POST /_sim/stickers/{merchantQrId}/scan for tests (controls only).
 */
import type { SimulatorContext } from "./context";
import {
  PROBLEM_TYPES,
  ProblemError,
  badRequest,
  emptyResponse,
  isPlainObject,
  jsonResponse,
  readJsonBody,
} from "./http";
import { htmlResponse, renderNotFoundPage } from "./phone";
import { renderQrSvg } from "./qr";
import type { Route, RouteRequest } from "./router";
import { renderStickerPage } from "./sticker-pages";
import { walletBrandName } from "../vipps/brand";

export function qrApiRoutes(ctx: SimulatorContext): Route[] {
  const { guard, merchantCallbacks } = ctx;

  function authenticated(request: Request): string {
    const { msn } = guard.authenticate(request, "qr");
    guard.checkSystemHeaders(request);
    return msn;
  }

  function list({ request }: RouteRequest): Response {
    return jsonResponse(200, merchantCallbacks.list(authenticated(request)));
  }

  function get({ request, params }: RouteRequest): Response {
    return jsonResponse(200, merchantCallbacks.get(authenticated(request), params.merchantQrId!));
  }

  async function put({ request, params }: RouteRequest): Promise<Response> {
    const msn = authenticated(request);
    const body = await readJsonBody(request);
    merchantCallbacks.put(msn, params.merchantQrId!, body.present ? body.value : undefined);
    return emptyResponse(200);
  }

  function remove({ request, params }: RouteRequest): Response {
    merchantCallbacks.remove(authenticated(request), params.merchantQrId!);
    return emptyResponse(200);
  }

  return [
    { method: "GET", path: "/qr/v1/merchant-callback", handler: list },
    { method: "GET", path: "/qr/v1/merchant-callback/:merchantQrId", handler: get },
    { method: "PUT", path: "/qr/v1/merchant-callback/:merchantQrId", handler: put },
    { method: "DELETE", path: "/qr/v1/merchant-callback/:merchantQrId", handler: remove },
  ];
}

/** What a phone reaches through a sticker's code: always on, like the payment pages. */
export function stickerPhoneRoutes(ctx: SimulatorContext): Route[] {
  const { merchantCallbacks } = ctx;
  const walletName = () => walletBrandName(ctx.walletBrand());
  const phonePage = (phoneNumber: string) => `${ctx.basePath}/phone/${encodeURIComponent(phoneNumber)}`;

  function stickerOf(msn: string, merchantQrId: string) {
    const sticker = merchantCallbacks.findById(merchantQrId);
    return sticker && sticker.msn === msn ? sticker : undefined;
  }

  function page({ params }: RouteRequest): Response {
    const sticker = stickerOf(params.msn!, params.merchantQrId!);
    if (!sticker) return htmlResponse(404, renderNotFoundPage("This sticker is not in use.", walletName()));
    return htmlResponse(
      200,
      renderStickerPage({
        locationDescription: sticker.locationDescription,
        merchantName: ctx.merchantName,
        scanAction: `${ctx.basePath}/sticker/${encodeURIComponent(params.msn!)}/${encodeURIComponent(params.merchantQrId!)}/scan`,
        walletName: walletName(),
      }),
    );
  }

  async function scanFromStickerPage({ request, params }: RouteRequest): Promise<Response> {
    const phoneNumber = String((await request.formData()).get("phoneNumber") ?? "").trim();
    merchantCallbacks.scan(params.msn!, params.merchantQrId!, phoneNumber);
    return emptyResponse(303, { location: phonePage(phoneNumber) });
  }

  /** The phone's own page: the content of a sticker's code, read by the phone with this number. */
  async function scanFromPhone({ request, params }: RouteRequest): Promise<Response> {
    const content = String((await request.formData()).get("sticker") ?? "").trim();
    const match = /\/sticker\/([^/]+)\/([^/?#]+)$/.exec(safePathname(content));
    if (!match) throw badRequest("That is not a sticker's QR code.", [{ name: "sticker", reason: "Not a sticker." }]);
    merchantCallbacks.scan(decodeURIComponent(match[1]!), decodeURIComponent(match[2]!), params.number!);
    return emptyResponse(303, { location: phonePage(params.number!) });
  }

  function image({ params }: RouteRequest): Response {
    const match = /^(.+)\.svg$/.exec(params.file!);
    if (!match || !stickerOf(params.msn!, match[1]!)) {
      throw new ProblemError(404, PROBLEM_TYPES.notFound, "Not Found", "The QR code does not exist.");
    }
    return new Response(renderQrSvg(merchantCallbacks.stickerUrl(params.msn!, match[1]!)), {
      status: 200,
      headers: { "content-type": "image/svg+xml", "cache-control": "no-store" },
    });
  }

  return [
    { method: "GET", path: "/sticker/:msn/:merchantQrId", handler: page },
    { method: "POST", path: "/sticker/:msn/:merchantQrId/scan", handler: scanFromStickerPage },
    { method: "POST", path: "/phone/:number/scan-sticker", handler: scanFromPhone },
    { method: "GET", path: "/sticker-image/:msn/:file", handler: image },
  ];
}

/** POST /_sim/stickers/{merchantQrId}/scan {phoneNumber}: the phone scans the sticker; answers the check-in sent. */
export function stickerControlRoutes(ctx: SimulatorContext): Route[] {
  async function scan({ request, params }: RouteRequest): Promise<Response> {
    const body = await readJsonBody(request);
    const phoneNumber = body.present && isPlainObject(body.value) ? body.value.phoneNumber : undefined;
    if (typeof phoneNumber !== "string") {
      throw badRequest("Body must be { phoneNumber: string }.", [{ name: "phoneNumber", reason: "Required." }]);
    }
    const sticker = ctx.merchantCallbacks.findById(params.merchantQrId!);
    if (!sticker) {
      throw new ProblemError(404, PROBLEM_TYPES.notFound, "Not Found", `No sticker ${params.merchantQrId}.`);
    }
    return jsonResponse(200, ctx.merchantCallbacks.scan(sticker.msn, params.merchantQrId!, phoneNumber));
  }
  return [{ method: "POST", path: "/_sim/stickers/:merchantQrId/scan", handler: scan }];
}

function safePathname(value: string): string {
  try {
    return new URL(value).pathname;
  } catch {
    return "";
  }
}
