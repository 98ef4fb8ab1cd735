/**
 * The port's Card and Form as Mattermost draws them. A card is a post: its blocks as markdown in
 * `message` (cut within 16,383 runes), its action buttons as message attachment actions whose
 * `integration.url` is the site's /mattermost/actions and whose `context` the bot signs (signed.ts),
 * since Mattermost signs nothing it sends there. Mattermost's attachments have no link button, so a
 * link button is a markdown link in the message. A form is an interactive dialog whose `state` the
 * bot signs the same way. Pure but for the signature's key and clock, which come in.
 */
import type { Button, Card, CardBlock } from "../../chat/card.js";
import type { Form, FormInput } from "../../chat/form.js";
import { plainTextOf } from "../../chat/rich-text.js";
import { cutToRunes, headWithinRunes, MATTERMOST_LIMITS, mattermostLength } from "./limits.js";
import { breakMentions, escapeMattermostMarkdown, renderRichText, type MentionOptions } from "./markdown.js";
import { signPayload } from "./signed.js";

/** The paths Mattermost posts back to (netlify/functions/mattermost-*.ts). */
export const ACTIONS_PATH = "/mattermost/actions";
export const DIALOGS_PATH = "/mattermost/dialogs";
/** A button's signed context lasts as a message stays useful: 30 days, as a task's record is kept current. */
export const BUTTON_SIGNED_MS = 30 * 86_400_000;
/** A dialog's signed state: a day to fill it in (a form left open over lunch still saves). */
export const FORM_SIGNED_MS = 86_400_000;
/** Shown in place of a date picker, which older Mattermost servers do not have. */
export const DATE_PLACEHOLDER = "YYYY-MM-DD";

export interface MattermostAction {
  id: string;
  name: string;
  type: "button";
  style?: "primary" | "danger" | "default";
  integration: { url: string; context: { signed: string } };
}

/** A post's content as Create Post, Patch Post, an ephemeral post and an action's `update` take it. */
export interface MattermostPostBody {
  message: string;
  props: { attachments: { fallback: string; actions: MattermostAction[] }[] };
}

export interface SignOptions {
  signingKey: Buffer;
  /** ms since the epoch: when what is signed starts to count down. */
  now: number;
  /** The site's origin (and path prefix, if any): buttons post to `${siteUrl}/mattermost/actions`; undefined when unknown. */
  siteUrl: string | undefined;
}

/** What a button's context carries back, signed: the action, the value and the row it was in. */
export interface SignedButton {
  action: string;
  value: string | undefined;
  rowId: string | undefined;
}

/**
 * A card as a post. Throws a RangeError for an action button when the site's URL is unknown (a
 * scheduled post without Netlify's URL: a bug in the set-up, said rather than sent broken).
 */
export function renderCard(card: Card, options: SignOptions & MentionOptions): MattermostPostBody {
  const lines = card.blocks.flatMap((block) => blockLines(block, options));
  const attachments: MattermostPostBody["props"]["attachments"] = [];
  let index = 0;
  for (const block of card.blocks) {
    const buttons = block.kind === "buttons" ? block.buttons : block.kind === "text" && block.button ? [block.button] : [];
    const rowId = block.kind === "buttons" ? block.id : undefined;
    const actions = buttons.flatMap((button) => (button.kind === "action" ? [renderAction(button, rowId, `b${index++}`, options)] : []));
    if (actions.length > 0) attachments.push({ fallback: fallbackOf(card.summary, options), actions });
  }
  const message = fitMessage(lines.length > 0 ? lines : [renderRichText(card.summary, options)]);
  return { message, props: { attachments } };
}

function blockLines(block: CardBlock, options: MentionOptions): string[] {
  switch (block.kind) {
    case "text":
      return [renderRichText(block.text, options) + (block.button?.kind === "link" ? ` ${linkOf(block.button)}` : "")];
    case "heading":
      return [`#### ${escapeMattermostMarkdown(block.text)}`];
    case "note":
      return [renderRichText(block.text, options)];
    case "fields":
      return block.fields.map((field) => `**${escapeMattermostMarkdown(field.label)}**: ${renderRichText(field.value, options)}`);
    case "lines":
      return block.lines.map((line) => renderRichText(line, options));
    case "buttons": {
      const links = block.buttons.flatMap((button) => (button.kind === "link" ? [linkOf(button)] : []));
      return links.length > 0 ? [links.join(" · ")] : [];
    }
  }
}

