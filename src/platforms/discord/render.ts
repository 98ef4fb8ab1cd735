/**
 * The port's Card and Form as Discord draws them. Messages use `content` (Discord markdown) and
 * action rows of buttons, not Components V2: the limits are content's (2,000), a V2 message
 * can never drop its flag again (so a redraw could not go back), and content is what push
 * notifications and replies quote. Modals use Labels (type 18) around each input and a Text Display
 * (type 10), since action rows in modals are deprecated (discord-api-types v10, 2025) and a Label is
 * what lets a String Select, the board's priorities, sit in a modal. Pure; exact-equality tested.
 */
import type { Button, Card, CardBlock } from "../../chat/card.js";
import type { Form, FormInput } from "../../chat/form.js";
import { mentionedUserIds, type RichText } from "../../chat/rich-text.js";
import { packButtonId, packFormId, type Parked } from "./custom-id.js";
import { ComponentType } from "./interaction-payloads.js";
import { cutToChars, DISCORD_LIMITS, discordLength, headWithinChars } from "./limits.js";
import { escapeDiscordMarkdown, noPings, onlyPing, renderRichText, type AllowedMentions } from "./markdown.js";

/** Button styles (components/reference, "Button Styles"). */
export const ButtonStyle = /* @__PURE__ */ Object.freeze({ Primary: 1, Secondary: 2, Success: 3, Danger: 4, Link: 5 } as const);
/** Text input styles. */
export const TextInputStyle = /* @__PURE__ */ Object.freeze({ Short: 1, Paragraph: 2 } as const);

export type DiscordButton =
  | { type: 2; style: 1 | 2 | 4; label: string; custom_id: string }
  | { type: 2; style: 5; label: string; url: string };
export interface DiscordActionRow {
  type: 1;
  components: DiscordButton[];
}

/** A message body for Create Message, Edit Message and interaction responses. */
export interface DiscordMessageBody {
  content: string;
  components: DiscordActionRow[];
  allowed_mentions: AllowedMentions;
}

/** What rendering a card yields: the body, and the button values to park in the store before sending it. */
export interface RenderedCard {
  body: DiscordMessageBody;
  parked: Parked[];
}

/** Options for a card: the one person it may ping (a reply to their message), if any. */
export interface CardOptions {
  ping?: string | undefined;
}

/**
 * A card as a message: its blocks as markdown lines in order, its buttons in rows of five. Only
 * `options.ping` is pinged, and only if the card mentions them. Content past 2,000 characters is cut
 * at a line and ends in "…". Throws a RangeError past 5 rows or for a URL over 512 (a bug in the caller).
 */
export function renderCard(card: Card, options: CardOptions = {}): RenderedCard {
  const parked: Parked[] = [];
  const lines = card.blocks.flatMap(blockLines);
  const rows: DiscordActionRow[] = [];
  for (const block of card.blocks) {
    const buttons = block.kind === "buttons" ? block.buttons : block.kind === "text" && block.button ? [block.button] : [];
    const rowId = block.kind === "buttons" ? block.id : undefined;
    for (let start = 0; start < buttons.length; start += DISCORD_LIMITS.rowButtons) {
      rows.push({ type: ComponentType.ActionRow, components: buttons.slice(start, start + DISCORD_LIMITS.rowButtons).map((button) => renderButton(button, rowId, parked)) });
    }
  }
  if (rows.length > DISCORD_LIMITS.actionRows) throw new RangeError(`more than ${DISCORD_LIMITS.actionRows} rows of buttons`);
  const content = fitContent(lines.length > 0 ? lines : [renderRichText(card.summary)]);
  const mentioned = [
    ...(lines.length > 0 ? [] : mentionedUserIds(card.summary)),
    ...card.blocks.flatMap((block) => (block.kind === "text" || block.kind === "note" ? mentionedUserIds(block.text) : block.kind === "fields" ? block.fields.flatMap((field) => mentionedUserIds(field.value)) : block.kind === "lines" ? block.lines.flatMap(mentionedUserIds) : [])),
  ];
  const ping = options.ping !== undefined && mentioned.includes(options.ping) ? [options.ping] : [];
  return { body: { content, components: rows, allowed_mentions: ping.length > 0 ? onlyPing(ping) : noPings() }, parked };
}

