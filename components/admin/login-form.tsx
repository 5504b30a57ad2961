"use client";

import { useState, type FormEvent } from "react";
import { ApiError, apiFetch } from "./api";
import { useAdminI18n } from "./i18n";

export function LoginForm({ next }: { next: string }) {
  const { t } = useAdminI18n();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // No username: the owner. A username with 4 to 6 digits is a PIN (an enrolled till); passwords are longer.
      const name = username.trim();
      const json = name
        ? /^[0-9]{4,6}$/.test(password)
          ? { username: name, pin: password }
          : { username: name, password }
        : { password };
      await apiFetch("/api/admin/session", { method: "POST", json });
      window.location.assign(next);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 429) {
        const seconds = /(\d+)\s*s/.exec(caught.problem.detail ?? "")?.[1] ?? "60";
        setError(t("tooManyAttempts", { seconds }));
      } else if (caught instanceof ApiError && caught.status === 401) {
        setError(t("wrongPassword"));
      } else {
        setError(t("errorGeneric"));
      }
      setBusy(false);
    }
  }

  return (
    <form
      data-testid="admin-login"
      onSubmit={submit}
      className="w-full max-w-sm rounded-2xl bg-white p-7 shadow-2xl shadow-black/30 sm:p-8"
      noValidate
    >
      <div className="flex items-center gap-2.5">
        <span className="inline-block h-3 w-3 rounded-full bg-brand" aria-hidden />
        <span className="text-xs font-semibold tracking-[0.2em] text-ink-700 uppercase">Kassa Display</span>
      </div>
      <h1 className="mt-6 text-2xl font-bold tracking-tight">{t("signInTitle")}</h1>
      <p className="mt-1.5 text-sm text-ink-700">{t("signInHint")}</p>
      <label className="mt-6 block text-sm font-medium" htmlFor="admin-username">
        {t("username")}
      </label>
      <input
        id="admin-username"
        name="username"
        type="text"
        autoComplete="username"
        autoFocus
        autoCapitalize="none"
        spellCheck={false}
        value={username}
        onChange={(event) => setUsername(event.target.value)}
        className="mt-1.5 block w-full rounded-lg border border-stone-300 px-3.5 py-2.5 text-base outline-none focus:border-brand-dark focus:ring-2 focus:ring-brand/30"
      />
      <label className="mt-4 block text-sm font-medium" htmlFor="admin-password">
        {t("password")}
      </label>
      <input
        id="admin-password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "admin-login-error" : undefined}
        className="mt-1.5 block w-full rounded-lg border border-stone-300 px-3.5 py-2.5 text-base outline-none focus:border-brand-dark focus:ring-2 focus:ring-brand/30"
      />
      {error ? (
        <p
          id="admin-login-error"
          role="alert"
          data-testid="admin-login-error"
          className="mt-3 text-sm font-medium text-danger"
        >
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={busy || password.length === 0}
        className="mt-6 w-full rounded-lg bg-brand-dark px-4 py-3 text-base font-semibold text-white transition hover:bg-[#a8330b] focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-dark disabled:opacity-60"
      >
        {busy ? t("signingIn") : t("signIn")}
      </button>
    </form>
  );
}