function linkOf(button: Extract<Button, { kind: "link" }>): string {
  return `[${escapeMattermostMarkdown(button.label)}](${button.url.replace(/[()<> ]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`)})`;
}

function renderAction(button: Extract<Button, { kind: "action" }>, rowId: string | undefined, id: string, options: SignOptions): MattermostAction {
  if (options.siteUrl === undefined) throw new RangeError("a Mattermost button needs the site's URL (Netlify's URL) to post back to");
  const signed = signPayload(options.signingKey, { a: button.action, ...(button.value !== undefined ? { v: button.value } : {}), ...(rowId !== undefined ? { r: rowId } : {}) }, options.now + BUTTON_SIGNED_MS);
  return {
    id,
    name: cutToRunes(button.label, MATTERMOST_LIMITS.buttonName),
    type: "button",
    ...(button.style ? { style: button.style } : {}),
    integration: { url: `${options.siteUrl}${ACTIONS_PATH}`, context: { signed } },
  };
}

/** What a signed button context holds, read back (signed.ts verified it). */
export function buttonOf(payload: Readonly<Record<string, string>>): SignedButton | undefined {
  if (typeof payload.a !== "string" || payload.a === "") return undefined;
  return { action: payload.a, value: payload.v, rowId: payload.r };
}

/** The summary as plain text for a notification: a mention as the person's username (or id), and no `@` that could ping. */
function fallbackOf(summary: Card["summary"], options: MentionOptions): string {
  const named = summary.map((inline) => (typeof inline === "object" && "mention" in inline ? `@${options.usernames?.get(inline.mention.userId) ?? inline.mention.userId}` : inline));
  return breakMentions(plainTextOf(named));
}

/** Whether a card's message fits one post uncut (mentions drawn as the id, at least as long as a username can be). */
export function cardFits(card: Card): boolean {
  const lines = card.blocks.flatMap((block) => blockLines(block, {}));
  return mattermostLength((lines.length > 0 ? lines : [renderRichText(card.summary)]).join("\n")) <= MATTERMOST_LIMITS.postMessage;
}

/** Lines joined within a post's 16,383 runes: whole lines while they fit, then the start of the next and "…". */
function fitMessage(lines: readonly string[]): string {
  const whole = lines.join("\n");
  if (mattermostLength(whole) <= MATTERMOST_LIMITS.postMessage) return whole;
  // A cut must not end in a lone backslash, which would escape the ellipsis instead of what it escaped.
  const head = headWithinRunes(whole, MATTERMOST_LIMITS.postMessage - 1).replace(/(?<!\\)(\\\\)*\\$/, "$1");
  return `${head}…`;
}

// ---------------------------------------------------------------------------------------------
// Forms
// ---------------------------------------------------------------------------------------------

export type DialogElement =
  | { type: "text" | "textarea"; name: string; display_name: string; optional: boolean; max_length: number; min_length?: number; placeholder?: string; help_text?: string; default?: string; subtype?: "text" }
  | { type: "select"; name: string; display_name: string; optional: boolean; placeholder?: string; help_text?: string; default?: string; options: { text: string; value: string }[] };

/** The `dialog` of POST /api/v4/actions/dialogs/open. */
export interface MattermostDialog {
  callback_id: string;
  title: string;
  introduction_text?: string;
  elements: DialogElement[];
  submit_label: string;
  notify_on_cancel: false;
  state: string;
}

/** What a dialog's signed state carries back: the form, who it was opened for, its instance and its context. */
export interface SignedForm {
  form: string;
  userId: string;
  /** Who it was opened for, as the command or button named them; undefined when it did not. */
  userName: string | undefined;
  instance: string;
  context: Record<string, string>;
}

/**
 * A form as a dialog: one element per input (an error, when there is one, in place of its hint),
 * the note as the introduction. A text input longer than a text element's 150 is a textarea; a date
 * is a text element of exactly 10, `YYYY-MM-DD`.
 */
export function renderForm(form: Form, signed: { signingKey: Buffer; now: number; userId: string; userName?: string | undefined; instance: string }): MattermostDialog {
  // The person's name rides along: a dialog's submission names only their id.
  const state = signPayload(signed.signingKey, { f: form.id, u: signed.userId, i: signed.instance, c: JSON.stringify(form.context), ...(signed.userName ? { n: signed.userName } : {}) }, signed.now + FORM_SIGNED_MS);
  return {
    callback_id: form.id,
    title: cutToRunes(form.title, MATTERMOST_LIMITS.dialogTitle),
    ...(form.note ? { introduction_text: escapeMattermostMarkdown(form.note) } : {}),
    elements: form.inputs.map((input) => renderElement(input, form.errors?.[input.id])),
    submit_label: form.submitLabel,
    notify_on_cancel: false,
    state,
  };
}

/** A signed state's payload as the form it names, or undefined when it does not hold one. */
export function formOf(payload: Readonly<Record<string, string>>): SignedForm | undefined {
  const { f, u, i, c } = payload;
  if (!f || !u || !i || c === undefined) return undefined;
  let context: unknown;
  try {
    context = JSON.parse(c);
  } catch {
    return undefined;
  }
  if (typeof context !== "object" || context === null || Array.isArray(context) || !Object.values(context).every((value) => typeof value === "string")) return undefined;
  return { form: f, userId: u, userName: payload.n || undefined, instance: i, context: context as Record<string, string> };
}

function renderElement(input: FormInput, error: string | undefined): DialogElement {
  const base = {
    name: input.id,
    display_name: cutToRunes(input.label, MATTERMOST_LIMITS.elementDisplayName),
    optional: input.optional === true,
    ...(error !== undefined || input.hint ? { help_text: cutToRunes(error ?? input.hint ?? "", MATTERMOST_LIMITS.elementHelpText) } : {}),
    ...(input.placeholder ? { placeholder: cutToRunes(input.placeholder, MATTERMOST_LIMITS.elementPlaceholder) } : {}),
  };
  switch (input.kind) {
    case "text": {
      const long = input.multiline === true || input.maxLength > MATTERMOST_LIMITS.textMaxLength;
      const max = Math.min(input.maxLength, long ? MATTERMOST_LIMITS.textareaMaxLength : MATTERMOST_LIMITS.textMaxLength);
      return { ...base, type: long ? "textarea" : "text", max_length: max, ...(input.value ? { default: headWithinRunes(input.value, max) } : {}) };
    }
    case "date":
      return {
        ...base,
        type: "text",
        subtype: "text",
        placeholder: DATE_PLACEHOLDER,
        min_length: DATE_PLACEHOLDER.length,
        max_length: DATE_PLACEHOLDER.length,
        ...(input.value ? { default: headWithinRunes(input.value, DATE_PLACEHOLDER.length) } : {}),
      };
    case "choice":
      return { ...base, type: "select", options: input.options.map((option) => ({ text: option.label, value: option.value })), ...(input.value ? { default: input.value } : {}) };
  }
}