/**
 * A card as as many messages as its content needs, each within content's 2,000 characters: split
 * between blocks (a review's groups), and a block too long for one message between its lines; one
 * line longer than a message is cut as renderCard cuts it. A card that fits is renderCard's one
 * message, exactly. Each message carries its own blocks' buttons; ping and parked values as renderCard's.
 */
export function renderCardMessages(card: Card, options: CardOptions = {}): RenderedCard[] {
  const fits = (blocks: readonly CardBlock[]) => discordLength(blocks.flatMap(blockLines).join("\n")) <= DISCORD_LIMITS.content;
  if (fits(card.blocks)) return [renderCard(card, options)];
  const chunks: CardBlock[][] = [];
  let current: CardBlock[] = [];
  for (const block of card.blocks.flatMap((block) => (fits([block]) ? [block] : splitBlock(block, fits)))) {
    if (current.length > 0 && !fits([...current, block])) {
      chunks.push(current);
      current = [];
    }
    current.push(block);
  }
  if (current.length > 0) chunks.push(current);
  return chunks.map((blocks) => renderCard({ summary: card.summary, blocks }, options));
}

/** A list too long for one message as lists that each fit (a line alone too long stays whole, to be cut); any other block as it is. */
function splitBlock(block: CardBlock, fits: (blocks: readonly CardBlock[]) => boolean): CardBlock[] {
  if (block.kind !== "lines") return [block];
  const parts: RichText[][] = [];
  for (const line of block.lines) {
    const last = parts.at(-1);
    if (last && fits([{ kind: "lines", lines: [...last, line] }])) last.push(line);
    else parts.push([line]);
  }
  return parts.map((lines) => ({ kind: "lines", lines }));
}

function blockLines(block: CardBlock): string[] {
  switch (block.kind) {
    case "text":
      return [renderRichText(block.text)];
    case "heading":
      return [`### ${escapeDiscordMarkdown(block.text)}`];
    case "note":
      // Subtext (`-# `) is one line: each line of the note gets its own mark.
      return renderRichText(block.text).split("\n").map((line) => `-# ${line}`);
    case "fields":
      return block.fields.map((field) => `**${escapeDiscordMarkdown(field.label)}**: ${renderRichText(field.value)}`);
    case "lines":
      return block.lines.map(renderRichText);
    case "buttons":
      return [];
  }
}

function renderButton(button: Button, rowId: string | undefined, parked: Parked[]): DiscordButton {
  const label = cutToChars(button.label, DISCORD_LIMITS.buttonLabel);
  if (button.kind === "link") {
    if (discordLength(button.url) > DISCORD_LIMITS.buttonUrl) throw new RangeError(`button url over ${DISCORD_LIMITS.buttonUrl} characters`);
    return { type: ComponentType.Button, style: ButtonStyle.Link, label, url: button.url };
  }
  const style = button.style === "primary" ? ButtonStyle.Primary : button.style === "danger" ? ButtonStyle.Danger : ButtonStyle.Secondary;
  return { type: ComponentType.Button, style, label, custom_id: packButtonId(button.action, rowId, button.value, parked) };
}

/** Lines joined within content's 2,000: whole lines while they fit, then the start of the next and "…". */
function fitContent(lines: readonly string[]): string {
  const whole = lines.join("\n");
  if (discordLength(whole) <= DISCORD_LIMITS.content) return whole;
  // A cut must not end in a lone backslash, which would escape the ellipsis instead of what it escaped.
  const head = headWithinChars(whole, DISCORD_LIMITS.content - 1).replace(/(?<!\\)(\\\\)*\\$/, "$1");
  return `${head}…`;
}

