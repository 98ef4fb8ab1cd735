/**
 * An Adaptive Card (adaptivecards.io, as Teams' clients draw schema 1.5) as DOM nodes, text always
 * text, never HTML: TextBlock (its markdown subset: bold, italic, links, lists, backslash escapes;
 * `<at>name</at>` drawn as the name; the DATE and TIME functions in the reader's zone), FactSet,
 * Container, ColumnSet, ActionSet and the card's own actions (Action.OpenUrl opens its URL;
 * Action.Execute and Action.Submit reach the bot with their data and the inputs' values), and
 * Input.Text, Input.ChoiceSet, Input.Date and Input.Toggle with their labels, what is required, and
 * errorMessage shown when the client refuses to send. Anything else is a placeholder with its JSON.
 */
import { h } from "../dom.js";

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** Something the page does not draw: shown with its JSON, never dropped. */
export function placeholder(kind: string, raw: unknown): HTMLElement {
  return h("details", { class: "unknown-block tm-unknown" }, h("summary", {}, `Not drawn by the sandbox: ${kind}`), h("pre", {}, JSON.stringify(raw, null, 2)));
}

/** What pressing an action does: Action.Execute and Action.Submit, with the card's inputs' values. */
export interface CardHandlers {
  act(action: Json, values: Record<string, string>): Promise<unknown>;
}

interface Input {
  id: string;
  read(): string;
  check(): string | undefined;
  error: HTMLElement;
}

/** `{{DATE(2026-12-06T12:00:00Z, SHORT)}}` and `{{TIME(…)}}`: Adaptive Cards' functions, in the reader's zone. */
function withFunctions(text: string): string {
  return text.replace(/\{\{(DATE|TIME)\(([^),]+)(?:,\s*(SHORT|LONG|COMPACT))?\)\}\}/g, (all, kind: string, iso: string, format: string | undefined) => {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return all;
    if (kind === "TIME") return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    return date.toLocaleDateString([], format === "LONG" ? { weekday: "long", year: "numeric", month: "long", day: "numeric" } : format === "SHORT" ? { weekday: "short", year: "numeric", month: "short", day: "numeric" } : {});
  });
}

