"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import useSWR from "swr";
import type { DisplayState } from "@/lib/display/display-state";
import { displayId, screenSize } from "./display-identity";

/** As lib/display/display-presence.ts DISPLAY_HEARTBEAT_MS (a server module, not imported here). */
const DISPLAY_HEARTBEAT_MS = 20_000;

/** Network status of the live feed, for the small "reconnecting" hint and for tests. */
export type FeedConnection = "connecting" | "live" | "polling";

export class FeedError extends Error {
  constructor(readonly status: number) {
    super(`Display state request failed with ${status}`);
    this.name = "FeedError";
  }
}

interface Snapshot {
  state: DisplayState;
  /**
   * Order stamp. A push gets it on arrival, a poll when its request starts, so a poll that was
   * already in flight when a newer push arrived can never roll the screen back.
   */
  seq: number;
  /** Device time at arrival; with `serverTime` it gives the server clock offset. */
  receivedAt: number;
}

export interface DisplayFeed {
  state: DisplayState | undefined;
  /** serverTime − device time at receipt; add to Date.now() to get the server's clock. */
  offsetMs: number;
  connection: FeedConnection;
  /** The server said 401/403/404: this browser may not see the terminal. */
  unauthorized: boolean;
  refresh: () => void;
}

const POLL_WHILE_LIVE_MS = 15_000;
const POLL_WHILE_DOWN_MS = 2_000;
const POLL_WHILE_UNAUTHORIZED_MS = 10_000;
const MAX_RECONNECT_DELAY_MS = 15_000;

function sameScreen(a: DisplayState, b: DisplayState): boolean {
  return a.phase === b.phase && a.sale?.id === b.sale?.id && a.sale?.qr?.url === b.sale?.qr?.url;
}

/**
 * The display's view of its terminal: server-sent events for speed, SWR polling as the safety net.
 * Polling runs fast whenever the stream is down and slowly while it is up, because a stream can
 * die silently (a Wi-Fi drop leaves the socket open); a poll that finds a screen the stream never
 * sent restarts the stream.
 */
