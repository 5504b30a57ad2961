/**
 * The reference page and its two small files of our own. The page loads scripts and styles from
 * /api/docs only; its Content-Security-Policy (next.config.mjs) lets nothing on it reach another host.
 */

export const DOCS_BASE = "/api/docs";
export const SPEC_URL = "/api/v1/openapi.json";

export function docsPageHtml(swaggerUiVersion: string): string {
  const v = encodeURIComponent(swaggerUiVersion);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>POS API reference · Kassa Display</title>
<link rel="icon" type="image/png" sizes="32x32" href="${DOCS_BASE}/favicon-32x32.png?v=${v}">
<link rel="icon" type="image/png" sizes="16x16" href="${DOCS_BASE}/favicon-16x16.png?v=${v}">
<link rel="stylesheet" href="${DOCS_BASE}/swagger-ui.css?v=${v}">
<link rel="stylesheet" href="${DOCS_BASE}/docs.css?v=${v}">
</head>
<body>
<header class="kassa-docs-bar">
<a href="/" class="kassa-docs-home">Kassa Display</a>
<span class="kassa-docs-title">POS API reference</span>
<a href="${SPEC_URL}" class="kassa-docs-raw" data-testid="docs-openapi-json">OpenAPI document (JSON)</a>
</header>
<main id="swagger-ui" data-testid="docs-root" data-spec-url="${SPEC_URL}">
<noscript><p class="kassa-docs-noscript">This reference needs JavaScript. The same content is in the <a href="${SPEC_URL}">OpenAPI document</a>.</p></noscript>
</main>
<script src="${DOCS_BASE}/swagger-ui-bundle.js?v=${v}"></script>
<script src="${DOCS_BASE}/docs.js?v=${v}"></script>
</body>
</html>
`;
}

/**
 * Starts Swagger UI on the page. validatorUrl null: Swagger UI would otherwise send the document to
 * validator.swagger.io for its badge. "Try it out" stays: it calls this app's own API, when the page
 * is opened at PUBLIC_URL (the document's server); the policy blocks calls to any other origin.
 */
export const DOCS_SCRIPT = `"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    validatorUrl: null,
    deepLinking: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    displayRequestDuration: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
`;

export const DOCS_STYLE = `body{margin:0;background:#fff;color:#1e1b2e}
.kassa-docs-bar{display:flex;flex-wrap:wrap;align-items:center;gap:8px 20px;padding:12px 20px;background:#1e1b2e;color:#fff;
  font-family:ui-sans-serif,system-ui,"Segoe UI",Roboto,Arial,sans-serif;font-size:15px}
.kassa-docs-bar a{color:#fff}
.kassa-docs-home{font-weight:700;text-decoration:none}
.kassa-docs-title{color:#d9d6e6}
.kassa-docs-raw{margin-left:auto}
.kassa-docs-noscript{padding:20px;font-family:ui-sans-serif,system-ui,sans-serif}
`;
