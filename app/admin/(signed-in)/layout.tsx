import type { ReactNode } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { AdminShell } from "@/components/admin/admin-shell";
import { ADMIN_SESSION_COOKIE } from "@/lib/auth/admin-session";
import { getServices } from "@/lib/runtime";

/** Every admin page but sign-in: checks the session cookie on the server before rendering. */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  await connection();
  const { admin, config } = await getServices();
  const session = (await cookies()).get(ADMIN_SESSION_COOKIE)?.value;
  if (!(await admin.isSignedIn(session))) redirect("/admin/login");
  return <AdminShell publicUrl={config.publicUrl}>{children}</AdminShell>;
}
