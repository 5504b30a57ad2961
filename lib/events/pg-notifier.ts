import "server-only";
import pg from "pg";
import type { Logger } from "@/lib/log";
import type { ChangeNotifier } from "./change-notifier";

/** The displays' channel; another (the POS events') is named to start(). */
const CHANNEL = "kassa_terminal_changed";
const MAX_BACKOFF_MS = 5_000;
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * PostgreSQL LISTEN/NOTIFY as the doorbell between instances. One dedicated connection listens;
 * rings go out through a small pool. When the listening connection drops, it reconnects with
 * backoff and then asks listeners to re-read everything, since rings sent meanwhile are lost.
 */
export class PgNotifier implements ChangeNotifier {
  private readonly pool: pg.Pool;
  private listener: pg.Client | undefined;
  private readonly changeListeners: ((terminalId: string) => void)[] = [];
  private readonly resyncListeners: (() => void)[] = [];
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly connectionString: string,
    private readonly log: Logger,
    private readonly channel: string,
  ) {
    // Bounded connection attempts, as the store's (lib/store/connect.ts): a reconnect that hung
    // on an unreachable server would never try again.
    this.pool = new pg.Pool({ connectionString, max: 2, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    // An idle pooled connection that dies must not crash the process; the next query reconnects.
    this.pool.on("error", (error) => this.log.warn("Notifier pool connection failed", { err: error }));
  }

  static async start(connectionString: string, log: Logger, channel = CHANNEL): Promise<PgNotifier> {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Not a channel name: ${channel}`);
    const notifier = new PgNotifier(connectionString, log, channel);
    await notifier.listen(0);
    return notifier;
  }

  private async listen(attempt: number): Promise<void> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    client.on("notification", (message) => {
      if (message.channel !== this.channel || !message.payload) return;
      for (const listener of this.changeListeners) listener(message.payload);
    });
    const lost = (error?: unknown) => {
      if (this.listener !== client || this.closed) return;
      this.listener = undefined;
      this.log.warn(
        "Lost the database notification connection; reconnecting",
        error === undefined ? { reason: "connection ended" } : { err: error },
      );
      this.discard(client);
      this.scheduleReconnect(1);
    };
    client.on("error", lost);
    client.on("end", () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      this.discard(client);
      if (attempt === 0) throw error;
      this.log.warn("Reconnecting the database notification connection failed", { err: error });
      this.scheduleReconnect(attempt + 1);
      return;
    }
    this.listener = client;
    if (attempt > 0) {
      this.log.info("Database notification connection is back; re-publishing current state");
      for (const listener of this.resyncListeners) listener();
    }
  }

  /**
   * Closes a connection that has failed already. Its end may fail too, which tells nothing new (the
   * failure that made us drop it is logged): a debug line, so that a flapping database does not
   * double every warning.
   */
  private discard(client: pg.Client): void {
    client
      .end()
      .catch((error: unknown) => this.log.debug("Closing a failed notification connection failed", { err: error }));
  }

  private scheduleReconnect(attempt: number): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** attempt);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.listen(attempt);
    }, delay);
    this.reconnectTimer.unref();
  }

  async notify(terminalId: string): Promise<void> {
    await this.pool.query("SELECT pg_notify($1, $2)", [this.channel, terminalId]);
  }

  onChange(listener: (terminalId: string) => void): void {
    this.changeListeners.push(listener);
  }

  onResync(listener: () => void): void {
    this.resyncListeners.push(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.listener
      ?.end()
      .catch((error: unknown) => this.log.warn("Could not close the database notification connection", { err: error }));
    await this.pool
      .end()
      .catch((error: unknown) => this.log.warn("Could not close the notifier's connection pool", { err: error }));
  }
}
