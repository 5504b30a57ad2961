import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "../support/fixtures";
import { callAs, signIn } from "./staff-helpers";

/**
 * A first start without KASSA_ADMIN_PASSWORD generates the owner's password and writes it to
 * data/initial-credentials.txt. Once the owner sets a password of their own, that file must not go
 * on offering the old one: it is removed.
 */
test.use({ appOptions: { env: { KASSA_ADMIN_PASSWORD: undefined } } });

test("the owner's new password removes the generated one's file", async ({ app }) => {
  const file = path.join(app.dataDir, "initial-credentials.txt");
  const generated = /^Owner password \(.*\): (\S+)$/m.exec(readFileSync(file, "utf8"))?.[1];
  expect(generated).toBeTruthy();

  const owner = callAs(app, { cookie: await signIn(app, { username: "owner", password: generated! }) });
  const me = (await (await owner("/api/v1/me")).json()) as { id: string };
  const changed = await owner(`/api/v1/staff/${encodeURIComponent(me.id)}`, {
    method: "PATCH",
    json: { password: "the-owners-own-password" },
  });
  expect(changed.status, await changed.clone().text()).toBe(200);

  expect(existsSync(file)).toBe(false);
  await signIn(app, { username: "owner", password: "the-owners-own-password" });
});
