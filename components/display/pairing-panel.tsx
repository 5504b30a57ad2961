"use client";

import { useEffect, useRef, useState } from "react";
import type { DisplayMessages } from "@/lib/i18n/display-messages";
import { formatCountdown } from "@/lib/i18n/locale";
import { useServerNow } from "./use-server-now";

interface Pairing {
  id: string;
  code: string;
  expiresAt: number;
  offsetMs: number;
}

const POLL_MS = 2_000;

/**
 * An unpaired display shows a short code for the cashier to type into the admin page, then picks
 * up its device cookie by polling the pairing it created. A code that runs out is replaced.
 */
export function PairingPanel({
  messages,
  notice,
  onPaired,
}: {
  messages: DisplayMessages;
  notice?: string;
  onPaired: (terminalId: string) => void;
}) {
  const [pairing, setPairing] = useState<Pairing | undefined>(undefined);
  const [generation, setGeneration] = useState(0);
  const onPairedRef = useRef(onPaired);
  onPairedRef.current = onPaired;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new generation restarts pairing on purpose
  useEffect(() => {
    let disposed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let current: Pairing | undefined;

    const start = async () => {
      try {
        const response = await fetch("/api/display/pairings", { method: "POST", cache: "no-store" });
        if (!response.ok) throw new Error(String(response.status));
        const body = (await response.json()) as { id: string; code: string; expiresAt: string; serverTime?: string };
        const offsetMs = body.serverTime ? Date.parse(body.serverTime) - Date.now() : 0;
        current = { id: body.id, code: body.code, expiresAt: Date.parse(body.expiresAt), offsetMs };
        if (!disposed) setPairing(current);
        timer = setTimeout(poll, POLL_MS);
      } catch {
        if (!disposed) timer = setTimeout(start, 5_000);
      }
    };

    const poll = async () => {
      if (disposed || !current) return;
      try {
        const response = await fetch(`/api/display/pairings/${encodeURIComponent(current.id)}`, { cache: "no-store" });
        if (response.ok) {
          const body = (await response.json()) as { status: string; terminalId?: string };
          if (body.status === "paired" && body.terminalId) {
            onPairedRef.current(body.terminalId);
            return;
          }
          if (body.status === "expired") {
            setGeneration((value) => value + 1);
            return;
          }
        } else if (response.status === 404) {
          setGeneration((value) => value + 1);
          return;
        }
      } catch {
        // Offline for a moment; keep the code on screen and ask again.
      }
      if (!disposed) timer = setTimeout(poll, POLL_MS);
    };

    void start();
    return () => {
      disposed = true;
      clearTimeout(timer);
    };
  }, [generation]);

  const now = useServerNow(pairing?.offsetMs ?? 0, !!pairing, pairing?.expiresAt, 1_000);
  const remaining = pairing ? pairing.expiresAt - now : 0;
  useEffect(() => {
    if (pairing && remaining <= 0) setGeneration((value) => value + 1);
  }, [pairing, remaining]);

  return (
    <div
      data-testid="display-pairing"
      className="flex h-full w-full flex-col items-center justify-center gap-[4vmin] bg-ink-950 px-[6vmin] text-center text-white"
    >
      {notice ? (
        <p
          data-testid="display-unauthorized"
          className="rounded-full bg-white/10 px-[3vmin] py-[1vmin] text-[2.6vmin] text-ink-200"
        >
          {notice}
        </p>
      ) : null}
      <h1 className="text-[5.5vmin] font-bold tracking-tight">{messages.pairTitle}</h1>
      <p
        data-testid="display-pairing-code"
        role="img"
        aria-label={pairing?.code.split("").join(" ")}
        className="flex gap-[1.6vmin] font-mono text-[11vmin] leading-none font-bold"
      >
        {(pairing?.code ?? "······").split("").map((char, index) => (
          <span
            key={index}
            className="flex h-[16vmin] w-[11.5vmin] items-center justify-center rounded-[1.6vmin] border-[0.4vmin] border-brand/70 bg-white/5"
          >
            {char}
          </span>
        ))}
      </p>
      <p className="max-w-[70vw] text-[3.2vmin] leading-snug text-ink-200">{messages.pairHint}</p>
      {pairing ? (
        <p className="text-[2.6vmin] text-ink-300">
          {messages.pairCodeValidFor}{" "}
          <span className="font-semibold text-white tabular-nums">{formatCountdown(remaining)}</span>
        </p>
      ) : null}
    </div>
  );
}
