// GET /api/display/qr-image/{attemptId}: Vipps' own QR image of a live payment (KASSA_QR_SOURCE=vipps),
// as fetched when the payment was created. Public like the QR itself; 404 once the payment is over.
import { route } from "@/lib/http/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route<{ attemptId: string }>(async (_request, { saleViews }, { attemptId }) => {
  const image = await saleViews.qrImage(attemptId);
  if ("redirect" in image)
    return new Response(null, { status: 302, headers: { location: image.redirect, "cache-control": "no-store" } });
  return new Response(image.body, {
    headers: {
      "content-type": image.contentType,
      // Shown as an <img>, never as a page: nothing in it may run or load.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
      "x-content-type-options": "nosniff",
      "cache-control": "private, max-age=600",
    },
  });
});
