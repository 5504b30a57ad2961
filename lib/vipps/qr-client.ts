import "server-only";
/**
 * The QR API's merchant callback QRs (`/qr/v1/merchant-callback`): the sticker at a till that,
 * when a customer scans it, sends us `user.checked-in.v1` with a customer token to push the
 * payment to. The same keys, token and request path as the ePayment client (request-executor.ts).
 */
import { z } from "zod";
import type { Clock } from "../clock";
import {
  createAccessTokenProvider,
  normalizeBaseUrl,
  resolveSystemInfo,
  systemClock,
  type AccessTokenCache,
  type VippsCredentials,
  type VippsRequestHook,
  type VippsSystemInfo,
} from "./access-token";
import { VippsRequestError } from "./errors";
import { createRequestExecutor } from "./request-executor";
import { DEFAULT_RETRY } from "./retry-policy";

/** "A description of where the QR code will be located" (at most 36 characters), shown in the app on a scan. */
export const LOCATION_DESCRIPTION_MAX = 36;

export const MerchantCallbackQrSchema = z.object({
  merchantSerialNumber: z.string(),
  merchantQrId: z.string().min(1),
  locationDescription: z.string(),
  qrImageUrl: z.string().optional(),
  /** The text the printed code holds. */
  qrContent: z.string().min(1),
});
export type MerchantCallbackQr = z.infer<typeof MerchantCallbackQrSchema>;

/** The `user.checked-in.v1` payload (QR API webhooks): the token is valid for 15 minutes. */
export const CheckInEventSchema = z.object({
  customerToken: z.string().min(1),
  merchantQrId: z.string().min(1),
  msn: z.string().min(1),
  initiatedAt: z.string(),
});
export type CheckInEvent = z.infer<typeof CheckInEventSchema>;
export const CHECKED_IN_EVENT = "user.checked-in.v1";

export interface MerchantQrApi {
  /** Creates the QR or renames its location; the code itself stays the same. */
  putMerchantCallbackQr(merchantQrId: string, locationDescription: string): Promise<void>;
  getMerchantCallbackQr(merchantQrId: string): Promise<MerchantCallbackQr>;
}

export function createMerchantQrClient(options: {
  baseUrl: string;
  credentials: VippsCredentials;
  system?: Partial<VippsSystemInfo>;
  fetch?: typeof fetch;
  clock?: Clock;
  onRequest?: VippsRequestHook;
  tokenCache?: AccessTokenCache;
}): MerchantQrApi {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const clock = options.clock ?? systemClock;
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const system = resolveSystemInfo(options.system);
  const timeoutMs = 10_000;
  const tokens = createAccessTokenProvider({
    baseUrl,
    credentials: options.credentials,
    system,
    fetch: doFetch,
    clock,
    timeoutMs,
    cache: options.tokenCache,
    onRequest: options.onRequest,
  });
  const { execute } = createRequestExecutor({
    baseUrl,
    credentials: options.credentials,
    system,
    tokens,
    fetch: doFetch,
    clock,
    timeoutMs,
    retry: { ...DEFAULT_RETRY },
    sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    onRequest: options.onRequest,
  });
  const path = (operation: string, merchantQrId: string) => {
    if (!/^[A-Za-z0-9_.~-]{1,100}$/.test(merchantQrId))
      throw new VippsRequestError(operation, "merchantQrId must be 1-100 URL-safe characters");
    return `/qr/v1/merchant-callback/${merchantQrId}`;
  };
  return {
    async putMerchantCallbackQr(merchantQrId, locationDescription) {
      await execute<void>({
        name: "putMerchantCallbackQr",
        method: "PUT",
        path: path("putMerchantCallbackQr", merchantQrId),
        body: { locationDescription: locationDescription.slice(0, LOCATION_DESCRIPTION_MAX) },
        // Putting the same location twice ends in the same QR.
        replaySafe: true,
        expect: { kind: "none" },
      });
    },
    getMerchantCallbackQr(merchantQrId) {
      return execute({
        name: "getMerchantCallbackQr",
        method: "GET",
        path: path("getMerchantCallbackQr", merchantQrId),
        replaySafe: true,
        expect: { kind: "json", schema: MerchantCallbackQrSchema },
      });
    },
  };
}
