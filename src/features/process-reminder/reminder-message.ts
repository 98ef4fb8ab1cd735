/**
 * The reminder posted in a thread: its text, its "Create task from this message" button, and the
 * button's value (encoder and parser) live together so they cannot drift. Pure builders.
 */
import * as z from "zod/mini";
import { actions, button, LIMITS, section } from "../../platforms/slack/blocks.js";
import type { MessageContent } from "../../platforms/slack/client.js";
import { escapeMrkdwn, linkedTitle } from "../../platforms/slack/mrkdwn.js";
import { headWithinUnits } from "../../text.js";

export const CREATE_TASK_FROM_REMINDER_ACTION = "create_task_from_reminder";

/** Slack refuses a button value over 2,000 UTF-16 units. */
export const BUTTON_VALUE_MAX = LIMITS.buttonValue;

/** Said in place of the author when the message has none (a bot or system message): nobody is pinged. */
export const NO_AUTHOR = "team";

/**
 * The default nudge: why (requests in threads get lost), how (`/task`, 30 seconds) and where (the board).
 * Placeholders: {author} (a mention), {command} (the slash command), {board} (a link to the board).
 */
export const DEFAULT_REMINDER_TEXT = [
  "Hi {author} :wave: Requests made in chat tend to get lost: they scroll away, nobody owns them, and nobody else can see what's planned.",
  "Could you put this one on the {board} with `{command}`? It takes about 30 seconds, and everyone can follow it there.",
  "Or press the button below: I'll fill the form in from this message.",
].join("\n");

/**
 * What the button's click needs. The block_actions payload carries the reminder, not the original
 * message, and reading the original back would need the *:history scopes, so the value carries a
 * bounded plain-text excerpt of the message for the prefill (the task's Slack link points at the whole
 * message). Everything else is fetched on click: the permalink and the author's name.
 */
export interface ReminderButton {
  channelId: string;
  messageTs: string;
  authorId: string | undefined;
  /** The message as plain text; cut to fit the value when long. */
  excerpt: string;
}

const valueSchema = z.object({
  v: z.literal(1),
  c: z.string().check(z.regex(/^[CDG][A-Z0-9]{2,}$/)),
  t: z.string().check(z.regex(/^\d{1,12}\.\d{1,9}$/)),
  a: z.optional(z.string().check(z.regex(/^[UW][A-Z0-9]{2,}$/))),
  x: z.string().check(z.maxLength(BUTTON_VALUE_MAX)),
});

/**
 * The button's value: compact JSON of at most BUTTON_VALUE_MAX units, keeping the longest start of
 * the excerpt whose encoding fits. JSON escapes make a character cost up to six units (a `"` two, a
 * control character six), so the fit is searched on the encoded length, not guessed from the overflow.
 */
export function encodeReminderButton(button: ReminderButton): string {
  const encode = (excerpt: string) =>
    JSON.stringify({ v: 1, c: button.channelId, t: button.messageTs, ...(button.authorId ? { a: button.authorId } : {}), x: excerpt });
  const whole = encode(button.excerpt);
  if (whole.length <= BUTTON_VALUE_MAX) return whole;
  const cut = (units: number) => encode(`${headWithinUnits(button.excerpt, units).trimEnd()}…`);
  // The longest prefix, in units, whose encoded value fits: encoded length grows with the prefix.
  let fits = 0;
  let tooLong = button.excerpt.length;
  while (tooLong - fits > 1) {
    const middle = Math.floor((fits + tooLong) / 2);
    if (cut(middle).length <= BUTTON_VALUE_MAX) fits = middle;
    else tooLong = middle;
  }
  return cut(fits);
}

/** The button's value, or undefined when it is not one this bot wrote (an old reminder, a forged click). */
export function decodeReminderButton(value: string | undefined): ReminderButton | undefined {
  if (value === undefined || value.length > BUTTON_VALUE_MAX) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return undefined;
  }
  const parsed = valueSchema.safeParse(json);
  if (!parsed.success) return undefined;
  return { channelId: parsed.data.c, messageTs: parsed.data.t, authorId: parsed.data.a, excerpt: parsed.data.x };
}

export interface ReminderInput {
  /** PROCESS_REMINDER_TEXT, or undefined for the default. Admin-written mrkdwn. */
  template: string | undefined;
  /** The message's human author; undefined mentions no one. */
  authorId: string | undefined;
  /** The slash command, such as "/task". */
  command: string;
  /** The board's Notion URL, when known. */
  boardUrl: string | undefined;
  button: ReminderButton;
}

/** The reminder: the team's text with its placeholders filled, and the "Create task from this message" button. */
export function buildReminder(input: ReminderInput): MessageContent {
  const text = fillReminderText(input);
  const blocks = [
    section(text),
    actions([button({ actionId: CREATE_TASK_FROM_REMINDER_ACTION, text: "Create task from this message", style: "primary", value: encodeReminderButton(input.button) })]),
  ];
  return { text, blocks };
}

/**
 * The reminder's mrkdwn. The template is sanitised (links and mentions kept, broadcasts and stray
 * `& < >` escaped), then each placeholder is filled once with an escaped value, so nothing filled in
 * is read as mrkdwn again. A template without {author} still mentions the author, first.
 */
export function fillReminderText(input: Omit<ReminderInput, "button">): string {
  let template = sanitizeMrkdwn(input.template?.trim() || DEFAULT_REMINDER_TEXT);
  if (input.authorId && !template.includes("{author}")) template = `{author} ${template}`;
  const values: Record<string, string> = {
    author: input.authorId && /^[UW][A-Z0-9]{2,}$/.test(input.authorId) ? `<@${input.authorId}>` : NO_AUTHOR,
    command: escapeMrkdwn(input.command),
    board: input.boardUrl ? linkedTitle(input.boardUrl, "Notion board") : "Notion board",
  };
  return template.replace(/\{(author|command|board)\}/g, (placeholder, name: string) => values[name] ?? placeholder);
}

/**
 * Escapes admin-written mrkdwn for Slack while keeping what it is meant to hold: links
 * (`<https://…|label>`, `<mailto:…>`), user and channel mentions and entities already escaped. A
 * reminder never broadcasts, so `<!here>`, `<!channel>`, `<!everyone>` and group mentions are escaped.
 */
export function sanitizeMrkdwn(text: string): string {
  const kept = /<(?:https?:\/\/|mailto:)[^<>\s|]+(?:\|[^<>]*)?>|<@[UW][A-Z0-9]{2,}(?:\|[^<>]*)?>|<#[CG][A-Z0-9]{2,}(?:\|[^<>]*)?>|&(?:amp|lt|gt);/gy;
  let out = "";
  let index = 0;
  while (index < text.length) {
    kept.lastIndex = index;
    const match = kept.exec(text);
    if (match) {
      out += match[0];
      index += match[0].length;
      continue;
    }
    const char = text[index]!;
    out += char === "&" ? "&amp;" : char === "<" ? "&lt;" : char === ">" ? "&gt;" : char;
    index += 1;
  }
  return out;
}
