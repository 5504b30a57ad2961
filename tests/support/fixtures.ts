/**
 * The `app` fixture: every spec file gets one fresh app of its own (./app-server's startApp), shared
 * by the tests of that file, and stopped when the next file starts or the worker ends.
 *
 *   import { expect, test } from "../support/fixtures";
 *   test.use({ appOptions: { env: { VIPPS_ENV: "test" }, requireWebhook: false } }); // optional
 *   test("…", async ({ app }) => { … });
 *
 * Playwright has no file scope. A worker runs the files of its project one after another and keeps
 * its worker fixtures across them, so the app lives in the worker-scoped `fileApp` holder, keyed by
 * the test's file: the first test of a new file stops the previous file's app and starts its own.
 * A worker that restarts after a failure starts a fresh app too, as beforeAll did.
 */
import { test as base, expect } from "@playwright/test";
import { type AppHandle, type AppOptions, startApp } from "./app-server";

interface FileApp {
  /** The app for `key` (a file, per repetition), started on first use; any other key's app is stopped first. */
  forFile(key: string, options: AppOptions): Promise<AppHandle>;
}

export const test = base.extend<{ app: AppHandle }, { appOptions: AppOptions; fileApp: FileApp }>({
  // Worker-scoped so that a file's options hold for all of its tests (test.use at the file's top level).
  appOptions: [{}, { scope: "worker", option: true }],

  fileApp: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      let current: { key: string; app: Promise<AppHandle> } | undefined;
      const stopCurrent = async () => {
        const previous = current;
        current = undefined;
        // A start that failed left nothing running.
        await previous?.app.then((app) => app.stop()).catch(() => undefined);
      };
      await use({
        async forFile(key, options) {
          if (current?.key !== key) {
            await stopCurrent();
            current = { key, app: startApp(options) };
          }
          return current.app;
        },
      });
      await stopCurrent();
    },
    { scope: "worker", timeout: 30_000 },
  ],

  app: [
    async ({ fileApp, appOptions }, use, testInfo) => {
      // --repeat-each runs a file again in the same worker: each repetition gets a fresh app too.
      // Every answer a spec gets through app.api() is checked against the API's OpenAPI document.
      await use(
        await fileApp.forFile(`${testInfo.file}#${testInfo.repeatEachIndex}`, {
          checkAnswersAgainstDocument: true,
          ...appOptions,
        }),
      );
    },
    // Starting (or replacing) the file's app is set up, not the test: it has its own time budget.
    { timeout: 300_000 },
  ],
});

export { expect };
