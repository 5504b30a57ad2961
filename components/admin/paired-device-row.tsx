"use client";

import { useState, type FormEvent } from "react";
import { errorText } from "./api";
import { useAdminI18n } from "./i18n";
import type { DeviceView } from "./types";
import { Button, ErrorNote, inputClass } from "./ui";

/** The longest name the API takes for a paired display (DeviceRenameSchema). */
const MAX_LABEL = 60;

/** One paired display: its name (which the shop can change to tell its screens apart) and its removal. */
export function PairedDeviceRow({
  device,
  onRename,
  onRevoke,
}: {
  device: DeviceView;
  onRename: (label: string) => Promise<void>;
  onRevoke: () => Promise<void>;
}) {
  const { t, dateTime } = useAdminI18n();
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState(device.label);
  const [error, setError] = useState<string | null>(null);

  async function revoke() {
    if (!window.confirm(t("confirmRemoveDisplay", { name: device.label }))) return;
    setBusy(true);
    setError(null);
    try {
      await onRevoke();
    } catch (caught) {
      setError(errorText(caught, t("errorGeneric")));
      setBusy(false);
    }
  }

  async function rename(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onRename(label.trim());
      setEditing(false);
    } catch (caught) {
      setError(errorText(caught, t("errorGeneric"), { firstField: true }));
    } finally {
      setBusy(false);
    }
  }

  const inputId = `device-label-${device.id}`;
  return (
    <li
      data-testid="paired-device"
      data-device-id={device.id}
      className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2"
    >
      {editing ? (
        <form onSubmit={rename} className="flex min-w-0 flex-1 flex-wrap items-center gap-2">
          <label htmlFor={inputId} className="sr-only">
            {t("displayNameLabel")}
          </label>
          <input
            id={inputId}
            data-testid="device-label-input"
            value={label}
            maxLength={MAX_LABEL}
            autoComplete="off"
            autoFocus
            onChange={(event) => setLabel(event.target.value)}
            className={`${inputClass} min-w-0 flex-1 py-1.5`}
          />
          <Button
            type="submit"
            variant="primary"
            className="px-3 py-1.5"
            data-testid="device-label-save"
            disabled={busy || label.trim().length === 0 || label.trim() === device.label}
          >
            {busy ? t("saving") : t("save")}
          </Button>
          <Button
            variant="ghost"
            className="px-3 py-1.5"
            disabled={busy}
            onClick={() => {
              setEditing(false);
              setLabel(device.label);
              setError(null);
            }}
          >
            {t("cancelEdit")}
          </Button>
        </form>
      ) : (
        <>
          <div className="min-w-0 flex-1">
            <p className="truncate text-sm font-medium" data-testid="device-label">
              {device.label}
            </p>
            <p className="text-xs text-ink-700/80">{t("pairedOn", { date: dateTime(device.createdAt) })}</p>
          </div>
          <Button
            variant="ghost"
            className="px-3 py-1.5"
            data-testid="rename-device"
            aria-label={`${t("renameDisplay")}: ${device.label}`}
            disabled={busy}
            onClick={() => {
              setLabel(device.label);
              setEditing(true);
            }}
          >
            {t("renameDisplay")}
          </Button>
          <Button
            variant="ghost"
            className="px-3 py-1.5 text-danger"
            data-testid="revoke-device"
            disabled={busy}
            onClick={() => void revoke()}
          >
            {busy ? t("removingDisplay") : t("removeDisplay")}
          </Button>
        </>
      )}
      {error ? (
        <div className="w-full">
          <ErrorNote error={error} />
        </div>
      ) : null}
    </li>
  );
}
