/**
 * A modal as Slack's client draws it: a dialog over the workspace with its title, its blocks (inputs
 * for plain_text_input, static_select and datepicker; anything else as in a message), errors under
 * their inputs, and Cancel and the submit button. What a person typed survives every redraw: the
 * form is built once per version of the view and kept.
 */
import { act } from "../api.js";
import { h } from "../dom.js";
import type { UiModal } from "../shapes.js";
import { block, placeholder, type BlockContext } from "./blocks.js";
import { plainText } from "./mrkdwn.js";

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const textOf = (value: unknown, fallback = ""): string => (isJson(value) && typeof value.text === "string" ? value.text : fallback);

/** Slack's words under an empty required input when Submit is pressed. */
const REQUIRED = "Please complete this required field.";

/** A field's control and how to read it back. */
interface Field {
  blockId: string;
  optional: boolean;
  read(): string;
  error: HTMLElement;
}

function control(element: Json, id: string): { node: HTMLElement; read(): string } | undefined {
  const placeholderText = textOf(element.placeholder);
  switch (element.type) {
    case "plain_text_input": {
      const attributes = {
        id,
        class: "sk-input",
        placeholder: placeholderText || undefined,
        maxlength: typeof element.max_length === "number" ? element.max_length : undefined,
      };
      const initial = typeof element.initial_value === "string" ? element.initial_value : "";
      const node = element.multiline === true ? h("textarea", { ...attributes, rows: 4 }) : h("input", { ...attributes, type: "text" });
      node.value = initial;
      return { node, read: () => node.value };
    }
    case "static_select": {
      const options = Array.isArray(element.options) ? element.options.filter(isJson) : [];
      const initial = isJson(element.initial_option) && typeof element.initial_option.value === "string" ? element.initial_option.value : "";
      const node = h(
        "select",
        { id, class: "sk-input sk-select" },
        h("option", { value: "" }, placeholderText || "Select an option"),
        ...options.map((option) => h("option", { value: String(option.value ?? ""), selected: option.value === initial }, textOf(option.text))),
      );
      return { node, read: () => node.value };
    }
    case "datepicker": {
      const node = h("input", { id, class: "sk-input sk-date", type: "date" });
      node.value = typeof element.initial_date === "string" ? element.initial_date : "";
      return { node, read: () => node.value };
    }
    default:
      return undefined;
  }
}

/** The dialog for a modal, its form kept across redraws while the view is the same. */
export class ModalView {
  readonly root: HTMLElement;
  readonly #fields: Field[] = [];
  readonly #general: HTMLElement;

  constructor(
    readonly modal: UiModal,
    private readonly me: string,
    context: BlockContext,
  ) {
    const view = modal.view;
    const body = h("div", { class: "sk-modal-body" });
    for (const [index, raw] of (Array.isArray(view.blocks) ? view.blocks : []).entries()) {
      if (!isJson(raw) || raw.type !== "input") {
        body.appendChild(block(raw, context));
        continue;
      }
      const blockId = typeof raw.block_id === "string" ? raw.block_id : `input-${index}`;
      const element = isJson(raw.element) ? raw.element : {};
      const id = `modal-${modal.id}-${blockId}`;
      const made = control(element, id);
      const error = h("div", { class: "sk-input-error", role: "alert" });
      const optional = raw.optional === true;
      body.appendChild(
        h(
          "div",
          { class: "sk-input-block", "data-block": blockId },
          h("label", { class: "sk-label", for: id }, ...plainText(textOf(raw.label, blockId)), optional ? h("span", { class: "sk-optional" }, " (optional)") : null),
          made ? made.node : placeholder(`${String(element.type)} input`, raw),
          raw.hint ? h("div", { class: "sk-hint" }, textOf(raw.hint)) : null,
          error,
        ),
      );
      if (made) this.#fields.push({ blockId, optional, read: made.read, error });
    }
    this.#general = h("div", { class: "sk-input-error sk-general-error", role: "alert" });
    const submit = view.submit === null || view.submit === undefined ? undefined : textOf(view.submit, "Submit");
    const close = textOf(view.close, submit ? "Cancel" : "Close");
    const form = h(
      "form",
      { class: "sk-modal", role: "dialog", "aria-modal": "true", "aria-label": textOf(view.title, "Modal"), onsubmit: (event: Event) => void this.#submit(event) },
      h("header", { class: "sk-modal-header" }, h("span", { class: "sk-app-icon small", "aria-hidden": "true" }), h("h2", {}, ...plainText(textOf(view.title, "Modal"))), h("button", { type: "button", class: "sk-modal-x", "aria-label": "Close", onclick: () => void this.#close() }, "×")),
      body,
      this.#general,
      h("footer", { class: "sk-modal-footer" }, h("button", { type: "button", class: "sk-button sk-button-default", onclick: () => void this.#close() }, close), submit ? h("button", { type: "submit", class: "sk-button sk-button-primary" }, submit) : null),
    );
    this.root = h("div", { class: "sk-modal-overlay" }, form);
    this.showErrors(modal.errors);
  }

  /** Shows the bot's errors (response_action "errors") under their inputs. */
  showErrors(errors: Record<string, string>): void {
    for (const field of this.#fields) field.error.textContent = errors[field.blockId] ?? "";
    const others = Object.entries(errors).filter(([blockId]) => !this.#fields.some((field) => field.blockId === blockId));
    this.#general.textContent = others.map(([, text]) => text).join(" ");
  }

  async #submit(event: Event): Promise<void> {
    event.preventDefault();
    // Slack's client refuses an empty required input itself, without sending anything.
    let missing = false;
    for (const field of this.#fields) {
      const empty = !field.optional && field.read().trim() === "";
      field.error.textContent = empty ? REQUIRED : "";
      missing ||= empty;
    }
    if (missing) return;
    const values = Object.fromEntries(this.#fields.map((field) => [field.blockId, field.read()]));
    this.root.classList.add("sk-modal-busy");
    await act("submit", { user: this.me, viewId: this.modal.id, values });
    this.root.classList.remove("sk-modal-busy");
  }

  async #close(): Promise<void> {
    this.root.remove();
    await act("close", { user: this.me, viewId: this.modal.id });
  }
}
