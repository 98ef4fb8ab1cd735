/**
 * The reminder's words as RichText, from the team's PROCESS_REMINDER_TEXT. One variable serves every
 * platform: its syntax is the small part of Slack's mrkdwn a team writes in it (links `<url|label>`,
 * mentions `<@U…>`, channels `<#C…|name>`, `*bold*`, `_italic_`, `` `code` ``, `:emoji:`, entities
 * `&amp;`), read here into pieces each adapter draws in its own syntax: Slack gets back what it got
 * when the template was posted as written (test: reminder-text.test.ts holds the old filling as the
 * oracle), Discord gets markdown, 👋 for `:wave:` and code for `` `/task` ``. Everything else is
 * text: a broadcast (`<!here>`, `@everyone`) or a stray `<` stays inert on every platform. The
 * template's ids are Slack's (the only platform it was written for), so on another platform a
 * mention or channel in it shows as text. Pure.
 */
import { EMOJI, type EmojiName } from "../../chat/emoji.js";
import type { Person, Platform } from "../../chat/model.js";
import type { Inline, RichText } from "../../chat/rich-text.js";

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

/** The platform whose ids the template's mentions and channels are: mrkdwn was written for Slack. */
const TEMPLATE_PLATFORM: Platform = "slack";

export interface ReminderTextInput {
  /** PROCESS_REMINDER_TEXT, or undefined (or blank) for the default. */
  template: string | undefined;
  /** The message's human author; undefined mentions no one. */
  author: Person | undefined;
  /** The slash command, such as "/task". */
  command: string;
  /** The board's Notion URL, when known. */
  boardUrl: string | undefined;
}

/**
 * What the template may hold, tried in this order at each position (a sticky match): the links,
 * mentions and entities Slack's mrkdwn keeps, and the three placeholders. Broadcasts and group
 * mentions (`<!here>`, `<!subteam^…>`) are not among them, so they are text.
 */
const TOKEN =
  /<((?:https?:\/\/|mailto:)[^<>\s|]+)(?:\|([^<>]*))?>|<@([UW][A-Z0-9]{2,})(?:\|[^<>]*)?>|<#([CG][A-Z0-9]{2,})(?:\|([^<>]*))?>|&(amp|lt|gt);|\{(author|command|board)\}/y;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">" };

/** The {command} placeholder inside a run of text: filled as text, never read as markup. */
const COMMAND = Symbol("command");
type Unit = string | typeof COMMAND;

/**
 * The reminder's text: the template read into pieces, each placeholder filled once with a piece
 * (the author's mention or "team", the command as text, the board as a link), so nothing filled in
 * is read as markup or as a placeholder again. A template without {author} still mentions the author, first.
 */
export function reminderText(input: ReminderTextInput): RichText {
  const template = input.template?.trim() || DEFAULT_REMINDER_TEXT;
  const author: Inline = input.author ? { mention: input.author } : NO_AUTHOR;
  const board: Inline = input.boardUrl ? { link: input.boardUrl, text: "Notion board" } : "Notion board";
  const pieces: Inline[] = [];
  let run: Unit[] = [];
  let mentionsAuthor = false;
  const endRun = () => {
    pieces.push(...readRun(run, input.command));
    run = [];
  };
  let index = 0;
  while (index < template.length) {
    TOKEN.lastIndex = index;
    const match = TOKEN.exec(template);
    if (!match) {
      // One code point at a time, so an emoji is never split between two pieces.
      const char = String.fromCodePoint(template.codePointAt(index)!);
      run.push(char);
      index += char.length;
      continue;
    }
    index += match[0].length;
    const [, url, label, userId, channelId, channelName, entity, placeholder] = match;
    if (entity) run.push(ENTITIES[entity]!);
    else if (placeholder === "command") run.push(COMMAND);
    else {
      endRun();
      if (url) pieces.push({ link: url, text: label === undefined ? url : fillLabel(label, input.command) });
      else if (userId) pieces.push({ mention: { platform: TEMPLATE_PLATFORM, userId } });
      else if (channelId) pieces.push({ channel: { platform: TEMPLATE_PLATFORM, conversation: channelId, ...(channelName ? { name: decodeEntities(channelName) } : {}) } });
      else if (placeholder === "author") {
        mentionsAuthor = true;
        pieces.push(author);
      } else pieces.push(board);
    }
  }
  endRun();
  if (input.author && !mentionsAuthor) pieces.unshift(author, " ");
  return mergeStrings(pieces);
}

