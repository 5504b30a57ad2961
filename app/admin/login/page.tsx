import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { LoginForm } from "@/components/admin/login-form";
import { ADMIN_SESSION_COOKIE } from "@/lib/auth/admin-session";
import { getServices } from "@/lib/runtime";

export const metadata: Metadata = { title: "Sign in" };

function safeNext(next: string | string[] | undefined): string {
  // Only same-site admin paths: an open redirect after sign-in would be a phishing aid.
  return typeof next === "string" && /^\/admin(\/|$|\?)/.test(next) ? next : "/admin";
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  await connection();
  const next = safeNext((await searchParams).next);
  const { admin } = await getServices();
  const session = (await cookies()).get(ADMIN_SESSION_COOKIE)?.value;
  if (await admin.isSignedIn(session)) redirect(next);
  return (
    <main className="flex min-h-dvh items-center justify-center bg-ink-950 px-4 py-10">
      <LoginForm next={next} />
    </main>
  );
}
