/**
 * A Discord modal as its client draws it: the title, each Label (type 18) with its description and
 * its input (a Text Input, type 4, short or paragraph; a String Select, type 3), Text Displays (type
 * 10) as markdown, legacy action rows of text inputs, and Cancel and Submit. The client refuses an
 * empty required input and a text shorter than min_length itself, sending nothing. What a person
 * typed survives every redraw: the form is built once per modal and kept.
 */
import { act } from "../api.js";
import { h } from "../dom.js";
import type { UiDiscordModal } from "../shapes.js";
import { markdown, type DiscordDirectory } from "./markdown.js";
import { placeholder } from "./messages.js";

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

interface Field {
  customId: string;
  read(): string | string[];
  check(): string | undefined;
  error: HTMLElement;
}

function control(input: Json, id: string): { node: HTMLElement; read(): string | string[]; check(): string | undefined } | undefined {
  const required = input.required !== false;
  const placeholderText = typeof input.placeholder === "string" ? input.placeholder : undefined;
  if (input.type === 4) {
    const attributes = { id, class: "dc-input", placeholder: placeholderText, maxlength: typeof input.max_length === "number" ? input.max_length : undefined };
    const node = input.style === 2 ? h("textarea", { ...attributes, rows: 4 }) : h("input", { ...attributes, type: "text" });
    node.value = typeof input.value === "string" ? input.value : "";
    const min = typeof input.min_length === "number" ? input.min_length : 0;
    return {
      node,
      read: () => node.value,
      check: () => {
        if (required && node.value.trim() === "") return "This field is required";
        if (node.value !== "" && [...node.value].length < min) return `Must be at least ${min} characters long`;
        return undefined;
      },
    };
  }
  if (input.type === 3) {
    const options = Array.isArray(input.options) ? input.options.filter(isJson) : [];
    const multiple = typeof input.max_values === "number" && input.max_values > 1;
    const node = h(
      "select",
      { id, class: "dc-input dc-select", multiple },
      multiple ? null : h("option", { value: "" }, placeholderText ?? "Make a selection"),
      ...options.map((option) => h("option", { value: String(option.value ?? ""), selected: option.default === true }, typeof option.label === "string" ? option.label : String(option.value ?? ""))),
    );
    const read = () => [...node.selectedOptions].map((option) => option.value).filter((value) => value !== "");
    return { node, read, check: () => (required && read().length === 0 ? "This field is required" : undefined) };
  }
  return undefined;
}

/** The dialog for a modal, its form kept across redraws while the modal is the same. */
export class DiscordModalView {
  readonly root: HTMLElement;
  readonly #fields: Field[] = [];

  constructor(
    readonly modal: UiDiscordModal,
    private readonly me: string,
    directory: DiscordDirectory,
    botName: string,
  ) {
    const data = modal.modal;
    const body = h("div", { class: "dc-modal-body" });
    const field = (labelText: string, description: unknown, input: Json, index: number) => {
      const customId = typeof input.custom_id === "string" ? input.custom_id : `input-${index}`;
      const id = `dc-modal-${modal.id}-${customId}`;
      const made = control(input, id);
      const error = h("div", { class: "dc-input-error", role: "alert" });
      body.appendChild(
        h(
          "div",
          { class: "dc-label", "data-input": customId },
          h("label", { class: "dc-label-text", for: id }, labelText, input.required !== false && made ? h("span", { class: "dc-required", "aria-hidden": "true" }, " *") : null),
          typeof description === "string" && description !== "" ? h("div", { class: "dc-label-description" }, description) : null,
          error,
          made ? made.node : placeholder(`input of type ${String(input.type)}`, input),
        ),
      );
      if (made) this.#fields.push({ customId, read: made.read, check: made.check, error });
    };
    for (const [index, raw] of (Array.isArray(data.components) ? data.components : []).entries()) {
      if (isJson(raw) && raw.type === 18 && isJson(raw.component)) field(typeof raw.label === "string" ? raw.label : "", raw.description, raw.component, index);
      else if (isJson(raw) && raw.type === 10 && typeof raw.content === "string") body.appendChild(h("div", { class: "dc-text-display" }, markdown(raw.content, directory)));
      // The legacy shape: an action row holding one text input with its own label.
      else if (isJson(raw) && raw.type === 1 && Array.isArray(raw.components) && isJson(raw.components[0])) field(String(raw.components[0].label ?? ""), undefined, raw.components[0], index);
      else body.appendChild(placeholder(`modal component of type ${isJson(raw) ? String(raw.type) : "?"}`, raw));
    }
    const title = typeof data.title === "string" ? data.title : "Modal";
    const form = h(
      "form",
      { class: "dc-modal", role: "dialog", "aria-modal": "true", "aria-label": title, onsubmit: (event: Event) => void this.#submit(event) },
      h("header", { class: "dc-modal-header" }, h("div", { class: "dc-modal-app" }, h("span", { class: "dc-avatar dc-bot-avatar small", "aria-hidden": "true" }, "⚙"), botName), h("h2", {}, title), h("button", { type: "button", class: "dc-modal-x", "aria-label": "Close", onclick: () => void this.#close() }, "×")),
      body,
      h("footer", { class: "dc-modal-footer" }, h("button", { type: "button", class: "dc-button dc-link-style", onclick: () => void this.#close() }, "Cancel"), h("button", { type: "submit", class: "dc-button dc-primary" }, "Submit")),
    );
    this.root = h("div", { class: "dc-modal-overlay" }, form);
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
    const values = Object.fromEntries(this.#fields.map((field) => [field.customId, field.read()]));
    this.root.classList.add("dc-modal-busy");
    await act("discord_submit", { user: this.me, modal: this.modal.id, values });
    this.root.classList.remove("dc-modal-busy");
  }

  async #close(): Promise<void> {
    this.root.remove();
    await act("discord_close", { user: this.me, modal: this.modal.id });
  }
}
