/**
 * Block Kit and mrkdwn as terminal text, for the Slack CLI (`npm run slack`): what a person would
 * read in Slack, with buttons as `[1 Label]` so they can be clicked by number. Pure functions.
 */
import * as z from "zod/mini";

/** Names for ids, so `<@U0BOB>` reads `@bob` and `<#C0GENERAL>` reads `#general`. */
export interface Directory {
  users: ReadonlyMap<string, string>;
  channels: ReadonlyMap<string, string>;
}

export const EMPTY_DIRECTORY: Directory = { users: new Map(), channels: new Map() };

const textObject = z.looseObject({ type: z.string(), text: z.string() });
type TextObject = z.infer<typeof textObject>;

const buttonSchema = z.looseObject({
  type: z.literal("button"),
  text: textObject,
  action_id: z.optional(z.string()),
  value: z.optional(z.string()),
  url: z.optional(z.string()),
  style: z.optional(z.string()),
});

/** A button as a click needs it. */
export interface Button {
  actionId: string;
  label: string;
  value: string | undefined;
  url: string | undefined;
  blockId: string | undefined;
}

const block = z.looseObject({ type: z.string(), block_id: z.optional(z.string()) });

/** Slack's mrkdwn as a person reads it: mentions and links resolved, entities decoded; *bold* kept. */
export function mrkdwnToText(mrkdwn: string, directory: Directory = EMPTY_DIRECTORY): string {
  const resolved = mrkdwn.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const bar = inner.indexOf("|");
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 ? undefined : inner.slice(bar + 1);
    if (target.startsWith("@")) return `@${label ?? directory.users.get(target.slice(1)) ?? target.slice(1)}`;
    if (target.startsWith("#")) return `#${label ?? directory.channels.get(target.slice(1)) ?? target.slice(1)}`;
    if (target.startsWith("!")) return label ?? `@${target.slice(1).split("^")[0] ?? ""}`;
    return label && label !== target ? `${label} (${target})` : target;
  });
  return resolved.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

function textOf(value: TextObject, directory: Directory): string {
  return value.type === "mrkdwn" ? mrkdwnToText(value.text, directory) : value.text;
}

/** Every button in the blocks, in reading order: `click --button N` counts from 1 in this order. */
export function buttonsIn(blocks: readonly unknown[] | undefined): Button[] {
  const buttons: Button[] = [];
  for (const raw of blocks ?? []) {
    const parsed = block.safeParse(raw);
    if (!parsed.success) continue;
    const candidates: unknown[] = [];
    const { accessory, elements } = parsed.data as { accessory?: unknown; elements?: unknown };
    if (parsed.data.type === "section" && accessory !== undefined) candidates.push(accessory);
    if (parsed.data.type === "actions" && Array.isArray(elements)) candidates.push(...(elements as unknown[]));
    for (const candidate of candidates) {
      const button = buttonSchema.safeParse(candidate);
      if (!button.success) continue;
      buttons.push({
        actionId: button.data.action_id ?? "",
        label: button.data.text.text,
        value: button.data.value,
        url: button.data.url,
        blockId: parsed.data.block_id,
      });
    }
  }
  return buttons;
}

/**
 * A message's blocks as lines of text. Buttons are numbered across the message; a link button shows
 * where it leads. Falls back to `text` when there are no blocks, as Slack does.
 */
export function renderMessage(message: { text: string; blocks?: readonly unknown[] | undefined }, directory: Directory = EMPTY_DIRECTORY): string[] {
  if (!message.blocks || message.blocks.length === 0) return mrkdwnToText(message.text, directory).split("\n");
  const lines: string[] = [];
  let buttonNumber = 0;
  const renderButton = (raw: unknown): string | undefined => {
    const button = buttonSchema.safeParse(raw);
    if (!button.success) return undefined;
    buttonNumber += 1;
    return `[${buttonNumber} ${button.data.text.text}${button.data.url ? ` ↗ ${button.data.url}` : ""}]`;
  };
  for (const raw of message.blocks) {
    const parsed = block.safeParse(raw);
    if (!parsed.success) continue;
    const data = parsed.data as Record<string, unknown>;
    switch (parsed.data.type) {
      case "header": {
        const text = textObject.safeParse(data.text);
        if (text.success) lines.push(text.data.text.toUpperCase());
        break;
      }
      case "section": {
        const text = textObject.safeParse(data.text);
        if (text.success) lines.push(...textOf(text.data, directory).split("\n"));
        const fields = z.array(textObject).safeParse(data.fields);
        if (fields.success) lines.push(...fields.data.map((field) => `  ${textOf(field, directory)}`));
        const button = data.accessory === undefined ? undefined : renderButton(data.accessory);
        if (button) lines.push(button);
        break;
      }
      case "context": {
        const elements = z.array(z.unknown()).safeParse(data.elements);
        const texts = (elements.success ? elements.data : []).flatMap((element) => {
          const text = textObject.safeParse(element);
          return text.success ? [textOf(text.data, directory)] : [];
        });
        if (texts.length > 0) lines.push(texts.join(" · "));
        break;
      }
      case "actions": {
        const elements = z.array(z.unknown()).safeParse(data.elements);
        const buttons = (elements.success ? elements.data : []).map(renderButton).filter((button) => button !== undefined);
        if (buttons.length > 0) lines.push(buttons.join(" "));
        break;
      }
      case "divider":
        lines.push("────────");
        break;
      default:
        lines.push(`(${parsed.data.type} block)`);
    }
  }
  return lines;
}

/** Wraps lines in a box titled `title`, the way a modal stands out from the conversation. */
export function boxed(title: string, lines: readonly string[]): string[] {
  const width = Math.min(76, Math.max(title.length + 4, ...lines.map((line) => line.length)) + 2);
  return [`┌─ ${title} ${"─".repeat(Math.max(1, width - title.length - 3))}`, ...lines.map((line) => `│ ${line}`), `└${"─".repeat(width)}`];
}
