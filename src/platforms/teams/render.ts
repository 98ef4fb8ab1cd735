/**
 * Cards and forms as Teams draws them: Adaptive Cards (adaptivecards.io, schema 1.5, as Teams'
 * clients take it). A Card becomes a message's card (TextBlock, FactSet, Action.OpenUrl, and
 * Action.Execute for a button that does something: an `adaptiveCard/action` invoke); a Form a
 * dialog's card (Input.Text, Input.ChoiceSet, Input.Date, submitted with Action.Submit: a
 * `task/submit` invoke). User text is escaped so it is never markdown or a mention; the one person
 * a reply may ping is an `<at>` with a mention entity for exactly them.
 */
import { EMOJI } from "../../chat/emoji.js";
import type { Button, Card, CardBlock } from "../../chat/card.js";
import type { Form, FormInput } from "../../chat/form.js";
import { plainTextOf, type Inline, type RichText } from "../../chat/rich-text.js";

export const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";
const SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";
/**
 * A bot's message (the activity with its cards) as Teams counts it: encoded as UTF-16, so two bytes a
 * code unit (learn.microsoft.com, "Format your bot messages": 100 KB, refused past it with 413
 * MessageSizeTooBig; keep a message within 80 KB to be sure it is delivered). This is that 80 KB,
 * less a margin for the envelope.
 */
export const TEAMS_MESSAGE_BYTES = 80 * 1024;
/** Teams' hard limit, past which it answers 413 MessageSizeTooBig (the emulator refuses as it does). */
export const TEAMS_MESSAGE_LIMIT_BYTES = 100 * 1024;
const ENVELOPE_MARGIN = 1024;
/** The form context's key for the id of the invoke that opened the dialog (Intent submit_form's `instance`). */
export const OPENED_BY = "o";

export type AdaptiveElement = Record<string, unknown>;
export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: string;
  body: AdaptiveElement[];
  actions?: AdaptiveElement[];
  msteams?: { width?: "Full"; entities?: MentionEntity[] };
}
/** A mention entity (Teams: "Mention support within Adaptive Cards"): `text` must appear as is in the card. */
export interface MentionEntity {
  type: "mention";
  text: string;
  mentioned: { id: string; name: string };
}