/** A link's label as text: entities decoded, {command} filled (the others would nest a link or a mention in a link). */
function fillLabel(label: string, command: string): string {
  return decodeEntities(label).replaceAll("{command}", command);
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_all, name: string) => ENTITIES[name]!);
}

/**
 * A run of text (between links, mentions and the {author}/{board} placeholders) as pieces: `` `code` ``
 * (which may hold {command}), `*bold*` and `_italic_` (at word boundaries, within a line, as Slack
 * reads them), `:name:` for the emoji the bot knows (chat/emoji.ts); the rest as text.
 */
function readRun(units: readonly Unit[], command: string): Inline[] {
  const pieces: Inline[] = [];
  let text = "";
  const flush = () => {
    if (text) pieces.push(text);
    text = "";
  };
  const textOf = (from: number, to: number) => units.slice(from, to).map((unit) => (unit === COMMAND ? command : unit)).join("");
  for (let index = 0; index < units.length; index += 1) {
    const unit = units[index]!;
    if (unit === COMMAND) {
      text += command;
      continue;
    }
    if (unit === "`") {
      const end = closing(units, index, "`", () => true);
      if (end !== undefined) {
        flush();
        pieces.push({ code: textOf(index + 1, end) });
        index = end;
        continue;
      }
    }
    if ((unit === "*" || unit === "_") && opensAt(units, index)) {
      const end = closing(units, index, unit, (at) => !isSpace(units[at - 1]) && closesAt(units, at));
      if (end !== undefined && !units.slice(index + 1, end).includes(COMMAND)) {
        flush();
        const inner = textOf(index + 1, end);
        pieces.push(unit === "*" ? { bold: inner } : { italic: inner });
        index = end;
        continue;
      }
    }
    if (unit === ":") {
      const end = closing(units, index, ":", () => true);
      const name = end === undefined ? "" : textOf(index + 1, end);
      if (end !== undefined && Object.hasOwn(EMOJI, name) && !units.slice(index + 1, end).includes(COMMAND)) {
        flush();
        pieces.push({ emoji: name as EmojiName });
        index = end;
        continue;
      }
    }
    text += unit;
  }
  flush();
  return pieces;
}

/** The next `mark` after `start` on the same line with something between, where `accept(at)` holds; undefined when none. */
function closing(units: readonly Unit[], start: number, mark: string, accept: (at: number) => boolean): number | undefined {
  for (let at = start + 1; at < units.length; at += 1) {
    const unit = units[at];
    if (unit === "\n") return undefined;
    if (unit === mark) {
      if (at > start + 1 && accept(at)) return at;
      // `**` or a closing that is not one: a span never holds its own mark.
      return undefined;
    }
  }
  return undefined;
}

/** A `*` or `_` opens emphasis at a word's start: after a space, punctuation or the run's start, before a non-space. */
function opensAt(units: readonly Unit[], at: number): boolean {
  const before = units[at - 1];
  const after = units[at + 1];
  return (before === undefined || isSpace(before) || isPunctuation(before)) && after !== undefined && !isSpace(after);
}

/** …and closes at a word's end: before a space, punctuation or the run's end. */
function closesAt(units: readonly Unit[], at: number): boolean {
  const after = units[at + 1];
  return after === undefined || isSpace(after) || isPunctuation(after);
}

function isSpace(unit: Unit | undefined): boolean {
  return typeof unit === "string" && /^\s$/u.test(unit);
}

function isPunctuation(unit: Unit): boolean {
  return typeof unit === "string" && /^[\p{P}\p{S}]$/u.test(unit);
}

/** Neighbouring strings as one piece: the same text, fewer pieces to read in a test. */
function mergeStrings(pieces: readonly Inline[]): Inline[] {
  const merged: Inline[] = [];
  for (const piece of pieces) {
    const last = merged.at(-1);
    if (typeof piece === "string" && typeof last === "string") merged[merged.length - 1] = last + piece;
    else if (piece !== "") merged.push(piece);
  }
  return merged;
}
