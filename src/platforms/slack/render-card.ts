/**
 * The port's Card as Slack draws it, with today's builders (src/platforms/slack/blocks.ts, mrkdwn.ts): the
 * proof that the model loses nothing Slack shows. Text -> section (its button as the accessory),
 * note -> context, heading -> header, fields -> section fields, buttons -> actions (the row id as
 * block_id), summary -> the message's `text`; and a Form as a modal. Pure. The Slack adapter (docs/chat-port.md) grows from here.
 */
import type { Button as SlackButton, KnownBlock, ModalView, SectionBlock } from "@slack/types";
import type { Button, Card, CardBlock } from "../../chat/card.js";
import type { Form } from "../../chat/form.js";
import type { FormNotice } from "../../chat/reply.js";
import { clockTime, type Inline, type RichText } from "../../chat/rich-text.js";
import { actions, button, context, header, LIMITS, packLines, section } from "./blocks.js";
import type { MessageContent } from "./client.js";
import { escapeMrkdwn, linkedTitle } from "./mrkdwn.js";
import { cutToUnits } from "../../text.js";

/** Slack's user ids: a mention of anyone else (another platform's person) is written as text. */
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
/** Slack's public and private channel ids: a channel link to anything else is written as text. */
const CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;

/** One piece of RichText as mrkdwn. */
export function renderSlackInline(inline: Inline): string {
  if (typeof inline === "string") return escapeMrkdwn(inline);
  if ("link" in inline) return linkedTitle(inline.link, inline.text || inline.link, { bold: inline.bold === true });
  if ("bold" in inline) return inline.bold ? `*${escapeMrkdwn(inline.bold)}*` : "";
  if ("italic" in inline) return inline.italic ? `_${escapeMrkdwn(inline.italic)}_` : "";
  if ("code" in inline) return inline.code ? `\`${escapeMrkdwn(inline.code.replaceAll("`", "\u02cb"))}\`` : "";
  // Slack draws its own shortcodes, and every Slack message and test says them.
  if ("emoji" in inline) return `:${inline.emoji}:`;
  if ("channel" in inline) {
    const { platform, conversation, name } = inline.channel;
    if (platform !== "slack" || !CHANNEL_ID.test(conversation)) return escapeMrkdwn(`#${name || conversation}`);
    // Slack shows the channel's current name; the label after `|` is kept as written (escaped).
    return name ? `<#${conversation}|${escapeMrkdwn(name)}>` : `<#${conversation}>`;
  }
  // Slack draws `<!date^…>` in each reader's zone; the fallback after `|` is for clients that cannot.
  if ("time" in inline) return `<!date^${Math.floor(inline.time / 1000)}^${inline.day ? "{date_short_pretty} at {time}" : "{time}"}|${clockTime(inline)}>`;
  const { mention } = inline;
  return mention.platform === "slack" && USER_ID.test(mention.userId) ? `<@${mention.userId}>` : escapeMrkdwn(`@${mention.userId}`);
}

/** RichText as mrkdwn. */
export function renderSlackText(text: RichText): string {
  return text.map(renderSlackInline).join("");
}

/** A Card as a Slack message: `text` from its summary, and its blocks. */
export function renderSlackCard(card: Card): MessageContent {
  const blocks = card.blocks.flatMap(renderBlock);
  return { text: renderSlackText(card.summary), ...(blocks.length > 0 ? { blocks } : {}) };
}

function renderBlock(block: CardBlock): KnownBlock[] {
  switch (block.kind) {
    case "text":
      return [section(renderSlackText(block.text), block.button && renderSlackButton(block.button))];
    case "note":
      return [context(renderSlackText(block.text))];
    case "heading":
      return [header(block.text)];
    case "fields": {
      const fields = block.fields.slice(0, LIMITS.sectionFields).map((field) => ({ type: "mrkdwn" as const, text: cutToUnits(`*${escapeMrkdwn(field.label)}*\n${renderSlackText(field.value)}`, LIMITS.sectionFieldText) }));
      return fields.length > 0 ? [{ type: "section", fields } satisfies SectionBlock] : [];
    }
    case "lines":
      return packLines(block.lines.map(renderSlackText));
    case "buttons":
      return block.buttons.length > 0 ? [actions(block.buttons.map(renderSlackButton), block.id)] : [];
  }
}

