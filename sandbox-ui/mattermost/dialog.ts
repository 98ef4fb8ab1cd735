/**
 * An interactive dialog as Mattermost's web app shows it: the title, the introduction text as
 * markdown, each element (text, textarea, select) with its display name, "(optional)", its help
 * text, and the error the bot answered under it; Cancel and the submit label. The web app refuses
 * an empty required element and a text shorter than min_length itself, sending nothing. What a
 * person typed survives every redraw and a refusal: the form is built once per dialog and kept,
 * and the bot's errors are put in place on it.
 */
import { act } from "../api.js";
import { h } from "../dom.js";
import type { UiMattermostDialog } from "../shapes.js";
import { markdown, type MattermostDirectory } from "./markdown.js";
import { placeholder } from "./posts.js";

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

interface Field {
  name: string;
  read(): string | null;
  check(): string | undefined;
  error: HTMLElement;
  help: HTMLElement | null;
}

function control(element: Json, id: string): { node: HTMLElement; read(): string | null; check(): string | undefined } | undefined {
  const required = element.optional !== true;
  const placeholderText = typeof element.placeholder === "string" ? element.placeholder : undefined;
  const initial = typeof element.default === "string" ? element.default : "";
  if (element.type === "text" || element.type === "textarea") {
    const attributes = { id, class: "mm-input", placeholder: placeholderText, maxlength: typeof element.max_length === "number" ? element.max_length : undefined };
    const node = element.type === "textarea" ? h("textarea", { ...attributes, rows: 4 }) : h("input", { ...attributes, type: "text" });
    node.value = initial;
    const min = typeof element.min_length === "number" ? element.min_length : 0;
    return {
      node,
      read: () => (node.value === "" ? null : node.value),
      check: () => {
        if (required && node.value.trim() === "") return "This field is required.";
        if (node.value !== "" && [...node.value].length < min) return `Must be at least ${min} characters.`;
        return undefined;
      },
    };
  }
  if (element.type === "select" && element.data_source === undefined) {
    const options = Array.isArray(element.options) ? element.options.filter(isJson) : [];
    const node = h(
      "select",
      { id, class: "mm-input mm-select" },
      h("option", { value: "" }, placeholderText ?? "Select an option"),
      ...options.map((option) => h("option", { value: String(option.value ?? ""), selected: option.value === initial && initial !== "" }, typeof option.text === "string" ? option.text : String(option.value ?? ""))),
    );
    return { node, read: () => (node.value === "" ? null : node.value), check: () => (required && node.value === "" ? "This field is required." : undefined) };
  }
  return undefined;
}

/** The dialog on a person's screen, its form kept across redraws while the dialog is the same. */
export class MattermostDialogView {
  readonly root: HTMLElement;
  readonly #fields: Field[] = [];
  readonly #error: HTMLElement;

  constructor(
    readonly dialog: UiMattermostDialog,
    private readonly me: string,
    directory: MattermostDirectory,
    botName: string,
  ) {
    const data = dialog.dialog;
    const body = h("div", { class: "mm-dialog-body" });
    this.#error = h("div", { class: "mm-dialog-error", role: "alert" });
    body.appendChild(this.#error);
    if (typeof data.introduction_text === "string" && data.introduction_text !== "") body.appendChild(h("div", { class: "mm-dialog-intro" }, markdown(data.introduction_text, directory)));
    for (const [index, raw] of (Array.isArray(data.elements) ? data.elements : []).entries()) {
      if (!isJson(raw)) {
        body.appendChild(placeholder("dialog element", raw));
        continue;
      }
      const name = typeof raw.name === "string" ? raw.name : `element-${index}`;
      const id = `mm-dialog-${dialog.id}-${name}`;
      const made = control(raw, id);
      const error = h("div", { class: "mm-input-error", role: "alert" });
      const help = typeof raw.help_text === "string" && raw.help_text !== "" ? h("div", { class: "mm-help" }, markdown(raw.help_text, directory)) : null;
      body.appendChild(
        h(
          "div",
          { class: "mm-element", "data-element": name },
          h("label", { class: "mm-label", for: id }, String(raw.display_name ?? name), raw.optional === true ? h("span", { class: "mm-optional" }, " (optional)") : h("span", { class: "mm-required", "aria-hidden": "true" }, " *")),
          made ? made.node : placeholder(`element of type ${String(raw.type)}`, raw),
          error,
          help,
        ),
      );
      if (made) this.#fields.push({ name, read: made.read, check: made.check, error, help });
    }
    const title = typeof data.title === "string" ? data.title : "Dialog";
    const form = h(
      "form",
      { class: "mm-dialog", role: "dialog", "aria-modal": "true", "aria-label": title, onsubmit: (event: Event) => void this.#submit(event) },
      h("header", { class: "mm-dialog-header" }, h("span", { class: "mm-avatar mm-bot-avatar small", "aria-hidden": "true", title: botName }, "⚙"), h("h2", {}, title), h("button", { type: "button", class: "mm-dialog-x", "aria-label": "Close", onclick: () => void this.#close() }, "×")),
      body,
      h(
        "footer",
        { class: "mm-dialog-footer" },
        h("button", { type: "button", class: "mm-button mm-button-tertiary", onclick: () => void this.#close() }, "Cancel"),
        h("button", { type: "submit", class: "mm-button mm-button-primary" }, typeof data.submit_label === "string" && data.submit_label !== "" ? data.submit_label : "Submit"),
      ),
    );
    this.root = h("div", { class: "mm-dialog-overlay" }, form);
    this.show(dialog);
  }

  /** The bot's answer to the last submission, put on the form as it is: each error under its element, the general one above. */
  show(dialog: UiMattermostDialog): void {
    for (const field of this.#fields) {
      const error = dialog.errors[field.name];
      field.error.textContent = error ?? "";
      if (field.help) field.help.hidden = error !== undefined;
    }
    this.#error.textContent = dialog.error ?? "";
  }

  async #submit(event: Event): Promise<void> {
    event.preventDefault();
    let refused = false;
    for (const field of this.#fields) {
      const problem = field.check();
      field.error.textContent = problem ?? "";
      refused ||= problem !== undefined;
    }
    if (refused) return;
    const values = Object.fromEntries(this.#fields.map((field) => [field.name, field.read()]));
    this.root.classList.add("mm-dialog-busy");
    await act("mattermost_submit", { user: this.me, dialog: this.dialog.id, values });
    this.root.classList.remove("mm-dialog-busy");
  }

  async #close(): Promise<void> {
    this.root.remove();
    await act("mattermost_close", { user: this.me, dialog: this.dialog.id });
  }
}
