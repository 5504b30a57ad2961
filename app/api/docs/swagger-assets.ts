import "server-only";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";

/**
 * The POS API reference is Swagger UI, served by the app itself from the installed swagger-ui-dist
 * package: no CDN, so it works on a shop's LAN without internet. Only the files named here are
 * served. They are read from the file system at run time, which the bundler does not follow, so
 * next.config.mjs lists them in outputFileTracingIncludes: the standalone server's traced
 * node_modules then holds them too.
 */
export const SWAGGER_UI_FILES = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
  "favicon-16x16.png": "image/png",
} as const;

export type SwaggerUiFile = keyof typeof SWAGGER_UI_FILES;

export const isSwaggerUiFile = (name: string): name is SwaggerUiFile => Object.hasOwn(SWAGGER_UI_FILES, name);

/** The working directory is the project (next dev) or .next/standalone (npm start, the Docker image). */
const swaggerUiDir = () => path.join(process.cwd(), "node_modules", "swagger-ui-dist");

let version: string | undefined;

/** The installed Swagger UI version: the asset URLs carry it, so a new version is never served from a stale cache. */
export function swaggerUiVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(swaggerUiDir(), "package.json"), "utf8")) as { version: string })
    .version;
  return version;
}

const cache = new Map<SwaggerUiFile, Buffer>();

export async function readSwaggerUiFile(name: SwaggerUiFile): Promise<Buffer> {
  let content = cache.get(name);
  if (!content) {
    content = await readFile(path.join(swaggerUiDir(), name));
    cache.set(name, content);
  }
  return content;
}