/** Whether Slack takes the card as one message: at most 50 blocks once its lines are packed (chat.postMessage answers invalid_blocks past it). */
export function fitsSlackMessage(card: Card): boolean {
  return card.blocks.flatMap(renderBlock).length <= LIMITS.messageBlocks;
}

/** A port's button as a Block Kit button: a link's url, an action's value and style (the Home tab draws the status buttons with it). */
export function renderSlackButton(input: Button): SlackButton {
  if (input.kind === "link") return button({ actionId: input.action ?? "open_link", text: input.label, url: input.url });
  return button({ actionId: input.action, text: input.label, value: input.value, style: input.style });
}

/**
 * A Form as a Slack modal: text -> plain_text_input, choice -> static_select, date -> datepicker,
 * the note as a context block, the context as private_metadata JSON. Errors are not drawn here:
 * Slack shows them under the inputs through `response_action: "errors"`, keyed by input id (= block_id).
 */
export function renderSlackForm(form: Form): ModalView {
  const plain = (text: string, max: number) => ({ type: "plain_text" as const, text: cutToUnits(text, max), emoji: true });
  const blocks: KnownBlock[] = form.inputs.map((input): KnownBlock => {
    const base = {
      type: "input" as const,
      block_id: input.id,
      label: plain(input.label, LIMITS.inputLabel),
      ...(input.optional ? { optional: true } : {}),
      ...(input.hint ? { hint: plain(input.hint, LIMITS.inputLabel) } : {}),
    };
    const placeholder = input.placeholder ? { placeholder: plain(input.placeholder, LIMITS.placeholder) } : {};
    switch (input.kind) {
      case "text":
        return {
          ...base,
          element: {
            type: "plain_text_input",
            action_id: `${input.id}_input`,
            ...(input.multiline ? { multiline: true } : {}),
            max_length: Math.min(input.maxLength, LIMITS.plainTextInput),
            ...placeholder,
            ...(input.value ? { initial_value: cutToUnits(input.value, Math.min(input.maxLength, LIMITS.plainTextInput)) } : {}),
          },
        };
      case "choice": {
        const options = input.options.slice(0, LIMITS.options).map((option) => ({ text: plain(option.label, LIMITS.optionText), value: cutToUnits(option.value, LIMITS.optionValue) }));
        const initial = options.find((option) => option.value === input.value);
        return { ...base, element: { type: "static_select", action_id: `${input.id}_input`, ...placeholder, options, ...(initial ? { initial_option: initial } : {}) } };
      }
      case "date":
        return { ...base, element: { type: "datepicker", action_id: `${input.id}_input`, ...placeholder, ...(input.value ? { initial_date: input.value } : {}) } };
    }
  });
  if (form.note) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: cutToUnits(escapeMrkdwn(form.note), LIMITS.text) }] });
  return {
    type: "modal",
    callback_id: form.id,
    title: plain(form.title, LIMITS.modalTitle),
    submit: plain(form.submitLabel, LIMITS.modalTitle),
    ...(form.closeLabel ? { close: plain(form.closeLabel, LIMITS.modalTitle) } : {}),
    private_metadata: JSON.stringify(form.context),
    blocks,
  };
}

/**
 * A FormNotice as the modal that stands in place of a submitted form (`response_action: "update"`,
 * then views.update): its title and close button, the card's blocks; no submit, so it only closes.
 * Reproduces the task modal's "Saving…" and "Task created" views (features/task-request/modal.ts).
 */
export function renderSlackNotice(notice: FormNotice): ModalView {
  const plain = (text: string) => ({ type: "plain_text" as const, text: cutToUnits(text, LIMITS.modalTitle), emoji: true });
  return { type: "modal", title: plain(notice.title), close: plain(notice.closeLabel), blocks: notice.card.blocks.flatMap(renderBlock) };
}
