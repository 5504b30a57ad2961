import { expect } from "@playwright/test";
import type { AppHandle } from "../support/app-server";

/** Signs in through the admin's sign-in route; returns the session cookie as a Cookie header value. */
export async function signIn(app: AppHandle, body: Record<string, string>, cookie?: string): Promise<string> {
  const response = await fetch(`${app.url}/api/admin/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: app.url, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  const session = response.headers.getSetCookie().find((c) => c.startsWith("kassa_admin="));
  return session!.split(";")[0]!;
}

/** A call to the app as a signed-in browser of ours (its Origin) or with an API key. */
export function callAs(app: AppHandle, credential: { cookie: string } | { key: string }) {
  return (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if ("cookie" in credential) {
      headers.set("cookie", credential.cookie);
      headers.set("origin", app.url);
    } else headers.set("authorization", `Bearer ${credential.key}`);
    if (init.json !== undefined) headers.set("content-type", "application/json");
    const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
    return fetch(`${app.url}${path}`, { ...init, headers, body });
  };
}

export interface NewStaff {
  username: string;
  name?: string;
  role: "owner" | "manager" | "cashier";
  storeIds?: string[];
  password?: string;
  pin?: string;
}

/** Adds a member as the signed-in owner: staff are managed by staff, not by API keys. */
export async function addStaff(app: AppHandle, ownerCookie: string, member: NewStaff): Promise<{ id: string }> {
  const response = await callAs(app, { cookie: ownerCookie })("/api/v1/staff", {
    method: "POST",
    json: { name: member.username, storeIds: ["store-1"], ...member },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as { id: string };
}

export async function createKey(
  app: AppHandle,
  ownerCookie: string,
  body: { name: string; scopes: string[]; storeIds?: string[] },
): Promise<{ id: string; key: string }> {
  const response = await callAs(app, { cookie: ownerCookie })("/api/v1/api-keys", { method: "POST", json: body });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as { id: string; key: string };
}

/** Enrols a browser as a till (as its owner or manager) and returns its device cookie. */
export async function enrolTill(app: AppHandle, cookie: string, label: string): Promise<string> {
  const response = await callAs(app, { cookie })("/api/admin/till", { method: "POST", json: { label } });
  expect(response.status, await response.clone().text()).toBe(201);
  return response.headers.getSetCookie()[0]!.split(";")[0]!;
}
