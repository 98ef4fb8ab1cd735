/** The page's DOM helpers: an element from a tag, attributes and children, and the scroll kept across a redraw. No framework: the page redraws a region when its data changes. */

type Child = Node | string | number | false | null | undefined | Child[];
type Attributes = Record<string, string | number | boolean | EventListener | undefined | null>;

/**
 * `h("button", { class: "x", onclick: fn }, "Label")`. An `on…` attribute is a listener; `true`
 * sets a boolean attribute, `false`, null and undefined leave it out. Text children are text
 * nodes, never HTML: what the bot or a person wrote cannot become markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

/** Appends children, flattening arrays and skipping empty ones. */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces a region's content. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * Where each `[data-scroll]` region of a redrawn view was: `save` before the redraw, `restore` after
 * it, so a region read higher up stays where it was and one at its bottom follows what arrives
 * (`toBottom` sends every region there: a message the person just sent).
 */
export class ScrollKeeper {
  readonly #saved = new Map<string, { top: number; bottom: boolean }>();

  save(root: Element): void {
    for (const element of root.querySelectorAll<HTMLElement>("[data-scroll]")) {
      this.#saved.set(element.dataset.scroll!, { top: element.scrollTop, bottom: element.scrollHeight - element.scrollTop - element.clientHeight < 40 });
    }
  }

  restore(root: Element, toBottom = false): void {
    for (const element of root.querySelectorAll<HTMLElement>("[data-scroll]")) {
      const saved = this.#saved.get(element.dataset.scroll!);
      element.scrollTop = !saved || saved.bottom || toBottom ? element.scrollHeight : saved.top;
    }
  }
}
