// A display left open across a restart must follow the new server, not the one that is leaving.
import { expect, test } from "../support/fixtures";
import { createSale, expectPhase, openDisplay } from "./support/e2e";

test("after SIGTERM and a new start, an open display shows the next sale within 5 s", async ({ app, browser }) => {
  const display = await openDisplay(browser, app);
  await expect(display.page.getByTestId("display-phase")).toHaveAttribute("data-connection", "live");

  // As a shell or a supervisor restarts it: the new server starts once the old one stops listening,
  // whether or not the old process has exited yet. The old one gets 15 s before SIGKILL.
  const { previousExit } = await app.restart({ overlap: true, killAfterMs: 15_000 });
  await createSale(app);
  await expectPhase(display.page, "pending", 5_000);

  const exit = await previousExit;
  expect(exit?.forced).toBe(false);
  expect(exit?.afterMs).toBeLessThan(10_000);
  await display.context.close();
});
