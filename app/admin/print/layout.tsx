import type { ReactNode } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { ADMIN_SESSION_COOKIE } from "@/lib/auth/admin-session";
import { getServices } from "@/lib/runtime";

/** Print views (a close on an 80 mm roll): signed in, as every admin page, but without the admin's frame. */
export default async function PrintLayout({ children }: { children: ReactNode }) {
  await connection();
  const { admin } = await getServices();
  const session = (await cookies()).get(ADMIN_SESSION_COOKIE)?.value;
  if (!(await admin.isSignedIn(session))) redirect("/admin/login");
  return <>{children}</>;
}
