/**
 * Block Kit as the bot writes it: Slack's documented limits and the few builders every feature uses.
 * Slack refuses a surface that breaks a limit (`invalid_blocks`, `invalid_arguments`) rather than
 * cutting it, and counts every length in UTF-16 code units, as JavaScript's `String.length` does.
 * Builders cut text with cutToUnits (src/text.ts), which never splits a surrogate pair.
 * Sources: docs.slack.dev/reference/block-kit/blocks, …/block-elements, …/composition-objects,
 * …/surfaces/modals and the chat.postMessage / views.open references.
 */
import { cutToUnits } from "../../text.js";
export { cutToUnits, headWithinUnits } from "../../text.js";
import type { ActionsBlock, Button, ContextBlock, HeaderBlock, KnownBlock, PlainTextElement, SectionBlock } from "@slack/types";

/** Slack's limits, in UTF-16 code units for lengths. The Slack emulator enforces the same table. */
export const LIMITS = Object.freeze({
  /** A text object in a section, context or block element. */
  text: 3_000,
  /** A section's fields: at most 10, each at most 2,000. */
  sectionFields: 10,
  sectionFieldText: 2_000,
  /** A header block's plain text. */
  header: 150,
  buttonText: 75,
  buttonValue: 2_000,
  buttonUrl: 3_000,
  optionText: 75,
  optionValue: 150,
  /** Options in one static select. */
  options: 100,
  placeholder: 150,
  actionId: 255,
  blockId: 255,
  callbackId: 255,
  externalId: 255,
  /** A modal's title, submit and close labels. */
  modalTitle: 24,
  privateMetadata: 3_000,
  /** An input block's label and hint. */
  inputLabel: 2_000,
  /** plain_text_input.max_length, and so its initial_value. */
  plainTextInput: 3_000,
  contextElements: 10,
  actionsElements: 25,
  messageBlocks: 50,
  /** A modal or a Home tab. */
  viewBlocks: 100,
  /** A message's top-level `text`: past it chat.postMessage answers `msg_too_long`. */
  messageText: 40_000,
} as const);

/** A plain_text object; `emoji: true` lets :shortcodes: render as Slack's client does. */
export function plainText(text: string, max: number = LIMITS.text): PlainTextElement {
  return { type: "plain_text", text: cutToUnits(text, max), emoji: true };
}

/** A section with mrkdwn text, cut to Slack's limit (the text must already be escaped). */
export function section(mrkdwn: string, accessory?: SectionBlock["accessory"]): SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text: cutToUnits(mrkdwn, LIMITS.text) }, ...(accessory ? { accessory } : {}) };
}

/** A context block with one mrkdwn element. */
export function context(mrkdwn: string): ContextBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: cutToUnits(mrkdwn, LIMITS.text) }] };
}

/** A header block: plain text, cut to 150 units. */
export function header(text: string): HeaderBlock {
  return { type: "header", text: plainText(text, LIMITS.header) };
}

export interface ButtonInput {
  actionId: string;
  text: string;
  value?: string | undefined;
  url?: string | undefined;
  style?: "primary" | "danger" | undefined;
}

/** A button. A value or URL over Slack's limit is a bug in the caller, so it throws rather than cuts. */
export function button(input: ButtonInput): Button {
  if (input.value !== undefined && input.value.length > LIMITS.buttonValue) throw new RangeError(`button value over ${LIMITS.buttonValue} units`);
  if (input.url !== undefined && input.url.length > LIMITS.buttonUrl) throw new RangeError(`button url over ${LIMITS.buttonUrl} units`);
  return {
    type: "button",
    action_id: input.actionId,
    text: plainText(input.text, LIMITS.buttonText),
    ...(input.value !== undefined ? { value: input.value } : {}),
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.style ? { style: input.style } : {}),
  };
}

/** An actions block: at most 25 elements (the rest are dropped). */
export function actions(elements: ActionsBlock["elements"], blockId?: string): ActionsBlock {
  return { type: "actions", ...(blockId ? { block_id: blockId } : {}), elements: elements.slice(0, LIMITS.actionsElements) };
}

/**
 * Lines packed into as few sections as fit Slack's text limit, in order; a line longer than the
 * limit is cut. For lists that may grow past one section (a task list, a review group).
 */
export function packLines(lines: readonly string[], max: number = LIMITS.text): KnownBlock[] {
  const texts: string[] = [];
  let current = "";
  for (const line of lines) {
    const fitted = cutToUnits(line, max);
    if (current && current.length + 1 + fitted.length > max) {
      texts.push(current);
      current = "";
    }
    current = current ? `${current}\n${fitted}` : fitted;
  }
  if (current) texts.push(current);
  return texts.map((text) => section(text));
}
