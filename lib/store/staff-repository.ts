import "server-only";
import { type Kysely, type Selectable, sql } from "kysely";
import type { Role } from "@/lib/entities/principal";
import type { StaffMember, TillDevice } from "@/lib/entities/staff";
import type { StoreConnection } from "./connect";
import type { StaffRepository } from "./repositories";
import type { Database } from "./schema";

/** Staff members and enrolled tills on Kysely, SQLite and PostgreSQL alike. */
export class KyselyStaffRepository implements StaffRepository {
  private readonly db: Kysely<Database>;

  constructor(connection: StoreConnection) {
    this.db = connection.db;
  }

  async insertStaff(member: StaffMember) {
    const result = await this.db
      .insertInto("staff")
      .values(staffRow(member))
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async updateStaff(member: StaffMember) {
    const { id, created_at: _created, ...row } = staffRow(member);
    const result = await this.db.updateTable("staff").set(row).where("id", "=", id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async getStaff(id: string) {
    const row = await this.db.selectFrom("staff").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toStaff(row) : undefined;
  }

  async getStaffByUsername(username: string) {
    const row = await this.db.selectFrom("staff").selectAll().where("username", "=", username).executeTakeFirst();
    return row ? toStaff(row) : undefined;
  }

  async listStaff() {
    return (await this.db.selectFrom("staff").selectAll().orderBy("username").execute()).map(toStaff);
  }

  async deleteStaff(id: string) {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("staff_sessions").where("staff_id", "=", id).execute();
      const result = await trx.deleteFrom("staff").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async recordPinFailure(id: string, lockAfter: number, at: string) {
    // One statement: the row's own lock makes concurrent wrong PINs count one after the other.
    const row = await this.db
      .updateTable("staff")
      .set({
        pin_failures: sql`pin_failures + 1`,
        pin_locked_at: sql`CASE WHEN pin_locked_at IS NULL AND pin_failures + 1 >= ${lockAfter} THEN ${at} ELSE pin_locked_at END`,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst();
    return row ? toStaff(row) : undefined;
  }

  async clearPinFailures(id: string) {
    await this.db.updateTable("staff").set({ pin_failures: 0 }).where("id", "=", id).execute();
  }

  async saveTillDevice(device: TillDevice) {
    const row = {
      id: device.id,
      label: device.label,
      enrolled_by: device.enrolledBy,
      created_at: device.createdAt,
      revoked_at: device.revokedAt,
    };
    await this.db
      .insertInto("till_devices")
      .values(row)
      .onConflict((oc) =>
        oc
          .column("id")
          .doUpdateSet({ label: row.label, revoked_at: sql`COALESCE(till_devices.revoked_at, ${row.revoked_at})` }),
      )
      .execute();
  }

  async getTillDevice(id: string) {
    const row = await this.db.selectFrom("till_devices").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toTillDevice(row) : undefined;
  }

  async listTillDevices() {
    return (await this.db.selectFrom("till_devices").selectAll().orderBy("created_at").orderBy("id").execute()).map(
      toTillDevice,
    );
  }
}

const staffRow = (m: StaffMember) => ({
  id: m.id,
  username: m.username,
  name: m.name,
  role: m.role,
  store_ids: JSON.stringify(m.storeIds),
  password_hash: m.passwordHash,
  pin_hash: m.pinHash,
  pin_failures: m.pinFailures,
  pin_locked_at: m.pinLockedAt,
  created_at: m.createdAt,
  updated_at: m.updatedAt,
});

const toStaff = (r: Selectable<Database["staff"]>): StaffMember => ({
  id: r.id,
  username: r.username,
  name: r.name,
  role: r.role as Role,
  storeIds: JSON.parse(r.store_ids) as string[],
  passwordHash: r.password_hash,
  pinHash: r.pin_hash,
  pinFailures: Number(r.pin_failures),
  pinLockedAt: r.pin_locked_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toTillDevice = (r: Selectable<Database["till_devices"]>): TillDevice => ({
  id: r.id,
  label: r.label,
  enrolledBy: r.enrolled_by,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});
