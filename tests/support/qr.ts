/**
 * Reads a QR code out of a PNG screenshot, the way a phone camera would: from pixels, with no
 * help from the DOM. jsqr does the decoding; pngjs turns the PNG into RGBA pixels for it.
 */
import jsQR from "jsqr";
import { PNG } from "pngjs";

export function decodeQrFromPng(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  const result = jsQR(pixels, image.width, image.height, { inversionAttempts: "dontInvert" });
  return result?.data;
}

/** Like decodeQrFromPng but fails loudly, for tests. */
export function requireQrFromPng(png: Buffer): string {
  const text = decodeQrFromPng(png);
  if (!text) throw new Error("No QR code could be read from the screenshot");
  return text;
}
