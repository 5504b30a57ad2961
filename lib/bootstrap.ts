import "server-only";
import { randomBytes } from "node:crypto";
import { type AdminSecrets, hashApiKey } from "@/lib/auth/admin-access";
import { hashAdminPassword, verifyAdminPassword } from "@/lib/auth/admin-session";
import type { AppConfig } from "@/lib/config";
import { newDisplayToken } from "@/lib/terminals/terminals";
import type { Repositories, StaffRepository } from "@/lib/store/repositories";
import { OWNER_USERNAME } from "@/lib/auth/admin-access";
import { verifySecret } from "@/lib/auth/passwords";
import { forgetGeneratedOwnerPassword, writeInitialCredentials } from "@/lib/auth/initial-credentials";

export const SETTING_API_KEY_HASH = "auth.apiKeyHash";
export const SETTING_ADMIN_PASSWORD_HASH = "auth.adminPasswordHash";
export const SETTING_SESSION_SECRET = "auth.sessionSecret";

export type Secrets = AdminSecrets;

const DEMO_CATALOGUE = [
  { name: "Espresso", unitPrice: 3900, taxRate: 1500 },
  { name: "Cappuccino", unitPrice: 4900, taxRate: 1500 },
  { name: "Cinnamon bun", unitPrice: 4500, taxRate: 1500 },
  { name: "Ear buds", unitPrice: 42924, taxRate: 2500 },
  { name: "Phone charger", unitPrice: 19900, taxRate: 2500 },
  { name: "Tote bag", unitPrice: 14900, taxRate: 2500 },
];

/**
 * First start: one terminal, a demo catalogue, and credentials. Generated credentials are printed
 * once and written to a file only the owner can read; the database keeps only their hashes.
 */
export async function bootstrap(
  { settings, counters, catalogue, staff }: Pick<Repositories, "settings" | "counters" | "catalogue" | "staff">,
  config: AppConfig,
  nowIso: string,
  print: (text: string) => void,
): Promise<Secrets> {
  if ((await counters.listTerminals()).length === 0) {
    await counters.saveTerminal({
      id: "pos-1",
      name: "Counter 1",
      posId: "pos-1",
      language: "nb",
      currency: "NOK",
      displayToken: newDisplayToken(),
      createdAt: nowIso,
    });
    if (config.vippsEnv === "simulator") {
      for (const [index, product] of DEMO_CATALOGUE.entries()) {
        await catalogue.saveProduct({
          id: `p${index + 1}`,
          ...product,
          currency: "NOK",
          createdAt: nowIso,
          updatedAt: nowIso,
        });
      }
    }
    if (config.shopNameOverride === undefined) await settings.setSetting("shop.name", "Kassa demo shop");
  }
  if (config.shopNameOverride) await settings.setSetting("shop.name", config.shopNameOverride);

  const generated: string[] = [];
  let apiKeyHash = await settings.getSetting(SETTING_API_KEY_HASH);
  if (config.apiKeyOverride) {
    apiKeyHash = hashApiKey(config.apiKeyOverride);
    await settings.setSetting(SETTING_API_KEY_HASH, apiKeyHash);
  } else if (!apiKeyHash) {
    const key = `kassa_${randomBytes(24).toString("base64url")}`;
    apiKeyHash = hashApiKey(key);
    await settings.setSetting(SETTING_API_KEY_HASH, apiKeyHash);
    generated.push(`POS API key (Authorization: Bearer …): ${key}`);
  }

  let adminPasswordHash = await settings.getSetting(SETTING_ADMIN_PASSWORD_HASH);
  if (config.adminPasswordOverride) {
    if (!adminPasswordHash || !(await verifyAdminPassword(config.adminPasswordOverride, adminPasswordHash))) {
      adminPasswordHash = await hashAdminPassword(config.adminPasswordOverride);
      await settings.setSetting(SETTING_ADMIN_PASSWORD_HASH, adminPasswordHash);
    }
  } else if (!adminPasswordHash) {
    const password = randomBytes(9).toString("base64url");
    adminPasswordHash = await hashAdminPassword(password);
    await settings.setSetting(SETTING_ADMIN_PASSWORD_HASH, adminPasswordHash);
    generated.push(`Owner password (/admin, user "owner"): ${password}`);
  }
  await ensureOwner(staff, adminPasswordHash, config.adminPasswordOverride, nowIso);
  // KASSA_ADMIN_PASSWORD is the owner's password now: a password generated on an earlier start is not.
  if (config.adminPasswordOverride) forgetGeneratedOwnerPassword(config.dataDir);

  let sessionSecret = await settings.getSetting(SETTING_SESSION_SECRET);
  if (!sessionSecret) {
    sessionSecret = randomBytes(32).toString("base64url");
    await settings.setSetting(SETTING_SESSION_SECRET, sessionSecret);
  }

  if (generated.length > 0) {
    const file = writeInitialCredentials(config.dataDir, generated);
    print(
      [
        "",
        "  Kassa Display generated credentials for this data directory (shown once):",
        ...generated.map((line) => `    ${line}`),
        `  A copy is in ${file}; delete it once you have stored them safely.`,
        "",
      ].join("\n"),
    );
  }
  return { apiKeyHash, adminPasswordHash, sessionSecret };
}

/**
 * The owner account: made from the admin password's hash on the first start of this version (so
 * the password of a data directory made by an earlier one keeps working; its scrypt hash becomes
 * argon2id at the next sign-in), and given KASSA_ADMIN_PASSWORD's when that is set and differs.
 */
async function ensureOwner(
  staff: StaffRepository,
  adminPasswordHash: string,
  override: string | undefined,
  nowIso: string,
): Promise<void> {
  const owner = await staff.getStaffByUsername(OWNER_USERNAME);
  if (!owner) {
    await staff.insertStaff({
      id: "staff_owner",
      username: OWNER_USERNAME,
      name: "Owner",
      role: "owner",
      storeIds: [],
      passwordHash: adminPasswordHash,
      pinHash: null,
      pinFailures: 0,
      pinLockedAt: null,
      createdAt: nowIso,
      updatedAt: nowIso,
    });
    return;
  }
  if (override && !(await verifySecret(override, owner.passwordHash)).ok) {
    await staff.updateStaff({ ...owner, passwordHash: adminPasswordHash, updatedAt: nowIso });
  }
}
