/**
 * The message box: Enter sends (Shift+Enter is a new line), a leading "/" lists the app's slash
 * commands as Slack's composer does. What is typed is kept across redraws: one box per conversation.
 */
import { act } from "../api.js";
import { h } from "../dom.js";
import type { UiSnapshot } from "../shapes.js";

export class Composer {
  readonly root: HTMLElement;
  readonly #box: HTMLTextAreaElement;
  readonly #suggestions: HTMLElement;
  #commands: UiSnapshot["commands"] = [];

  constructor(
    private readonly where: { channel: string; thread_ts?: string },
    placeholderText: string,
    private readonly me: () => string,
    private readonly sent: () => void,
  ) {
    this.#box = h("textarea", { class: "sk-composer-input", rows: 1, placeholder: placeholderText, "aria-label": placeholderText });
    this.#suggestions = h("div", { class: "sk-suggestions", role: "listbox" });
    this.#box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        void this.#send();
      }
    });
    this.#box.addEventListener("input", () => this.#suggest());
    this.root = h(
      "div",
      { class: "sk-composer" },
      this.#suggestions,
      h(
        "div",
        { class: "sk-composer-box" },
        this.#box,
        h(
          "div",
          { class: "sk-composer-bar" },
          h("span", { class: "sk-composer-hint" }, "/task · @chatops · Enter to send"),
          h("button", { class: "sk-send", type: "button", "aria-label": "Send now", onclick: () => void this.#send() }, "➤"),
        ),
      ),
    );
  }

  /** The app's commands, for the suggestions. */
  commands(commands: UiSnapshot["commands"]): void {
    this.#commands = commands;
  }

  focus(): void {
    this.#box.focus();
  }

  get focused(): boolean {
    return document.activeElement === this.#box;
  }

  #suggest(): void {
    const text = this.#box.value;
    const matching = /^\/\S*$/.test(text) ? this.#commands.filter((c) => c.command.startsWith(text)) : [];
    this.#suggestions.replaceChildren(
      ...matching.map((c) =>
        h(
          "button",
          {
            class: "sk-suggestion",
            type: "button",
            role: "option",
            onclick: () => {
              this.#box.value = `${c.command} `;
              this.#suggest();
              this.#box.focus();
            },
          },
          h("b", {}, c.command),
          h("span", { class: "sk-usage" }, ` ${c.usageHint}`),
          h("span", { class: "sk-suggestion-about" }, c.description),
        ),
      ),
    );
  }

  async #send(): Promise<void> {
    const text = this.#box.value;
    if (text.trim() === "") return;
    this.#box.value = "";
    this.#suggest();
    this.sent();
    const result = await act("send", { user: this.me(), channel: this.where.channel, text, ...(this.where.thread_ts ? { thread_ts: this.where.thread_ts } : {}) });
    // Refused before anything was sent (an unknown command): give the text back, as Slack does.
    if (!result.ok && this.#box.value === "") this.#box.value = text;
  }
}
