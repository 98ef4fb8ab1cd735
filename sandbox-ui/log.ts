/** The function log: one row per request (its kind, callback, outcome, status and time), other lines beneath, filterable. */
import { h, replace } from "./dom.js";
import type { UiLogLine } from "./shapes.js";

/** Fields shown on a request's row, in this order; the rest are in its tooltip. */
const REQUEST_FIELDS = ["kind", "callback_id", "outcome", "status", "duration_ms"];
const KEPT = 1_000;

export class LogView {
  readonly #lines: UiLogLine[] = [];
  #filter = "";
  #requestsOnly = false;
  readonly #list = h("ol", { class: "lg-lines", "aria-label": "Function log lines" });
  readonly root: HTMLElement;

  constructor() {
    const filter = h("input", { type: "search", class: "lg-filter", placeholder: "Filter: kind, callback, outcome, user…", "aria-label": "Filter the log" });
    filter.addEventListener("input", () => {
      this.#filter = filter.value.trim().toLowerCase();
      this.#draw();
    });
    const only = h("input", { type: "checkbox" });
    only.addEventListener("change", () => {
      this.#requestsOnly = only.checked;
      this.#draw();
    });
    this.root = h(
      "div",
      { class: "lg" },
      h("header", { class: "lg-header" }, h("h2", {}, "Function log"), filter, h("label", { class: "lg-only" }, only, " requests only")),
      this.#list,
    );
  }

  /** Adds lines not seen yet (a reconnected stream sends the backlog again). */
  add(lines: readonly UiLogLine[]): void {
    const last = this.#lines.at(-1)?.seq ?? 0;
    this.#lines.push(...lines.filter((line) => line.seq > last));
    if (this.#lines.length > KEPT) this.#lines.splice(0, this.#lines.length - KEPT);
    this.#draw();
  }

  #matches(line: UiLogLine): boolean {
    if (this.#requestsOnly && line.event !== "request") return false;
    return this.#filter === "" || `${line.event} ${JSON.stringify(line.fields)}`.toLowerCase().includes(this.#filter);
  }

  #draw(): void {
    const atBottom = this.#list.scrollHeight - this.#list.scrollTop - this.#list.clientHeight < 30;
    const shown = this.#lines.filter((line) => this.#matches(line)).slice(-300);
    replace(this.#list, ...shown.map(row), shown.length === 0 ? h("li", { class: "lg-empty" }, this.#lines.length === 0 ? "No request yet: act in Slack, and each request's line shows here." : "No line matches.") : null);
    if (atBottom) this.#list.scrollTop = this.#list.scrollHeight;
  }
}

function row(line: UiLogLine): HTMLElement {
  const time = new Date(line.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const request = line.event === "request";
  const fields = request ? REQUEST_FIELDS.filter((name) => line.fields[name] !== undefined).map((name) => field(name, line.fields[name])) : Object.entries(line.fields).filter(([name]) => name !== "request_id").slice(0, 6).map(([name, value]) => field(name, value));
  // A request went wrong when it was answered with an error status or logged as one; "posted", "duplicate"… are outcomes too.
  const bad = line.level === "error" || (typeof line.fields.status === "number" && line.fields.status >= 400);
  return h(
    "li",
    { class: `lg-line lg-${line.level}${request ? " lg-request" : ""}${bad ? " lg-bad" : ""}`, title: JSON.stringify({ level: line.level, event: line.event, ...line.fields }, null, 1) },
    h("time", {}, time),
    h("span", { class: "lg-event" }, line.event),
    ...fields,
  );
}

function field(name: string, value: unknown): HTMLElement {
  const text = name === "duration_ms" ? `${String(value)} ms` : Array.isArray(value) ? value.join(",") : String(value);
  return h("span", { class: `lg-field lg-field-${name}` }, name === "duration_ms" || name === "status" || name === "kind" || name === "callback_id" || name === "outcome" ? text : `${name}=${text}`);
}
