/**
 * QR images served by the simulator in place of qr-image.vipps.no.
 *
 * The SVG comes from qrcode.react's QRCodeSVG rendered with react-dom/server's renderToStaticMarkup.
 * The PNG is made from the same module matrix (read back from the SVG path) and encoded with a tiny
 * PNG writer over node:zlib.
 *
 * Why React is loaded through Node's own require: Next.js bundles route handlers with the
 * "react-server" export condition, under which `react-dom/server` throws on import. Loading these
 * three packages with a require created from process.getBuiltinModule("node:module") bypasses the
 * bundler, so the simulator gets the ordinary (client-condition) React both in Next and in tests.
 */
import path from "node:path";
import { deflateSync } from "node:zlib";
import type { createElement as CreateElement } from "react";
import type { QRCodeSVG as QRCodeSVGType } from "qrcode.react";
import type { renderToStaticMarkup as RenderToStaticMarkup } from "react-dom/server";

interface ReactQr {
  createElement: typeof CreateElement;
  renderToStaticMarkup: typeof RenderToStaticMarkup;
  QRCodeSVG: typeof QRCodeSVGType;
}

let loaded: ReactQr | undefined;

function loadReactQr(): ReactQr {
  if (loaded) return loaded;
  const nodeModule = process.getBuiltinModule("node:module");
  const nodeRequire = nodeModule.createRequire(path.join(process.cwd(), "package.json"));
  const react = nodeRequire("react") as { createElement: typeof CreateElement };
  const server = nodeRequire("react-dom/server") as { renderToStaticMarkup: typeof RenderToStaticMarkup };
  const qr = nodeRequire("qrcode.react") as { QRCodeSVG: typeof QRCodeSVGType };
  loaded = {
    createElement: react.createElement,
    renderToStaticMarkup: server.renderToStaticMarkup,
    QRCodeSVG: qr.QRCodeSVG,
  };
  return loaded;
}

const QUIET_ZONE = 4;
const FOREGROUND = "#000000";

function renderSvgMarkup(value: string, options: { size: number; marginSize: number; title?: string }): string {
  const { createElement, renderToStaticMarkup, QRCodeSVG } = loadReactQr();
  return renderToStaticMarkup(
    createElement(QRCodeSVG, {
      value,
      size: options.size,
      level: "M",
      marginSize: options.marginSize,
      fgColor: FOREGROUND,
      bgColor: "#FFFFFF",
      title: options.title,
      // A standalone .svg file needs the namespace or browsers refuse to show it in <img>.
      xmlns: "http://www.w3.org/2000/svg",
    } as Parameters<typeof QRCodeSVG>[0]),
  );
}

/** A standalone SVG document showing a QR code for `value`. */
export function renderQrSvg(value: string, size = 512): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${renderSvgMarkup(value, { size, marginSize: QUIET_ZONE, title: "Vipps MobilePay QR code" })}`;
}

/** The QR module matrix (true = dark), without quiet zone, read back from QRCodeSVG's path data. */
export function qrMatrix(value: string): boolean[][] {
  const svg = renderSvgMarkup(value, { size: 128, marginSize: 0 });
  const viewBox = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  const pathData = new RegExp(`<path fill="${FOREGROUND}" d="([^"]*)"`).exec(svg);
  if (!viewBox || !pathData) throw new Error("Unexpected QRCodeSVG output; cannot read the module matrix");
  const count = Number(viewBox[1]);
  const matrix = Array.from({ length: count }, () => new Array<boolean>(count).fill(false));
  // Each dark run is drawn as "M{x} {y}h{width}v1H{x}z" (the last run of a row uses "M{x},{y} h...").
  const run = /M(\d+)[ ,](\d+)\s*h(\d+)v1H\d+z/g;
  for (let match = run.exec(pathData[1]!); match; match = run.exec(pathData[1]!)) {
    const x = Number(match[1]);
    const y = Number(match[2]);
    const width = Number(match[3]);
    const row = matrix[y];
    if (!row) continue;
    for (let i = x; i < x + width && i < count; i++) row[i] = true;
  }
  return matrix;
}

/** A `size`×`size` greyscale PNG of the QR code for `value`, with the standard 4-module quiet zone. */
export function renderQrPng(value: string, size = 1024): Buffer {
  const matrix = qrMatrix(value);
  const modules = matrix.length + QUIET_ZONE * 2;
  const pixels = Buffer.alloc(size * size, 0xff);
  const moduleOf = new Int32Array(size);
  for (let p = 0; p < size; p++) moduleOf[p] = Math.floor((p * modules) / size) - QUIET_ZONE;
  for (let y = 0; y < size; y++) {
    const row = matrix[moduleOf[y]!];
    if (!row) continue;
    for (let x = 0; x < size; x++) {
      if (row[moduleOf[x]!]) pixels[y * size + x] = 0x00;
    }
  }
  return encodeGreyscalePng(size, size, pixels);
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(chunks: Buffer[]): number {
  let crc = 0xffffffff;
  for (const chunk of chunks) for (const byte of chunk) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeBytes = Buffer.from(type, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32([typeBytes, data]));
  return Buffer.concat([length, typeBytes, data, crc]);
}

/** Minimal PNG writer: 8-bit greyscale, no interlace, filter type 0 on every scanline. */
export function encodeGreyscalePng(width: number, height: number, pixels: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: greyscale
  header[10] = 0; // compression
  header[11] = 0; // filter method
  header[12] = 0; // interlace
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0;
    pixels.copy(raw, y * (width + 1) + 1, y * width, (y + 1) * width);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(raw, { level: 9 })),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}
