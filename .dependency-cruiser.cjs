/**
 * Which way the arrows between our modules may point; `npm run lint` runs it (lint:deps).
 * Top to bottom: app/ (pages, thin routes) and components/ → lib/http (the request edge: route(),
 * body limits, problem+json) and lib/runtime.ts (the composition root, which only app/ asks for
 * services) → the services (sales, terminals, display, auth, …) → lib/store → lib/entities,
 * lib/errors.ts, lib/clock.ts and Vipps' facts. lib/transport (kept-alive fetch, Node ↔ web
 * Request/Response) is plumbing that imports nothing of ours. The simulator stands apart: the app
 * reaches it over HTTP, and only runtime.ts starts it.
 * Violations older than the check are listed in .dependency-cruiser-known-violations.json, which
 * `--ignore-known` skips: the check fails on any new cycle or arrow, and paying one off means
 * deleting its entry (`npm run lint:deps:baseline` rewrites the file from what is left). Today:
 *   - lib/http/api.ts → lib/runtime.ts: route() fetches the services itself; the routes should hand
 *     them in.
 *   - components/admin/settings-view.tsx → lib/runtime.ts: the HealthReport type; it belongs with
 *     the health contract.
 *   - lib/display/display-access.ts → lib/http/client-address.ts: the default way to read a
 *     request's address; runtime.ts always passes one, the tests do not.
 *   - lib/display/display-stream.ts → lib/http/shutdown.ts: the streams end on shutdownSignal();
 *     the process's end is not the request edge's and belongs in a folder of its own.
 * The baseline holds arrows only: dependency-cruiser does not match folder cycles against it, so
 * a folder cycle must be fixed, not listed.
 */
const SERVICES =
  "^lib/(sales|terminals|display|auth|catalogue|settings|reports|webhooks|go-live|events|pos-events|background|vipps|contracts|i18n|branding|closes|receipts|health|stores|staff|audit|settlements)/";

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "A module cycle makes load order matter and layers meaningless.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-folder-cycle",
      comment: "Two folders that import each other are one folder in disguise.",
      severity: "error",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
    {
      name: "lib-not-to-app-or-components",
      comment: "lib/ is what app/ and components/ are built on, never the other way.",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^(app|components)/" },
    },
    {
      name: "components-not-to-server",
      comment: "Components run in the browser too: no store, no composition root, no request edge.",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^lib/(store/|runtime\\.ts|bootstrap\\.ts|http/)" },
    },
    {
      name: "routes-not-to-store",
      comment: "Routes call one service; only services touch the store.",
      severity: "error",
      from: { path: "^app/" },
      to: { path: "^lib/store/" },
    },
    {
      name: "domain-not-to-http",
      comment: "Services know nothing of requests and responses; lib/http maps their answers.",
      severity: "error",
      from: { path: `${SERVICES}|^lib/(store|entities)/` },
      to: { path: "^lib/http/" },
    },
    {
      name: "below-root-not-to-root",
      comment: "Only app/ asks the composition root for services; everything in lib/ is handed what it needs.",
      severity: "error",
      from: { path: "^lib/", pathNot: "^lib/(runtime|bootstrap)\\.ts$" },
      to: { path: "^lib/(runtime|bootstrap)\\.ts$" },
    },
    {
      name: "store-only-down",
      comment: "The store shares the entities and the error model, and knows no service.",
      severity: "error",
      from: { path: "^lib/store/" },
      to: { path: "^lib/", pathNot: "^lib/(store/|entities/|errors\\.ts$|clock\\.ts$|vipps/facts\\.ts$|transport/)" },
    },
    {
      name: "entities-only-down",
      comment: "Entities are the bottom layer: they import nothing of ours but each other, errors and Vipps' limits.",
      severity: "error",
      from: { path: "^lib/entities/" },
      to: { path: "^lib/", pathNot: "^lib/(entities/|errors\\.ts$|vipps/facts\\.ts$)" },
    },
    {
      name: "transport-imports-nothing-of-ours",
      comment: "Transport is shared by the app and the standalone simulator, so it may know neither.",
      severity: "error",
      from: { path: "^lib/transport/" },
      to: { path: "^(lib|app|components)/", pathNot: "^lib/transport/" },
    },
    {
      name: "simulator-apart",
      comment:
        "The simulator stands alone (npm run simulator): Vipps' facts, transport, and three leaves that import nothing of ours: the clock, the constant-time comparison of secrets and the data directory's permissions.",
      severity: "error",
      from: { path: "^lib/simulator/" },
      to: {
        path: "^lib/",
        pathNot:
          "^lib/(simulator/|clock\\.ts$|safe-equal\\.ts$|data-dir\\.ts$|vipps/(brand|schemas|webhook-signature|facts)\\.ts$|transport/)",
      },
    },
    {
      name: "nothing-to-simulator",
      comment:
        "The app reaches the simulator over HTTP; only the composition root starts it, and the config reads its settings.",
      severity: "error",
      from: { path: "^lib/", pathNot: "^lib/(simulator/|runtime\\.ts$)" },
      to: { path: "^lib/simulator/", pathNot: "^lib/simulator/settings\\.ts$" },
    },
    {
      name: "simulator-settings-to-config-only",
      comment: "Only the app's config reads the simulator's settings (demo credentials, its variables).",
      severity: "error",
      from: { path: "^lib/", pathNot: "^lib/(simulator/|runtime\\.ts$|config\\.ts$)" },
      to: { path: "^lib/simulator/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
