import "server-only";
import { type Insertable, type Kysely, type Selectable, sql } from "kysely";
import type {
  DisplayDevice,
  DisplayKind,
  DisplayPairing,
  DisplayPresence,
  DisplayPresenceSeen,
} from "@/lib/entities/display";
import { FIRST_STORE_ID } from "@/lib/entities/retail-store";
import type { Terminal } from "@/lib/entities/terminal";
import type { StoreConnection, StoreDialect } from "./connect";
import { storedBoolean } from "./dialect";
import { precompiled } from "./precompiled";
import type { CountersRepository } from "./repositories";
import type { Database } from "./schema";

/** Terminals, their carts, display devices, pairings and display presence on Kysely, SQLite and PostgreSQL alike. */
export class KyselyCountersRepository implements CountersRepository {
  private readonly db: Kysely<Database>;
  private readonly dialect: StoreDialect;
  /** The reads every display state and cart change makes, compiled once. */
  private readonly hot;

  constructor(connection: StoreConnection) {
    const db = (this.db = connection.db);
    this.dialect = connection.dialect;
    this.hot = {
      terminal: precompiled(db, 1, (id: string) => db.selectFrom("terminals").selectAll().where("id", "=", id)),
      cart: precompiled(db, 1, (terminalId: string) =>
        db.selectFrom("terminal_carts").select(["cart", "updated_at"]).where("terminal_id", "=", terminalId),
      ),
    };
  }

  // --- Terminals ---------------------------------------------------------------------------------

  async listTerminals() {
    const rows = await this.db.selectFrom("terminals").selectAll().orderBy("created_at").orderBy("id").execute();
    return rows.map(toTerminal);
  }

  async getTerminal(id: string) {
    const [row] = await this.hot.terminal(id);
    return row ? toTerminal(row) : undefined;
  }

  async getTerminalByDisplayToken(token: string) {
    const row = await this.db.selectFrom("terminals").selectAll().where("display_token", "=", token).executeTakeFirst();
    return row ? toTerminal(row) : undefined;
  }

