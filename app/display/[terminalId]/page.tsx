"use client";

import { use } from "react";
import { DisplayScreen } from "@/components/display/display-screen";

/**
 * The customer display for one terminal. A client page on purpose: it holds no data of its own
 * and talks only to the display endpoints, with the display link's token or the device cookie.
 */
export default function DisplayPage({
  params,
  searchParams,
}: {
  params: Promise<{ terminalId: string }>;
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  const { terminalId } = use(params);
  const { token } = use(searchParams);
  return <DisplayScreen terminalId={terminalId} token={typeof token === "string" && token ? token : null} />;
}
