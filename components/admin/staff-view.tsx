"use client";

import { type FormEvent, useState } from "react";
import useSWR from "swr";
import type { MeView, StaffView } from "@/lib/contracts/staff";
import { useAdminAction } from "./admin-action";
import { apiFetch, swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import type { Page } from "./types";
import {
  Button,
  Card,
  ConfirmButton,
  commaList,
  ErrorNote,
  Field,
  ListRow,
  PageTitle,
  TextField,
  inputClass,
} from "./ui";

const ROLES = ["cashier", "manager", "owner"] as const;

/**
 * Staff: add members, change their role and stores, set a new PIN (which unlocks a locked one),
 * remove them, and (owners) end their sessions. A manager sees and adds cashiers only; the server
 * enforces that whatever this page offers.
 */
export function StaffManager() {
  const { t } = useAdminI18n();
  const me = useSWR<MeView>("/api/v1/me", swrFetcher);
  const staff = useSWR<Page<StaffView>>("/api/v1/staff", swrFetcher);
  const [form, setForm] = useState({
    username: "",
    name: "",
    role: "cashier",
    storeIds: "store-1",
    pin: "",
    password: "",
  });
  const { act, error } = useAdminAction(() => staff.mutate(), { firstField: true });
  const isOwner = me.data?.type === "staff" && me.data.role === "owner";

  const add = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      await apiFetch("/api/v1/staff", {
        method: "POST",
        json: {
          username: form.username,
          name: form.name,
          role: form.role,
          storeIds: commaList(form.storeIds),
          ...(form.pin ? { pin: form.pin } : {}),
          ...(form.password ? { password: form.password } : {}),
        },
      });
      setForm({ ...form, username: "", name: "", pin: "", password: "" });
    });
  };
  const patch = (member: StaffView, json: Record<string, unknown>) =>
    act(() => apiFetch(`/api/v1/staff/${member.id}`, { method: "PATCH", json }));
  const resetPin = (member: StaffView) => {
    const pin = window.prompt(t("staffNewPin", { name: member.name }));
    if (pin) void patch(member, { pin });
  };
  const remove = (member: StaffView) => act(() => apiFetch(`/api/v1/staff/${member.id}`, { method: "DELETE" }));
  const endSessions = (member: StaffView) =>
    act(() => apiFetch(`/api/v1/staff/${member.id}/sessions`, { method: "DELETE" }));
  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });

  return (
    <div>
      <PageTitle>{t("staffTitle")}</PageTitle>
      <p className="mb-4 text-sm text-ink-700">{t("staffIntro")}</p>
      <ErrorNote error={error} />
      <Card className="mb-5">
        <form onSubmit={add} className="grid gap-3 sm:grid-cols-3 sm:items-end">
          <TextField
            id="staff-username"
            label={t("username")}
            required
            value={form.username}
            onChange={set("username")}
          />
          <TextField id="staff-name" label={t("staffName")} required value={form.name} onChange={set("name")} />
          <Field label={t("staffRole")} htmlFor="staff-role">
            <select
              id="staff-role"
              className={inputClass}
              value={form.role}
              onChange={(event) => set("role")(event.target.value)}
            >
              {ROLES.filter((role) => isOwner || role === "cashier").map((role) => (
                <option key={role} value={role}>
                  {t(`role_${role}`)}
                </option>
              ))}
            </select>
          </Field>
          <TextField
            id="staff-stores"
            label={t("staffStores")}
            hint={t("staffStoresHint")}
            value={form.storeIds}
            onChange={set("storeIds")}
          />
          <TextField id="staff-pin" label={t("staffPin")} inputMode="numeric" value={form.pin} onChange={set("pin")} />
          <TextField
            id="staff-password"
            label={t("password")}
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={set("password")}
          />
          <Button type="submit" variant="primary">
            {t("staffAdd")}
          </Button>
        </form>
      </Card>
      <Card>
        <ul className="divide-y divide-stone-200" data-testid="staff-list">
          {staff.data?.items.map((member) => (
            <ListRow
              key={member.id}
              title={
                <>
                  {member.name} <span className="text-ink-700">({member.username})</span>
                </>
              }
              details={
                <>
                  {t(`role_${member.role}`)}
                  {member.storeIds.length > 0 ? ` · ${member.storeIds.join(", ")}` : ""}
                  {member.pinLocked ? ` · ${t("staffPinLocked")}` : ""}
                </>
              }
            >
              <Button onClick={() => resetPin(member)}>{t("staffResetPin")}</Button>
              {isOwner ? <Button onClick={() => void endSessions(member)}>{t("staffEndSessions")}</Button> : null}
              <ConfirmButton question={t("staffRemoveConfirm", { name: member.name })} onConfirm={() => remove(member)}>
                {t("staffRemove")}
              </ConfirmButton>
            </ListRow>
          ))}
        </ul>
      </Card>
    </div>
  );
}