  async insertTerminal(t: Terminal) {
    const result = await this.db
      .insertInto("terminals")
      .values(terminalRow(t, this.dialect))
      .onConflict((oc) => oc.column("id").doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async saveTerminal(t: Terminal) {
    // The display token is left out of the update on purpose: see CountersRepository.saveTerminal.
    await this.db
      .insertInto("terminals")
      .values(terminalRow(t, this.dialect))
      .onConflict((oc) =>
        oc.column("id").doUpdateSet((eb) => ({
          name: eb.ref("excluded.name"),
          pos_id: eb.ref("excluded.pos_id"),
          language: eb.ref("excluded.language"),
          currency: eb.ref("excluded.currency"),
          chime: eb.ref("excluded.chime"),
          store_id: eb.ref("excluded.store_id"),
        })),
      )
      .execute();
  }

  async setDisplayToken(id: string, token: string) {
    const result = await this.db
      .updateTable("terminals")
      .set({ display_token: token })
      .where("id", "=", id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  // --- Live carts --------------------------------------------------------------------------------

  async getCart(terminalId: string): Promise<{ cart: unknown; updatedAt: string } | undefined> {
    const [row] = await this.hot.cart(terminalId);
    return row ? { cart: JSON.parse(row.cart) as unknown, updatedAt: row.updated_at } : undefined;
  }

  async saveCart(terminalId: string, cart: unknown, updatedAt: string): Promise<void> {
    await this.db
      .insertInto("terminal_carts")
      .values({ terminal_id: terminalId, cart: JSON.stringify(cart), updated_at: updatedAt })
      .onConflict((oc) =>
        oc
          .column("terminal_id")
          .doUpdateSet((eb) => ({ cart: eb.ref("excluded.cart"), updated_at: eb.ref("excluded.updated_at") })),
      )
      .execute();
  }

  async clearCart(terminalId: string): Promise<boolean> {
    const result = await this.db.deleteFrom("terminal_carts").where("terminal_id", "=", terminalId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  // --- Display devices and pairings --------------------------------------------------------------

  async saveDevice(d: DisplayDevice) {
    await this.db
      .insertInto("display_devices")
      .values({
        id: d.id,
        terminal_id: d.terminalId,
        token_hash: d.tokenHash,
        label: d.label,
        created_at: d.createdAt,
        revoked_at: d.revokedAt ?? null,
      })
      .onConflict((oc) =>
        oc.column("id").doUpdateSet((eb) => ({
          terminal_id: eb.ref("excluded.terminal_id"),
          label: eb.ref("excluded.label"),
          revoked_at: eb.ref("excluded.revoked_at"),
        })),
      )
      .execute();
  }

  async getDeviceByTokenHash(tokenHash: string) {
    const row = await this.db
      .selectFrom("display_devices")
      .selectAll()
      .where("token_hash", "=", tokenHash)
      .executeTakeFirst();
    return row ? toDevice(row) : undefined;
  }

  async listDevices(terminalId?: string) {
    const rows = await this.db
      .selectFrom("display_devices")
      .selectAll()
      .$if(terminalId !== undefined, (query) => query.where("terminal_id", "=", terminalId!))
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(toDevice);
  }

  async revokeDevice(id: string, revokedAt: string) {
    const result = await this.db
      .updateTable("display_devices")
      .set((eb) => ({ revoked_at: eb.fn.coalesce("revoked_at", eb.val(revokedAt)) }))
      .where("id", "=", id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async renameDevice(id: string, label: string) {
    const result = await this.db.updateTable("display_devices").set({ label }).where("id", "=", id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async savePairing(p: DisplayPairing) {
    await this.db
      .insertInto("display_pairings")
      .values({
        id: p.id,
        code: p.code,
        expires_at: p.expiresAt,
        terminal_id: p.terminalId ?? null,
        device_token: p.deviceToken ?? null,
        claimed_at: p.claimedAt ?? null,
      })
      .onConflict((oc) =>
        oc.column("id").doUpdateSet((eb) => ({
          terminal_id: eb.ref("excluded.terminal_id"),
          device_token: eb.ref("excluded.device_token"),
          claimed_at: eb.ref("excluded.claimed_at"),
        })),
      )
      .execute();
  }

  async pruneExpiredPairings(expiredBefore: string): Promise<number> {
    const result = await this.db
      .deleteFrom("display_pairings")
      .where("expires_at", "<", expiredBefore)
      .where("terminal_id", "is", null)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async getPairingByCode(code: string) {
    const row = await this.db
      .selectFrom("display_pairings")
      .selectAll()
      .where("code", "=", code)
      .where("terminal_id", "is", null)
      .orderBy("expires_at", "desc")
      .limit(1)
      .executeTakeFirst();
    return row ? toPairing(row) : undefined;
  }

  async getPairing(id: string) {
    const row = await this.db.selectFrom("display_pairings").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toPairing(row) : undefined;
  }

  // --- Display presence --------------------------------------------------------------------------

  async recordDisplaySeen(presence: DisplayPresenceSeen, keepPerTerminal: number): Promise<void> {
    const connectedAt = new Date(presence.atMs).toISOString();
    await this.db
      .insertInto("display_presence")
      .values({
        display_id: presence.displayId,
        terminal_id: presence.terminalId,
        kind: presence.kind,
        user_agent: presence.userAgent,
        screen: presence.screen,
        connected_at: connectedAt,
        last_seen_at_ms: presence.atMs,
        disconnected_at_ms: null,
      })
      .onConflict((oc) =>
        oc.column("display_id").doUpdateSet((eb) => ({
          terminal_id: eb.ref("excluded.terminal_id"),
          kind: eb.ref("excluded.kind"),
          user_agent: eb.ref("excluded.user_agent"),
          // What the display last said about its screen wins; an empty report keeps the old one.
          screen: sql<string>`CASE WHEN excluded.screen = '' THEN display_presence.screen ELSE excluded.screen END`,
          // A display that was gone and is back counts as connected from now.
          connected_at: sql<string>`CASE WHEN display_presence.disconnected_at_ms IS NULL THEN display_presence.connected_at ELSE excluded.connected_at END`,
          last_seen_at_ms: eb.ref("excluded.last_seen_at_ms"),
          disconnected_at_ms: null,
        })),
      )
      .execute();
    // Whoever holds a display link can invent display ids: only the newest few per terminal stay.
    await this.db
      .deleteFrom("display_presence")
      .where("terminal_id", "=", presence.terminalId)
      .where(
        "display_id",
        "not in",
        this.db
          .selectFrom("display_presence")
          .select("display_id")
          .where("terminal_id", "=", presence.terminalId)
          .orderBy("last_seen_at_ms", "desc")
          .orderBy("display_id")
          .limit(keepPerTerminal),
      )
      .execute();
  }

  async recordDisplayDisconnected(displayId: string, atMs: number): Promise<void> {
    await this.db
      .updateTable("display_presence")
      .set({ disconnected_at_ms: atMs })
      .where("display_id", "=", displayId)
      .execute();
  }

  async listDisplayPresence(terminalId: string, sinceMs: number): Promise<DisplayPresence[]> {
    const rows = await this.db
      .selectFrom("display_presence")
      .selectAll()
      .where("terminal_id", "=", terminalId)
      .where("last_seen_at_ms", ">=", sinceMs)
      .orderBy("last_seen_at_ms", "desc")
      .execute();
    return rows.map((row) => ({
      displayId: row.display_id,
      terminalId: row.terminal_id,
      kind: row.kind as DisplayKind,
      userAgent: row.user_agent,
      screen: row.screen,
      connectedAt: row.connected_at,
      lastSeenAtMs: Number(row.last_seen_at_ms),
      ...(row.disconnected_at_ms !== null ? { disconnectedAtMs: Number(row.disconnected_at_ms) } : {}),
    }));
  }

  async pruneDisplayPresence(beforeMs: number): Promise<number> {
    const result = await this.db
      .deleteFrom("display_presence")
      .where("last_seen_at_ms", "<", beforeMs)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function terminalRow(t: Terminal, dialect: StoreDialect): Insertable<Database["terminals"]> {
  return {
    id: t.id,
    name: t.name,
    pos_id: t.posId,
    language: t.language,
    currency: t.currency,
    display_token: t.displayToken,
    created_at: t.createdAt,
    chime: storedBoolean(dialect, t.chime !== false),
    store_id: t.storeId ?? FIRST_STORE_ID,
  };
}
const toTerminal = (r: Selectable<Database["terminals"]>): Terminal => ({
  id: r.id,
  name: r.name,
  posId: r.pos_id,
  language: r.language,
  currency: r.currency,
  displayToken: r.display_token,
  createdAt: r.created_at,
  chime: r.chime === true || r.chime === 1,
  storeId: r.store_id,
});
const toDevice = (r: Selectable<Database["display_devices"]>): DisplayDevice => ({
  id: r.id,
  terminalId: r.terminal_id,
  tokenHash: r.token_hash,
  label: r.label,
  createdAt: r.created_at,
  revokedAt: r.revoked_at ?? undefined,
});
const toPairing = (r: Selectable<Database["display_pairings"]>): DisplayPairing => ({
  id: r.id,
  code: r.code,
  expiresAt: r.expires_at,
  terminalId: r.terminal_id ?? undefined,
  deviceToken: r.device_token ?? undefined,
  claimedAt: r.claimed_at ?? undefined,
});