// ---------------------------------------------------------------------------------------------
// Forms
// ---------------------------------------------------------------------------------------------

type ModalInput =
  | { type: 4; custom_id: string; style: 1 | 2; required: boolean; max_length: number; min_length?: number; placeholder?: string; value?: string }
  | { type: 3; custom_id: string; required: boolean; placeholder?: string; options: { label: string; value: string; default?: boolean }[] };
export type ModalComponent = { type: 18; label: string; description?: string; component: ModalInput } | { type: 10; content: string };

/** A modal response's `data` (response type 9). */
export interface DiscordModal {
  custom_id: string;
  title: string;
  components: ModalComponent[];
}

/** Shown in place of a date picker, which Discord does not have. */
export const DATE_PLACEHOLDER = "YYYY-MM-DD";

/**
 * A form as a modal: one Label per input (an error, when there is one, in place of its hint, since
 * a modal's submission cannot be answered with the modal again), then the note as a Text Display if
 * a sixth component is not needed for it. At most 5 inputs (a RangeError otherwise).
 */
export function renderForm(form: Form): { modal: DiscordModal; parked: Parked[] } {
  if (form.inputs.length > DISCORD_LIMITS.modalComponents) throw new RangeError(`more than ${DISCORD_LIMITS.modalComponents} inputs`);
  const parked: Parked[] = [];
  const components: ModalComponent[] = form.inputs.map((input) => {
    const error = form.errors?.[input.id];
    const description = error !== undefined ? `⚠️ ${error}` : input.hint;
    return {
      type: ComponentType.Label,
      label: cutToChars(input.label, DISCORD_LIMITS.label),
      ...(description ? { description: cutToChars(description, DISCORD_LIMITS.labelDescription) } : {}),
      component: renderInput(input),
    };
  });
  if (form.note && components.length < DISCORD_LIMITS.modalComponents) {
    components.push({ type: ComponentType.TextDisplay, content: cutToChars(escapeDiscordMarkdown(form.note), DISCORD_LIMITS.textDisplay) });
  }
  return { modal: { custom_id: packFormId(form.id, form.context, parked), title: cutToChars(form.title, DISCORD_LIMITS.modalTitle), components }, parked };
}

function renderInput(input: FormInput): ModalInput {
  const required = input.optional !== true;
  switch (input.kind) {
    case "text": {
      const max = Math.min(input.maxLength, DISCORD_LIMITS.textInputValue);
      const value = input.value ? headWithinChars(input.value, max) : undefined;
      return {
        type: ComponentType.TextInput,
        custom_id: input.id,
        style: input.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required,
        max_length: max,
        ...(input.placeholder ? { placeholder: cutToChars(input.placeholder, DISCORD_LIMITS.placeholder) } : {}),
        ...(value ? { value } : {}),
      };
    }
    case "date":
      return {
        type: ComponentType.TextInput,
        custom_id: input.id,
        style: TextInputStyle.Short,
        required,
        min_length: DATE_PLACEHOLDER.length,
        max_length: DATE_PLACEHOLDER.length,
        placeholder: DATE_PLACEHOLDER,
        ...(input.value ? { value: headWithinChars(input.value, DATE_PLACEHOLDER.length) } : {}),
      };
    case "choice":
      return {
        type: ComponentType.StringSelect,
        custom_id: input.id,
        required,
        ...(input.placeholder ? { placeholder: cutToChars(input.placeholder, DISCORD_LIMITS.placeholder) } : {}),
        options: input.options.slice(0, DISCORD_LIMITS.selectOptions).map((option) => ({
          label: cutToChars(option.label, DISCORD_LIMITS.selectOptionLabel),
          value: headWithinChars(option.value, DISCORD_LIMITS.selectOptionValue),
          ...(option.value === input.value ? { default: true } : {}),
        })),
      };
  }
}