export function useDisplayFeed(
  terminalId: string,
  token: string | null,
  options: { enabled?: boolean; reportHealth?: boolean } = {},
): DisplayFeed {
  const enabled = options.enabled ?? true;
  const reportHealth = options.reportHealth ?? false;
  const query = token ? `?token=${encodeURIComponent(token)}` : "";
  const base = `/api/display/${encodeURIComponent(terminalId)}`;
  const stateUrl = `${base}/state${query}`;
  const [identity, setIdentity] = useState<{ id: string; screen: string } | undefined>(undefined);
  useEffect(() => {
    if (reportHealth) setIdentity({ id: displayId(), screen: screenSize() });
  }, [reportHealth]);
  // A customer display names itself on its stream, so the shop can see it is connected.
  const eventsUrl = identity
    ? `${base}/events${query ? `${query}&` : "?"}display=${encodeURIComponent(identity.id)}&screen=${identity.screen}`
    : `${base}/events${query}`;

  // Display health: the display's own word that it is alive (a dead socket can look open to the server).
  useEffect(() => {
    if (!identity || !enabled) return;
    const beat = () =>
      void fetch(`${base}/heartbeat${query}`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ displayId: identity.id, screen: screenSize() }),
      }).catch(() => undefined);
    const timer = setInterval(beat, DISPLAY_HEARTBEAT_MS);
    return () => clearInterval(timer);
  }, [identity, enabled, base, query]);

  const seqRef = useRef(0);
  const [pushed, setPushed] = useState<Snapshot | undefined>(undefined);
  const [connection, setConnection] = useState<FeedConnection>("connecting");
  const [streamGeneration, setStreamGeneration] = useState(0);

  const fetcher = useCallback(async (url: string): Promise<Snapshot> => {
    const seq = ++seqRef.current;
    const response = await fetch(url, { cache: "no-store", credentials: "same-origin" });
    if (!response.ok) throw new FeedError(response.status);
    const state = (await response.json()) as DisplayState;
    return { state, seq, receivedAt: Date.now() };
  }, []);

  const [unauthorized, setUnauthorized] = useState(false);
  const { data: polled, mutate } = useSWR<Snapshot, Error>(enabled ? stateUrl : null, fetcher, {
    refreshInterval: unauthorized
      ? POLL_WHILE_UNAUTHORIZED_MS
      : connection === "live"
        ? POLL_WHILE_LIVE_MS
        : POLL_WHILE_DOWN_MS,
    refreshWhenHidden: true,
    // navigator.onLine is unreliable on kiosks behind captive Wi-Fi: keep asking regardless.
    refreshWhenOffline: true,
    revalidateOnFocus: true,
    revalidateOnReconnect: true,
    // refreshInterval already retries on its own schedule; SWR's exponential retry would stack.
    shouldRetryOnError: false,
    dedupingInterval: 500,
    keepPreviousData: true,
    onSuccess: () => setUnauthorized(false),
    onError: (error) => {
      if (error instanceof FeedError && [401, 403, 404].includes(error.status)) setUnauthorized(true);
    },
  });

  // The stream: one EventSource, rebuilt with backoff whenever the browser gives up on it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new stream generation rebuilds the EventSource on purpose
  useEffect(() => {
    // A display that reports its health opens its stream once it knows its id, not twice.
    if (unauthorized || !enabled || (reportHealth && !identity)) return;
    let source: EventSource | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let disposed = false;

    const connect = () => {
      if (disposed) return;
      source?.close();
      const current = new EventSource(eventsUrl, { withCredentials: true });
      source = current;
      current.addEventListener("open", () => {
        failures = 0;
      });
      current.addEventListener("state", (event) => {
        if (source !== current) return;
        try {
          const state = JSON.parse((event as MessageEvent<string>).data) as DisplayState;
          setPushed({ state, seq: ++seqRef.current, receivedAt: Date.now() });
          setConnection("live");
        } catch {
          // A garbled frame is ignored; the next one, or the poll, carries the truth.
        }
      });
      // Heartbeats prove the stream is alive even when nothing happens at the counter for hours.
      current.addEventListener("ping", () => {
        if (source === current) setConnection("live");
      });
      current.addEventListener("error", () => {
        if (source !== current) return;
        setConnection("polling");
        if (current.readyState === EventSource.CLOSED) {
          // The browser retries network errors itself but gives up on HTTP errors (a 502 from a
          // proxy while the server restarts, a 401): rebuild it ourselves, backing off.
          failures += 1;
          const delay = Math.min(MAX_RECONNECT_DELAY_MS, 500 * 2 ** Math.min(failures, 5));
          clearTimeout(retryTimer);
          retryTimer = setTimeout(connect, delay);
          void mutate();
        }
      });
    };

    const reconnectNow = () => {
      failures = 0;
      clearTimeout(retryTimer);
      connect();
      void mutate();
    };
    const onVisible = () => {
      if (document.visibilityState === "visible" && source?.readyState !== EventSource.OPEN) reconnectNow();
    };

    connect();
    window.addEventListener("online", reconnectNow);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      disposed = true;
      clearTimeout(retryTimer);
      source?.close();
      window.removeEventListener("online", reconnectNow);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [eventsUrl, unauthorized, enabled, streamGeneration, mutate, reportHealth, identity]);

  // A poll newer than the last push that shows another screen means the stream went quiet.
  useEffect(() => {
    if (!polled || !pushed || connection !== "live") return;
    if (polled.seq > pushed.seq && !sameScreen(polled.state, pushed.state) && Date.now() - pushed.receivedAt > 3_000) {
      setConnection("polling");
      setStreamGeneration((generation) => generation + 1);
    }
  }, [polled, pushed, connection]);

  const latest = useMemo(() => {
    if (!pushed) return polled;
    if (!polled) return pushed;
    return polled.seq > pushed.seq ? polled : pushed;
  }, [polled, pushed]);

  const refresh = useCallback(() => {
    void mutate();
  }, [mutate]);

  return {
    state: unauthorized ? undefined : latest?.state,
    offsetMs: latest ? Date.parse(latest.state.serverTime) - latest.receivedAt : 0,
    connection,
    unauthorized,
    refresh,
  };
}
