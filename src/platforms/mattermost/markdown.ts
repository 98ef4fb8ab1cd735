/**
 * Mattermost's markdown as the bot writes it: user text escaped so nothing in it is markup, a link,
 * a mention or a broadcast. Mattermost renders CommonMark (marked), where a backslash before any
 * ASCII punctuation shows the character itself, so escaping only adds backslashes. A mention is
 * `@username` read by the server from the raw text (app/notification.go), so a backslash does not stop
 * it: an `@` that starts a word gets a zero-width space after it instead, which the server's word
 * split never reads as a mention, and `@channel`, `@all` and `@here` are never sent.
 */
import { EMOJI } from "../../chat/emoji.js";
import { clockTime, type Inline, type RichText } from "../../chat/rich-text.js";

/** Inline markup anywhere: emphasis, code, links and images, HTML, tables, strikethrough, autolinks' `<`. */
const ANYWHERE = /[\\`*_{}[\]()<>!|~]/g;
/** Markup only at a line's start: headings, quotes, lists (`-`, `+`, `1.`). */
const LINE_START = /^([ \t]*)(?:([#>+-])|(\d+)\.)/gm;
/** An `@` that starts a word: a mention of a person, or a broadcast (`@channel`, `@all`, `@here`). */
const MENTION = /(^|[^\p{L}\p{N}_.-])@(?=[\p{L}\p{N}_.-])/gu;
/** A username the server accepts (model/user.go: lowercase letters, digits, `.`, `-`, `_`, 3-22 long). */
const USERNAME = /^[a-z][a-z0-9._-]{2,21}$/;
/** Names the server reads as a broadcast, never a person's. */
const BROADCASTS: ReadonlySet<string> = /* @__PURE__ */ new Set(["channel", "all", "here"]);

/** `text` as Mattermost markdown that shows exactly `text`, and pings nobody. */
export function escapeMattermostMarkdown(text: string): string {
  return text
    .replace(ANYWHERE, (char) => `\\${char}`)
    .replace(LINE_START, (_all, indent: string, mark: string | undefined, digits: string | undefined) => (mark ? `${indent}\\${mark}` : `${indent}${digits}\\.`))
    .replace(MENTION, "$1@\u200b");
}

/** Plain text (an attachment's fallback) with every `@` that starts a word broken, so it pings nobody. */
export function breakMentions(text: string): string {
  return text.replace(MENTION, "$1@\u200b");
}

/** A link's URL inside `[text](url)`: a space or a parenthesis would end it early. */
function linkTarget(url: string): string {
  return url.replace(/[()<> ]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** How mentions are drawn: each Mattermost user id's username, when known, and the one person who may be pinged. */
export interface MentionOptions {
  usernames?: ReadonlyMap<string, string> | undefined;
  /** The user id a mention of whom pings (a reply to their post); any other mention is shown, inert. */
  ping?: string | undefined;
}

/**
 * One piece of RichText as Mattermost markdown. A mention is `@username` only for the person
 * `ping` names; anyone else is `@\u200busername` (shown, not pinged), and a person whose username is
 * unknown, or who is on another platform, is their id as text.
 */
export function renderInline(inline: Inline, options: MentionOptions = {}): string {
  if (typeof inline === "string") return escapeMattermostMarkdown(inline);
  if ("link" in inline) {
    const link = `[${escapeMattermostMarkdown(inline.text || inline.link)}](${linkTarget(inline.link)})`;
    return inline.bold ? `**${link}**` : link;
  }
  if ("bold" in inline) return inline.bold ? `**${escapeMattermostMarkdown(inline.bold)}**` : "";
  if ("italic" in inline) return inline.italic ? `_${escapeMattermostMarkdown(inline.italic)}_` : "";
  // Inside code nothing is markup, but a backtick would end it: shown as ˋ (U+02CB), which reads the same.
  if ("code" in inline) return inline.code ? `\`${inline.code.replaceAll("`", "\u02cb")}\`` : "";
  // Mattermost draws `:name:` shortcodes as its own emoji; the character is what every client shows alike.
  if ("emoji" in inline) return EMOJI[inline.emoji];
  // Mattermost links a channel by its URL name (`~town-square`), which an id is not: the name as text, else "this channel" (an id means nothing to a reader).
  if ("channel" in inline) return inline.channel.name ? escapeMattermostMarkdown(`#${inline.channel.name}`) : "this channel";
  // No timestamp markup on Mattermost: the zone's clock, in words every reader can read.
  if ("time" in inline) return escapeMattermostMarkdown(clockTime(inline));
  const { mention } = inline;
  const username = mention.platform === "mattermost" ? options.usernames?.get(mention.userId) : undefined;
  if (username === undefined || !USERNAME.test(username) || BROADCASTS.has(username)) return escapeMattermostMarkdown(`@${mention.userId}`);
  return mention.userId === options.ping ? `@${username}` : `@\u200b${escapeMattermostMarkdown(username)}`;
}

/** RichText as Mattermost markdown. */
export function renderRichText(text: RichText, options: MentionOptions = {}): string {
  return text.map((inline) => renderInline(inline, options)).join("");
}
