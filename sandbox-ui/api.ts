/** The page's calls to its server: actions as JSON, the answer's notice shown as a toast. */
import type { UiActions, UiResult } from "./shapes.js";
import { h } from "./dom.js";

/** Shows a short notice at the bottom of the page; `problem` ones stay until dismissed. */
export function toast(text: string, kind: "info" | "problem" = "info"): void {
  const host = document.getElementById("toasts") ?? document.body.appendChild(h("div", { id: "toasts", role: "status", "aria-live": "polite" }));
  const item = h("div", { class: `toast toast-${kind}` }, h("span", {}, text), h("button", { class: "toast-close", "aria-label": "Dismiss", onclick: () => item.remove() }, "×"));
  host.appendChild(item);
  if (kind === "info") setTimeout(() => item.remove(), 6_000);
}

/** Asks the server for an action; shows its notice; resolves with its result. */
export async function act<Name extends keyof UiActions>(name: Name, input: UiActions[Name]): Promise<UiResult> {
  let result: UiResult;
  try {
    const response = await fetch(`/api/${name}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) });
    result = (await response.json()) as UiResult;
  } catch (error) {
    result = { ok: false, notice: `The sandbox did not answer: is npm start still running? (${error instanceof Error ? error.message : String(error)})` };
  }
  if (result.notice) toast(result.notice, result.ok ? "info" : "problem");
  return result;
}
