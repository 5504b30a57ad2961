import "server-only";
import { DomainError } from "@/lib/errors";
import { looksLikeSvg, svgProblem } from "./svg-check";

/** A logo is a small picture: 256 KiB is plenty for a PNG, a JPEG or an SVG of a shop's mark. */
export const LOGO_MAX_BYTES = 256 * 1024;
/** Pixels per side of a PNG or JPEG; a small file can decode to a huge bitmap that a kiosk cannot hold. */
export const LOGO_MAX_SIDE = 4096;

export const LOGO_TYPES = ["image/png", "image/jpeg", "image/svg+xml"] as const;
export type LogoType = (typeof LOGO_TYPES)[number];

const TYPE_NAMES: Record<LogoType, string> = {
  "image/png": "a PNG image",
  "image/jpeg": "a JPEG image",
  "image/svg+xml": "an SVG image",
};

export function isLogoType(value: string): value is LogoType {
  return (LOGO_TYPES as readonly string[]).includes(value);
}

function refused(reason: string, field = "logo"): DomainError {
  return new DomainError("validation", `${field}: ${reason}`, { errors: [{ field, reason }] });
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/** A PNG's size from its IHDR chunk, which must come first. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const isIhdr = bytes.byteLength >= 24 && String.fromCharCode(...bytes.subarray(12, 16)) === "IHDR";
  if (!isIhdr) throw refused("a PNG signature without an IHDR header: the file is damaged");
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** A JPEG's size from its first start-of-frame segment. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 2;
  while (offset + 4 <= bytes.byteLength) {
    if (bytes[offset] !== 0xff) break;
    const marker = bytes[offset + 1] as number;
    // Fill bytes and markers without a length.
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    const length = view.getUint16(offset + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame && offset + 9 <= bytes.byteLength)
      return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    if (marker === 0xda || length < 2) break;
    offset += 2 + length;
  }
  throw refused("a JPEG signature without a frame header: the file is damaged");
}

function checkSide(size: { width: number; height: number }): void {
  if (size.width < 1 || size.height < 1) throw refused("an image of no pixels");
  if (size.width > LOGO_MAX_SIDE || size.height > LOGO_MAX_SIDE) {
    throw refused(`${size.width}×${size.height} pixels; at most ${LOGO_MAX_SIDE} on each side`);
  }
}

/**
 * What the uploaded bytes are, read from the bytes themselves (PNG and JPEG by their signatures,
 * SVG by its text), never from what the client says; anything else, too large, damaged or an
 * SVG with active content is refused with the reason. `declared` is the client's content type,
 * when it named an image type: bytes of another type are refused rather than served under it.
 */
export function inspectLogo(
  bytes: Uint8Array,
  declared?: LogoType,
): { contentType: LogoType; width?: number; height?: number } {
  if (bytes.byteLength === 0) throw refused("missing: send the image's bytes as the body");
  if (bytes.byteLength > LOGO_MAX_BYTES)
    throw refused(`${bytes.byteLength} bytes; at most ${LOGO_MAX_BYTES} (256 KiB)`);
  let found: { contentType: LogoType; width?: number; height?: number };
  if (startsWith(bytes, PNG_SIGNATURE)) {
    const size = pngSize(bytes);
    checkSide(size);
    found = { contentType: "image/png", ...size };
  } else if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    const size = jpegSize(bytes);
    checkSide(size);
    found = { contentType: "image/jpeg", ...size };
  } else {
    let text: string | undefined;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      text = undefined;
    }
    if (text === undefined || !looksLikeSvg(text))
      throw refused("not a PNG, JPEG or SVG image (judged by the file's content)");
    const problem = svgProblem(text);
    if (problem)
      throw refused(`an SVG with ${problem}; the logo may hold only drawing, no script or external references`);
    found = { contentType: "image/svg+xml" };
  }
  if (declared && declared !== found.contentType) {
    throw refused(`the body is ${TYPE_NAMES[found.contentType]}, not ${declared}`, "Content-Type");
  }
  return found;
}

/**
 * The client's Content-Type for an upload: an image type we take, or undefined for
 * application/octet-stream (or none), when the bytes alone decide. Anything else is refused.
 */
export function declaredLogoType(header: string | null): LogoType | undefined {
  const type = (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "" || type === "application/octet-stream") return undefined;
  if (isLogoType(type)) return type;
  throw refused(
    `send the image's bytes as image/png, image/jpeg or image/svg+xml, not ${type.slice(0, 60)}`,
    "Content-Type",
  );
}
