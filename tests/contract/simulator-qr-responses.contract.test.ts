/**
 * The simulator's QR API (merchant callback QRs, the sticker at the till) answers as qr-v1.yaml says,
 * and the client's requests are what it asks for.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/simulator-harness";
import { OpenApiContract, SPECS_MISSING_MESSAGE, specsAvailable } from "../support/openapi-contract";

if (!specsAvailable) console.warn(SPECS_MISSING_MESSAGE);

describe.skipIf(!specsAvailable)("simulator QR API responses conform to qr-v1.yaml", () => {
  let contract: OpenApiContract;
  let h: Harness;
  beforeAll(() => {
    contract = new OpenApiContract();
    h = createHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  it("put, get, list and delete a merchant callback QR", async () => {
    const body = { locationDescription: "Kasse 1" };
    const headers = await h.authHeaders({ "content-type": "application/json" });
    expect(
      contract.validateRequest({ method: "PUT", path: "/qr/v1/merchant-callback/kassa-pos-1", body, headers }),
    ).toEqual([]);
    const put = await h.api("PUT", "/qr/v1/merchant-callback/kassa-pos-1", body);
    expect(put.status).toBe(200);
    for (const path of ["/qr/v1/merchant-callback/kassa-pos-1", "/qr/v1/merchant-callback"]) {
      const response = await h.api("GET", path);
      expect(response.status).toBe(200);
      expect(contract.validateResponse({ method: "GET", path, status: 200, body: response.body })).toEqual([]);
    }
    const removed = await h.api("DELETE", "/qr/v1/merchant-callback/kassa-pos-1");
    expect(removed.status).toBe(200);
    const gone = await h.api("DELETE", "/qr/v1/merchant-callback/kassa-pos-1");
    expect(gone.status).toBe(404);
    expect(
      contract.validateResponse({
        method: "DELETE",
        path: "/qr/v1/merchant-callback/kassa-pos-1",
        status: 404,
        body: gone.body,
      }),
    ).toEqual([]);
  });
});
