/**
 * The admin's shared pieces that the API keys, staff, webhooks, sessions, products and audit pages
 * are made of: the markup each gives (the same the pages wrote out before), and what each does.
 */
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import english from "@/lib/i18n/admin/en";
import { AdminI18nProvider } from "@/components/admin/i18n";
import {
  ConfirmButton,
  commaList,
  inputClass,
  SaveRow,
  ListRow,
  SecretShownOnce,
  TextField,
} from "@/components/admin/ui";

afterEach(() => {
  vi.unstubAllGlobals();
});

/** What a component returns, one level down, so that its handlers can be called without a browser. */
const rendered = (element: ReactElement) => {
  const render = element.type as (props: unknown) => ReactElement<Record<string, unknown>>;
  return render(element.props);
};

describe("TextField", () => {
  it("is a labelled input of the admin's style that passes its attributes on", () => {
    const html = renderToStaticMarkup(
      createElement(TextField, {
        id: "audit-from",
        label: "From",
        hint: "Local time",
        type: "datetime-local",
        required: true,
        value: "2026-12-07T01:00",
        onChange: () => {},
      }),
    );
    expect(html).toBe(
      '<div class="flex flex-col gap-1.5"><label for="audit-from" class="text-sm font-medium text-ink-800">From</label>' +
        `<input id="audit-from" class="${inputClass}" type="datetime-local" required="" value="2026-12-07T01:00"/>` +
        '<p class="text-xs text-ink-700/80">Local time</p></div>',
    );
  });

  it("hands its owner the text typed, not the event", () => {
    const onChange = vi.fn();
    const field = rendered(createElement(TextField, { id: "actor", label: "Actor", value: "", onChange }));
    const input = field.props.children as ReactElement<{ onChange: (event: unknown) => void }>;
    input.props.onChange({ target: { value: "kari" } });
    expect(onChange).toHaveBeenCalledWith("kari");
  });
});

describe("SecretShownOnce", () => {
  it("shows the message and the secret in a code block the tests and the cashier can find", () => {
    const html = renderToStaticMarkup(
      createElement(SecretShownOnce, { message: "Copy it now", secret: "kassa_abc", testId: "api-key-secret" }),
    );
    expect(html).toBe(
      '<section class="rounded-2xl border border-stone-200 bg-white p-5 shadow-sm sm:p-6 mb-5 border-brand-dark/40">' +
        '<p class="mb-2 text-sm">Copy it now</p>' +
        '<code data-testid="api-key-secret" class="block break-all rounded bg-stone-100 p-2 text-sm">kassa_abc</code>' +
        "</section>",
    );
  });
});

describe("ListRow", () => {
  it("puts what the row is and its details beside the buttons that act on it", () => {
    const html = renderToStaticMarkup(
      createElement(
        ListRow,
        { title: "Till", details: "sales:read · store-1" },
        createElement("button", { type: "button" }, "Go"),
      ),
    );
    expect(html).toBe(
      '<li class="flex flex-wrap items-center gap-3 py-3"><div class="min-w-48 flex-1">' +
        '<p class="font-medium">Till</p><p class="text-sm text-ink-700">sales:read · store-1</p></div>' +
        '<button type="button">Go</button></li>',
    );
  });
});

describe("ConfirmButton", () => {
  const click = (onConfirm: () => unknown, variant?: "ghost") => {
    const button = rendered(createElement(ConfirmButton, { question: "Revoke Till?", onConfirm, variant }, "Revoke"));
    (button.props.onClick as () => void)();
    return button;
  };

  it("acts only when the question is answered yes", () => {
    const confirm = vi.fn(() => false);
    vi.stubGlobal("window", { confirm });
    const onConfirm = vi.fn();
    click(onConfirm);
    expect(confirm).toHaveBeenCalledWith("Revoke Till?");
    expect(onConfirm).not.toHaveBeenCalled();

    confirm.mockReturnValue(true);
    click(onConfirm);
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it("is a danger button unless told otherwise", () => {
    vi.stubGlobal("window", { confirm: () => false });
    expect(click(() => {}).props.variant).toBe("danger");
    expect(click(() => {}, "ghost").props.variant).toBe("ghost");
  });
});

describe("commaList", () => {
  it("splits a list typed into one field, trimmed, blanks left out", () => {
    expect(commaList(" store-1, store-2,,store-3 ,")).toEqual(["store-1", "store-2", "store-3"]);
    expect(commaList("")).toEqual([]);
  });
});

describe("SaveRow", () => {
  const row = (props: { busy: boolean; disabled?: boolean; saved: boolean }) =>
    renderToStaticMarkup(
      createElement(AdminI18nProvider, {
        language: "en",
        messages: english,
        wallet: "vipps",
        // biome-ignore lint/correctness/noChildrenProp: a .ts test has no JSX, and the provider's type asks for children
        children: createElement(SaveRow, props),
      }),
    );

  it("is a save button, and says so once the form is saved", () => {
    expect(row({ busy: false, saved: false })).toMatch(
      /^<div class="flex items-center gap-3"><button type="submit" class="[^"]+">Save<\/button><\/div>$/,
    );
    expect(row({ busy: false, saved: true })).toContain(
      '<span role="status" class="text-sm font-medium text-success">Saved.</span>',
    );
  });

  it("cannot be pressed while it saves or while the form is not ready", () => {
    expect(row({ busy: true, saved: false })).toMatch(/<button type="submit" disabled="" [^>]+>Saving …<\/button>/);
    expect(row({ busy: false, disabled: true, saved: false })).toMatch(
      /<button type="submit" disabled="" [^>]+>Save<\/button>/,
    );
    expect(row({ busy: false, saved: false })).not.toContain('disabled=""');
  });
});
