/**
 * Block Kit as Slack draws it (docs.slack.dev/reference/block-kit/blocks): section (text, fields,
 * accessory), header, context, divider, actions, image; buttons with their style, link buttons
 * marked as leaving Slack. A block or element this renderer does not know is shown as a visible
 * placeholder with its JSON, never dropped.
 */
import { h } from "../dom.js";
import { mrkdwn, plainText, type Directory } from "./mrkdwn.js";

/** A button as a press needs it. */
export interface PressedButton {
  actionId: string;
  blockId: string | undefined;
  value: string | undefined;
  url: string | undefined;
  label: string;
}

export interface BlockContext {
  directory: Directory;
  /** Called when a button is pressed; absent where buttons cannot be pressed. */
  press?: (button: PressedButton) => void;
}

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** The visible stand-in for what the renderer does not know: its kind, and its JSON on demand. */
export function placeholder(kind: string, raw: unknown): HTMLElement {
  return h("details", { class: "unknown-block" }, h("summary", {}, `Not drawn by the sandbox: ${kind}`), h("pre", {}, JSON.stringify(raw, null, 2)));
}

/** A text object: mrkdwn or plain_text. */
export function textObject(value: unknown, context: BlockContext): Node {
  if (!isJson(value) || typeof value.text !== "string") return placeholder("text object", value);
  if (value.type === "mrkdwn") return mrkdwn(value.text, context.directory);
  return h("span", { class: "plain" }, ...plainText(value.text, value.emoji !== false));
}

function button(element: Json, blockId: string | undefined, context: BlockContext): HTMLElement {
  const label = isJson(element.text) && typeof element.text.text === "string" ? element.text.text : "Button";
  const url = typeof element.url === "string" ? element.url : undefined;
  const style = element.style === "primary" || element.style === "danger" ? element.style : "default";
  const pressed: PressedButton = {
    actionId: typeof element.action_id === "string" ? element.action_id : "",
    blockId,
    value: typeof element.value === "string" ? element.value : undefined,
    url,
    label,
  };
  const press = context.press;
  return h(
    "button",
    {
      class: `sk-button sk-button-${style}`,
      type: "button",
      title: url ? `Opens ${url}` : undefined,
      disabled: !press,
      onclick: press ? (event: Event) => {
        const target = event.currentTarget as HTMLButtonElement;
        target.classList.add("sk-button-busy");
        press(pressed);
      } : undefined,
    },
    ...plainText(label),
    url ? h("span", { class: "sk-external", "aria-hidden": "true" }, " ↗") : null,
  );
}

/** An interactive element: a button, or a placeholder for one the sandbox does not play. */
function element(raw: unknown, blockId: string | undefined, context: BlockContext): Node {
  if (!isJson(raw)) return placeholder("element", raw);
  if (raw.type === "button") return button(raw, blockId, context);
  if (raw.type === "image" && typeof raw.alt_text === "string") return imageElement(raw);
  return placeholder(`${String(raw.type)} element`, raw);
}

/** An image: the sandbox fetches nothing from outside, so it shows the alt text where the image would be. */
function imageElement(raw: Json): HTMLElement {
  return h("span", { class: "sk-image-element", title: typeof raw.image_url === "string" ? raw.image_url : "" }, "🖼");
}

/** One block. */
export function block(raw: unknown, context: BlockContext): Node {
  if (!isJson(raw) || typeof raw.type !== "string") return placeholder("block", raw);
  const blockId = typeof raw.block_id === "string" ? raw.block_id : undefined;
  switch (raw.type) {
    case "section": {
      const fields = Array.isArray(raw.fields) ? raw.fields : [];
      return h(
        "div",
        { class: "sk-section" },
        h(
          "div",
          { class: "sk-section-body" },
          raw.text === undefined ? null : textObject(raw.text, context),
          fields.length > 0 ? h("div", { class: "sk-fields" }, ...fields.map((field) => h("div", { class: "sk-field" }, textObject(field, context)))) : null,
        ),
        raw.accessory === undefined ? null : h("div", { class: "sk-accessory" }, element(raw.accessory, blockId, context)),
      );
    }
    case "header":
      return h("div", { class: "sk-header" }, textObject(raw.text, context));
    case "context": {
      const elements = Array.isArray(raw.elements) ? raw.elements : [];
      return h(
        "div",
        { class: "sk-context" },
        ...elements.map((item) => (isJson(item) && item.type === "image" ? imageElement(item) : h("span", { class: "sk-context-item" }, textObject(item, context)))),
      );
    }
    case "divider":
      return h("hr", { class: "sk-divider" });
    case "actions": {
      const elements = Array.isArray(raw.elements) ? raw.elements : [];
      return h("div", { class: "sk-actions" }, ...elements.map((item) => element(item, blockId, context)));
    }
    case "image":
      return h("figure", { class: "sk-image" }, h("div", { class: "sk-image-frame" }, "🖼 ", typeof raw.alt_text === "string" ? raw.alt_text : "image"), raw.title ? h("figcaption", {}, textObject(raw.title, context)) : null);
    default:
      return placeholder(`${raw.type} block`, raw);
  }
}

/** A message's or view's blocks; a message without blocks is its text, as Slack falls back. */
export function blocks(list: readonly unknown[] | undefined, fallbackText: string, context: BlockContext): HTMLElement {
  if (!list || list.length === 0) return h("div", { class: "sk-blocks" }, mrkdwn(fallbackText, context.directory));
  return h("div", { class: "sk-blocks" }, ...list.map((raw) => block(raw, context)));
}