type Rule = { pattern: RegExp; draw(match: RegExpExecArray): Node };
const RULES: Rule[] = [
  { pattern: /\\([!-/:-@[-`{-~])/y, draw: (m) => document.createTextNode(m[1]!) },
  { pattern: /<at>([^<]*)<\/at>/y, draw: (m) => h("span", { class: "tm-mention" }, m[1]!) },
  { pattern: /`([^`]+)`/y, draw: (m) => h("code", { class: "tm-code" }, m[1]!) },
  { pattern: /\*\*([\s\S]+?)\*\*(?!\*)/y, draw: (m) => h("strong", {}, ...inline(m[1]!)) },
  { pattern: /_(?!\s)([\s\S]+?)_(?![A-Za-z0-9_])/y, draw: (m) => h("em", {}, ...inline(m[1]!)) },
  { pattern: /\*(?!\s)([\s\S]+?)\*(?!\*)/y, draw: (m) => h("em", {}, ...inline(m[1]!)) },
  { pattern: /\[((?:\\.|[^\]\\])+)\]\((https?:\/\/[^\s)]+)\)/y, draw: (m) => h("a", { class: "tm-link", href: m[2]!, target: "_blank", rel: "noopener noreferrer", title: m[2]! }, ...inline(m[1]!)) },
  { pattern: /https?:\/\/[^\s<]+[^\s<.,:;"')\]]/y, draw: (m) => h("a", { class: "tm-link", href: m[0], target: "_blank", rel: "noopener noreferrer" }, m[0]) },
];

/** A TextBlock's inline markdown as nodes. */
export function inline(text: string): Node[] {
  const nodes: Node[] = [];
  let plain = "";
  let at = 0;
  const flush = () => {
    if (plain) nodes.push(document.createTextNode(plain));
    plain = "";
  };
  outer: while (at < text.length) {
    for (const rule of RULES) {
      rule.pattern.lastIndex = at;
      const match = rule.pattern.exec(text);
      if (!match) continue;
      flush();
      at += match[0].length;
      nodes.push(rule.draw(match));
      continue outer;
    }
    plain += text[at];
    at += 1;
  }
  flush();
  return nodes;
}

/** A TextBlock's markdown: each line, a list item (`- `, `1. `) as one. */
export function markdown(text: string): HTMLElement {
  const root = h("div", { class: "tm-markdown" });
  for (const line of withFunctions(text).split("\n")) {
    const item = /^\s*([-*]|\d+\.) (.+)$/.exec(line);
    if (item) root.appendChild(h("div", { class: "tm-list-item" }, h("span", { class: "tm-bullet", "aria-hidden": "true" }, /\d/.test(item[1]!) ? item[1]! : "•"), ...inline(item[2]!)));
    else root.appendChild(h("div", { class: "tm-line" }, ...(line === "" ? [h("br")] : inline(line))));
  }
  return root;
}

/** A card drawn once; its inputs keep what was typed while it is on the page. */
export class AdaptiveCardView {
  readonly root: HTMLElement;
  readonly #inputs: Input[] = [];
  #seq = 0;

  constructor(
    card: unknown,
    private readonly handlers: CardHandlers,
    private readonly key: string,
  ) {
    if (!isJson(card) || card.type !== "AdaptiveCard") {
      this.root = placeholder("attachment that is no Adaptive Card", card);
      return;
    }
    const body = Array.isArray(card.body) ? card.body : [];
    const actions = Array.isArray(card.actions) ? card.actions : [];
    this.root = h("div", { class: "tm-card" }, ...body.map((element) => this.#element(element)), actions.length > 0 ? this.#actions(actions) : null);
  }

  /** The inputs' values by id, as the client sends them ("" for an empty one). */
  values(): Record<string, string> {
    return Object.fromEntries(this.#inputs.map((input) => [input.id, input.read()]));
  }

  /** The client's own check before it sends: each required input's errorMessage under it; true when all pass. */
  check(): boolean {
    let ok = true;
    for (const input of this.#inputs) {
      const problem = input.check();
      input.error.textContent = problem ?? "";
      ok &&= problem === undefined;
    }
    return ok;
  }

  #element(raw: unknown): HTMLElement {
    if (!isJson(raw)) return placeholder("element", raw);
    const spacing = raw.spacing === "None" ? " tm-tight" : "";
    switch (raw.type) {
      case "TextBlock": {
        const size = typeof raw.size === "string" ? ` tm-size-${raw.size.toLowerCase()}` : "";
        const weight = raw.weight === "Bolder" ? " tm-bolder" : "";
        const subtle = raw.isSubtle === true ? " tm-subtle" : "";
        const color = typeof raw.color === "string" ? ` tm-color-${raw.color.toLowerCase()}` : "";
        const block = markdown(typeof raw.text === "string" ? raw.text : "");
        block.className = `tm-textblock${size}${weight}${subtle}${color}${spacing}`;
        return block;
      }
      case "FactSet": {
        const facts = Array.isArray(raw.facts) ? raw.facts.filter(isJson) : [];
        return h("dl", { class: `tm-factset${spacing}` }, ...facts.flatMap((fact) => [h("dt", {}, String(fact.title ?? "")), h("dd", {}, ...inline(withFunctions(String(fact.value ?? ""))))]));
      }
      case "ActionSet":
        return this.#actions(Array.isArray(raw.actions) ? raw.actions : [], spacing);
      case "Container":
        return h("div", { class: `tm-container${spacing}` }, ...(Array.isArray(raw.items) ? raw.items : []).map((item) => this.#element(item)));
      case "ColumnSet":
        return h(
          "div",
          { class: `tm-columns${spacing}` },
          ...(Array.isArray(raw.columns) ? raw.columns : []).map((column) => (isJson(column) ? h("div", { class: "tm-column" }, ...(Array.isArray(column.items) ? column.items : []).map((item) => this.#element(item))) : placeholder("column", column))),
        );
      case "Input.Text":
      case "Input.ChoiceSet":
      case "Input.Date":
      case "Input.Toggle":
        return this.#input(raw);
      default:
        return placeholder(`${String(raw.type)} element`, raw);
    }
  }

  #input(raw: Json): HTMLElement {
    const id = typeof raw.id === "string" ? raw.id : `input-${this.#seq}`;
    const domId = `tm-${this.key}-${id}-${this.#seq++}`;
    const required = raw.isRequired === true;
    const value = typeof raw.value === "string" ? raw.value : "";
    const placeholderText = typeof raw.placeholder === "string" ? raw.placeholder : undefined;
    let node: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    if (raw.type === "Input.Text") {
      const attributes = { id: domId, class: "tm-input", placeholder: placeholderText, maxlength: typeof raw.maxLength === "number" ? raw.maxLength : undefined };
      node = raw.isMultiline === true ? h("textarea", { ...attributes, rows: 3 }) : h("input", { ...attributes, type: "text" });
      node.value = value;
    } else if (raw.type === "Input.ChoiceSet") {
      const choices = Array.isArray(raw.choices) ? raw.choices.filter(isJson) : [];
      node = h("select", { id: domId, class: "tm-input" }, h("option", { value: "" }, placeholderText ?? "Select"), ...choices.map((choice) => h("option", { value: String(choice.value ?? ""), selected: choice.value === value && value !== "" }, String(choice.title ?? choice.value ?? ""))));
    } else if (raw.type === "Input.Date") {
      node = h("input", { id: domId, class: "tm-input", type: "date" });
      node.value = value;
    } else {
      node = h("input", { id: domId, class: "tm-toggle", type: "checkbox", checked: value === (raw.valueOn ?? "true") });
    }
    const error = h("div", { class: "tm-input-error", role: "alert" });
    const toggle = raw.type === "Input.Toggle";
    const read = () => (toggle ? ((node as HTMLInputElement).checked ? String(raw.valueOn ?? "true") : String(raw.valueOff ?? "false")) : node.value);
    this.#inputs.push({ id, read, check: () => (required && !toggle && node.value.trim() === "" ? (typeof raw.errorMessage === "string" ? raw.errorMessage : "This field is required.") : undefined), error });
    const label = typeof raw.label === "string" ? raw.label : toggle && typeof raw.title === "string" ? raw.title : undefined;
    return h(
      "div",
      { class: "tm-field", "data-input": id },
      label !== undefined ? h("label", { class: "tm-label", for: domId }, label, required ? h("span", { class: "tm-required", "aria-hidden": "true" }, " *") : null) : null,
      node,
      error,
    );
  }

  #actions(actions: unknown[], spacing = ""): HTMLElement {
    return h("div", { class: `tm-actions${spacing}` }, ...actions.map((action) => this.#action(action)));
  }

  #action(raw: unknown): HTMLElement {
    if (!isJson(raw)) return placeholder("action", raw);
    const title = typeof raw.title === "string" ? raw.title : "";
    const style = raw.style === "positive" ? " tm-positive" : raw.style === "destructive" ? " tm-destructive" : "";
    if (raw.type === "Action.OpenUrl" && typeof raw.url === "string" && /^https?:\/\//.test(raw.url)) {
      return h("a", { class: `tm-action${style}`, href: raw.url, target: "_blank", rel: "noopener noreferrer", role: "button", title: raw.url }, title);
    }
    if (raw.type !== "Action.Execute" && raw.type !== "Action.Submit") return placeholder(`${String(raw.type)} action`, raw);
    return h(
      "button",
      {
        type: "button",
        class: `tm-action${style}`,
        onclick: async (event: Event) => {
          // Teams checks the card's inputs before it sends a submit; an Execute without inputs sends at once.
          if (this.#inputs.length > 0 && !this.check()) return;
          const button = event.currentTarget as HTMLButtonElement;
          button.disabled = true;
          await this.handlers.act(raw, this.values());
          button.disabled = false;
        },
      },
      title,
    );
  }
}