/** Markdown Teams reads in a TextBlock (a CommonMark subset): escaped with a backslash. */
const MARKDOWN = /[\\`*_{}[\]()#+\-.!|~>]/g;

/**
 * `text` as TextBlock markdown that shows exactly `text`: markdown characters backslashed (`{` too,
 * so a typed `{{DATE(…)}}` is never one of Adaptive Cards' functions), and a zero-width space after
 * each `<` (an `<at>` typed by someone must never become a mention).
 */
export function escapeTeamsMarkdown(text: string): string {
  return text.replace(MARKDOWN, (char) => `\\${char}`).replaceAll("<", "<\u200b");
}

/** Adaptive Cards' date and time functions want RFC 3339 without fractions: each reader sees their own zone. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export interface RenderOptions {
  /** The one person this message may ping (a reply naming them); every other mention is their name as text. */
  ping?: { userId: string; name: string } | undefined;
}

/** One piece of RichText as TextBlock markdown; the mention of `ping` adds its entity to `entities`. */
function renderInline(inline: Inline, options: RenderOptions, entities: MentionEntity[]): string {
  if (typeof inline === "string") return escapeTeamsMarkdown(inline);
  if ("link" in inline) {
    const link = `[${escapeTeamsMarkdown(inline.text || inline.link)}](${inline.link.replace(/[()<> ]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)})`;
    return inline.bold ? `**${link}**` : link;
  }
  if ("bold" in inline) return inline.bold ? `**${escapeTeamsMarkdown(inline.bold)}**` : "";
  if ("italic" in inline) return inline.italic ? `_${escapeTeamsMarkdown(inline.italic)}_` : "";
  if ("code" in inline) return inline.code ? `\`${inline.code.replaceAll("`", "\u02cb").replaceAll("<", "<\u200b").replaceAll("{{", "{\u200b{")}\`` : "";
  if ("emoji" in inline) return EMOJI[inline.emoji];
  if ("channel" in inline) return escapeTeamsMarkdown(`#${inline.channel.name || inline.channel.conversation}`);
  if ("time" in inline) return inline.day ? `{{DATE(${isoSeconds(inline.time)}, SHORT)}} {{TIME(${isoSeconds(inline.time)})}}` : `{{TIME(${isoSeconds(inline.time)})}}`;
  const { mention } = inline;
  const name = ("displayName" in mention && mention.displayName) || mention.userId;
  if (mention.platform === "teams" && options.ping?.userId === mention.userId) {
    const text = `<at>${options.ping.name.replace(/[<>]/g, "")}</at>`;
    if (!entities.some((entity) => entity.text === text)) entities.push({ type: "mention", text, mentioned: { id: mention.userId, name: options.ping.name } });
    return text;
  }
  return escapeTeamsMarkdown(`@${name}`);
}

/** RichText as TextBlock markdown. */
export function renderRichText(text: RichText, options: RenderOptions = {}, entities: MentionEntity[] = []): string {
  return text.map((inline) => renderInline(inline, options, entities)).join("");
}

const textBlock = (text: string, extra: Record<string, unknown> = {}): AdaptiveElement => ({ type: "TextBlock", text, wrap: true, ...extra });

/** A button as an action: a link opens its URL; an action is Action.Execute with the verb and data the click sends back. */
function renderButton(button: Button, rowId: string | undefined): AdaptiveElement {
  if (button.kind === "link") return { type: "Action.OpenUrl", title: button.label, url: button.url };
  return {
    type: "Action.Execute",
    title: button.label,
    verb: button.action,
    data: { ...(button.value === undefined ? {} : { value: button.value }), ...(rowId === undefined ? {} : { rowId }) },
    ...(button.style === "primary" ? { style: "positive" } : button.style === "danger" ? { style: "destructive" } : {}),
  };
}

function renderBlock(block: CardBlock, options: RenderOptions, entities: MentionEntity[]): AdaptiveElement[] {
  switch (block.kind) {
    case "text":
      return [textBlock(renderRichText(block.text, options, entities)), ...(block.button ? [{ type: "ActionSet", actions: [renderButton(block.button, undefined)] }] : [])];
    case "heading":
      return [textBlock(escapeTeamsMarkdown(block.text), { size: "Large", weight: "Bolder" })];
    case "note":
      return [textBlock(renderRichText(block.text, options, entities), { isSubtle: true, size: "Small" })];
    case "fields":
      // A FactSet's title is plain text; its value is markdown.
      return [{ type: "FactSet", facts: block.fields.map((field) => ({ title: field.label, value: renderRichText(field.value, options, entities) })) }];
    case "lines":
      // One TextBlock a line: a line break inside a TextBlock is read differently by each Teams client.
      return block.lines.map((line, index) => textBlock(renderRichText(line, options, entities), index === 0 ? {} : { spacing: "None" }));
    case "buttons":
      return [{ type: "ActionSet", ...(block.id === undefined ? {} : { id: block.id }), actions: block.buttons.map((button) => renderButton(button, block.id)) }];
  }
}

/** RichText split at its line breaks (a summary's "\n"): one RichText a line. */
function linesOf(text: RichText): RichText[] {
  const lines: Inline[][] = [[]];
  for (const inline of text) {
    if (typeof inline !== "string" || !inline.includes("\n")) {
      lines.at(-1)!.push(inline);
      continue;
    }
    inline.split("\n").forEach((part, index) => {
      if (index > 0) lines.push([]);
      if (part !== "") lines.at(-1)!.push(part);
    });
  }
  return lines;
}

/**
 * A Card as an Adaptive Card. A card with no text in its blocks (a notice, a refusal, everything a
 * person typed sent back: kept whole in the summary) is drawn from its summary, one TextBlock a line,
 * before its buttons, as Discord and Mattermost draw it: an Adaptive Card shows no summary, and would come empty.
 */
export function renderAdaptiveCard(card: Card, options: RenderOptions = {}): AdaptiveCard {
  const entities: MentionEntity[] = [];
  const summaryOnly = !card.blocks.some((block) => block.kind !== "buttons");
  const summary: CardBlock = { kind: "lines", lines: linesOf(card.summary).map((line) => (line.length > 0 ? line : ["\u00a0"])) };
  const blocks: readonly CardBlock[] = summaryOnly ? [summary, ...card.blocks] : card.blocks;
  const body = blocks.flatMap((block) => renderBlock(block, options, entities));
  return { type: "AdaptiveCard", $schema: SCHEMA, version: "1.5", body, msteams: { width: "Full", ...(entities.length > 0 ? { entities } : {}) } };
}

/**
 * A Card as the message activity the connector takes: the card as its one attachment, the summary as
 * the notification's text, the person it pings named there as in the card (a mention may carry only
 * an id: a reminder's author, kept in its button as ids).
 */
export function renderCardActivity(card: Card, options: RenderOptions = {}): { type: "message"; summary: string; attachments: { contentType: string; content: AdaptiveCard }[] } {
  const ping = options.ping;
  const summary = ping === undefined ? card.summary : card.summary.map((inline): Inline => (typeof inline === "object" && "mention" in inline && inline.mention.platform === "teams" && inline.mention.userId === ping.userId ? { mention: { ...inline.mention, displayName: ping.name } } : inline));
  return { type: "message", summary: plainTextOf(summary).slice(0, 300), attachments: [{ contentType: ADAPTIVE_CARD, content: renderAdaptiveCard(card, options) }] };
}

/** A message's size as Teams counts it: its JSON in UTF-16, two bytes a code unit (a JS string's length is in code units). */
export function teamsMessageBytes(activity: unknown): number {
  return JSON.stringify(activity).length * 2;
}

/** Whether a card's message fits within TEAMS_MESSAGE_BYTES, counted as Teams counts. */
export function fitsTeams(card: Card): boolean {
  return teamsMessageBytes(renderCardActivity(card)) <= TEAMS_MESSAGE_BYTES - ENVELOPE_MARGIN;
}

/** A form input as Adaptive Card inputs: the input, then its hint and its error, if any. */
function renderInput(input: FormInput, error: string | undefined): AdaptiveElement[] {
  const common = { id: input.id, label: input.label, isRequired: input.optional !== true, ...(input.optional ? {} : { errorMessage: `${input.label} is required` }) };
  const element: AdaptiveElement =
    input.kind === "text"
      ? { type: "Input.Text", ...common, isMultiline: input.multiline === true, maxLength: input.maxLength, ...(input.placeholder ? { placeholder: input.placeholder } : {}), ...(input.value ? { value: input.value } : {}) }
      : input.kind === "choice"
        ? { type: "Input.ChoiceSet", ...common, style: "compact", choices: input.options.map((option) => ({ title: option.label, value: option.value })), ...(input.placeholder ? { placeholder: input.placeholder } : {}), ...(input.value ? { value: input.value } : {}) }
        : { type: "Input.Date", ...common, ...(input.placeholder ? { placeholder: input.placeholder } : {}), ...(input.value && /^\d{4}-\d{2}-\d{2}$/.test(input.value) ? { value: input.value } : {}) };
  return [
    element,
    ...(input.hint ? [textBlock(escapeTeamsMarkdown(input.hint), { isSubtle: true, size: "Small", spacing: "None" })] : []),
    ...(error ? [textBlock(escapeTeamsMarkdown(error), { color: "Attention", size: "Small", spacing: "None" })] : []),
  ];
}

/**
 * A Form as a dialog's Adaptive Card. Its submit button's data carries the form's id and context
 * back (Teams merges the inputs' values into it on `task/submit`), under keys no input id takes.
 */
export function renderFormCard(form: Form): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: SCHEMA,
    version: "1.5",
    body: [...(form.note ? [textBlock(escapeTeamsMarkdown(form.note), { isSubtle: true })] : []), ...form.inputs.flatMap((input) => renderInput(input, form.errors?.[input.id]))],
    actions: [{ type: "Action.Submit", title: form.submitLabel, data: { [FORM_KEY]: form.id, [CONTEXT_KEY]: form.context } }],
  };
}

/** Where the submit's data keeps the form's id and context: names a form's input ids never take. */
export const FORM_KEY = "chatops.form";
export const CONTEXT_KEY = "chatops.context";

/** The answer to `task/fetch` (or `composeExtension/fetchTask`) that opens `form` as a dialog. */
export function dialogOf(form: Form): { task: { type: "continue"; value: { title: string; width: string; height: string; card: { contentType: string; content: AdaptiveCard } } } } {
  return { task: { type: "continue", value: { title: form.title, width: "medium", height: "medium", card: { contentType: ADAPTIVE_CARD, content: renderFormCard(form) } } } };
}

/** A card shown in a dialog (a notice where a submitted form was). */
export function dialogCardOf(title: string, card: Card): ReturnType<typeof dialogOf> {
  return { task: { type: "continue", value: { title, width: "medium", height: "small", card: { contentType: ADAPTIVE_CARD, content: renderAdaptiveCard(card) } } } };
}
