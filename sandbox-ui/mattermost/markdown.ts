/**
 * Mattermost's markdown as its web app shows it, drawn as DOM nodes (text is always text, never
 * HTML): a backslash before ASCII punctuation is that character (CommonMark's rule, which the bot's
 * escapeMattermostMarkdown relies on); bold, italic, strike, inline code and code blocks; links and
 * bare URLs; `@username` as a mention (an `@` followed by a zero-width space, as the bot writes a
 * name it must not ping, is plain text, as the server does not read it as one); `~channel`; at a
 * line's start headings (`#` to `######`), quotes (`>`) and list items (`-`, `*`, `+`, `1.`).
 */
import { h } from "../dom.js";
import { markdownBlocks, scanInline, type InlineRule } from "../markdown-scan.js";

/** Names for mentions: usernames that are people (or the bot) in the team, and the channels' names. */
export interface MattermostDirectory {
  usernames: ReadonlySet<string>;
  channels: ReadonlySet<string>;
  /** The person looking: a mention of them is highlighted. */
  me: string | undefined;
}

type Rule = InlineRule<MattermostDirectory>;

const wrap = (tag: "strong" | "em" | "s") => (match: RegExpExecArray, directory: MattermostDirectory) => h(tag, {}, ...inline(match[1]!, directory));
const link = (href: string, text: Node[] | string) => h("a", { class: "mm-link", href, target: "_blank", rel: "noopener noreferrer", title: href }, ...(typeof text === "string" ? [text] : text));

/** Inline rules, tried in order at each position; the first that matches there wins. */
const RULES: Rule[] = [
  { pattern: /\\([!-/:-@[-`{-~])/y, draw: (m) => document.createTextNode(m[1]!) },
  { pattern: /`([^`]+)`/y, draw: (m) => h("code", { class: "mm-code" }, m[1]!) },
  { pattern: /\*\*([\s\S]+?)\*\*(?!\*)/y, draw: wrap("strong") },
  { pattern: /__([\s\S]+?)__(?!_)/y, draw: wrap("strong") },
  { pattern: /\*(?!\s)([\s\S]+?)\*(?!\*)/y, draw: wrap("em") },
  { pattern: /_(?!\s)([\s\S]+?)_(?![A-Za-z0-9_])/y, draw: wrap("em") },
  { pattern: /~~([\s\S]+?)~~/y, draw: wrap("s") },
  // A link's text may hold escaped brackets; its URL only what the bot leaves in (it %-encodes spaces and parentheses).
  { pattern: /\[((?:\\.|[^\]\\])+)\]\((https?:\/\/[^\s)]+)\)/y, draw: (m, d) => link(m[2]!, inline(m[1]!, d)) },
  { pattern: /<(https?:\/\/[^\s>]+)>/y, draw: (m) => link(m[1]!, m[1]!) },
  { pattern: /https?:\/\/[^\s<]+[^\s<.,:;"')\]]/y, draw: (m) => link(m[0], m[0]) },
  {
    // A username the server reads as a mention: letters, digits, `.`, `-`, `_` (a trailing `.` is punctuation).
    pattern: /@([a-z0-9._-]*[a-z0-9_-])/iy,
    draw: (m, d) => (d.usernames.has(m[1]!.toLowerCase()) ? h("span", { class: `mm-mention${m[1]!.toLowerCase() === d.me ? " mm-mention-me" : ""}`, "data-user": m[1]! }, `@${m[1]!}`) : document.createTextNode(m[0])),
  },
  { pattern: /~([a-z0-9_-]+)/y, draw: (m, d) => (d.channels.has(m[1]!) ? h("span", { class: "mm-channel-link" }, `~${m[1]!}`) : document.createTextNode(m[0])) },
];

/** Inline markdown as nodes. */
export function inline(text: string, directory: MattermostDirectory): Node[] {
  // An `@` or `~` inside a word is no mention (the server splits on non-name characters).
  return scanInline(text, RULES, directory, (whole, at) => (whole[at] === "@" || whole[at] === "~") && /[\p{L}\p{N}_.-]/u.test(whole[at - 1] ?? " "));
}

/** A post's message as Mattermost shows it: code blocks, then each line with its line-start markup. */
export function markdown(message: string, directory: MattermostDirectory): HTMLElement {
  return markdownBlocks(message, { root: "mm-markdown", code: "mm-codeblock" }, (line) => lineOf(line, directory));
}

function lineOf(line: string, directory: MattermostDirectory): HTMLElement {
  const heading = /^(#{1,6}) (.+)$/.exec(line);
  if (heading) return h(`h${Math.min(heading[1]!.length + 1, 6)}` as "h2" | "h3" | "h4" | "h5" | "h6", { class: "mm-heading" }, ...inline(heading[2]!, directory));
  const quote = /^> ?(.*)$/.exec(line);
  if (quote) return h("blockquote", { class: "mm-quote" }, ...inline(quote[1]!, directory));
  const item = /^\s*([-*+]|\d+\.) (.+)$/.exec(line);
  if (item) return h("div", { class: "mm-list-item" }, h("span", { class: "mm-bullet", "aria-hidden": "true" }, /\d/.test(item[1]!) ? item[1]! : "•"), ...inline(item[2]!, directory));
  return h("div", { class: "mm-line" }, ...(line === "" ? [h("br")] : inline(line, directory)));
}
