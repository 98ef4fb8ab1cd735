/**
 * The port's Card as Slack draws it, with today's builders (src/slack/blocks.ts, mrkdwn.ts): the
 * proof that the model loses nothing Slack shows. Text -> section (its button as the accessory),
 * note -> context, heading -> header, fields -> section fields, buttons -> actions (the row id as
 * block_id), summary -> the message's `text`. Pure. The Slack adapter (docs/chat-port.md) grows from here.
 */
import type { Button as SlackButton, KnownBlock, SectionBlock } from "@slack/types";
import type { Button, Card, CardBlock, Inline, RichText } from "../../chat/model.js";
import { actions, button, context, header, LIMITS, section } from "../../slack/blocks.js";
import type { MessageContent } from "../../slack/client.js";
import { escapeMrkdwn, linkedTitle } from "../../slack/mrkdwn.js";
import { cutToUnits } from "../../text.js";

/** Slack's user ids: a mention of anyone else (another platform's person) is written as text. */
const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** One piece of RichText as mrkdwn. */
export function renderSlackInline(inline: Inline): string {
  if (typeof inline === "string") return escapeMrkdwn(inline);
  if ("link" in inline) return linkedTitle(inline.link, inline.text || inline.link, { bold: inline.bold === true });
  if ("bold" in inline) return inline.bold ? `*${escapeMrkdwn(inline.bold)}*` : "";
  if ("italic" in inline) return inline.italic ? `_${escapeMrkdwn(inline.italic)}_` : "";
  if ("code" in inline) return inline.code ? `\`${escapeMrkdwn(inline.code.replaceAll("`", "\u02cb"))}\`` : "";
  // Slack draws its own shortcodes, and every Slack message and test says them.
  if ("emoji" in inline) return `:${inline.emoji}:`;
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
      return [section(renderSlackText(block.text), block.button && renderButton(block.button))];
    case "note":
      return [context(renderSlackText(block.text))];
    case "heading":
      return [header(block.text)];
    case "fields": {
      const fields = block.fields.slice(0, LIMITS.sectionFields).map((field) => ({ type: "mrkdwn" as const, text: cutToUnits(`*${escapeMrkdwn(field.label)}*\n${renderSlackText(field.value)}`, LIMITS.sectionFieldText) }));
      return fields.length > 0 ? [{ type: "section", fields } satisfies SectionBlock] : [];
    }
    case "buttons":
      return block.buttons.length > 0 ? [actions(block.buttons.map(renderButton), block.id)] : [];
  }
}

function renderButton(input: Button): SlackButton {
  if (input.kind === "link") return button({ actionId: input.action ?? "open_link", text: input.label, url: input.url });
  return button({ actionId: input.action, text: input.label, value: input.value, style: input.style });
}
