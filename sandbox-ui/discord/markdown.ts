/**
 * Discord's markdown as its client shows it, drawn as DOM nodes (text is always text, never HTML):
 * a backslash before a character that is not a letter, digit or space is that character literally
 * (simple-markdown's escape rule, which the bot's escapeDiscordMarkdown relies on); bold, italic,
 * underline, strike, spoilers, inline code and code blocks; masked links and bare URLs; `<@id>`
 * mentions as names, `<#id>` channels; at a line's start headings (`#`, `##`, `###`), subtext
 * (`-#`), quotes (`>`) and list items (`-`, `*`).
 */
import { h } from "../dom.js";
import { markdownBlocks, scanInline, type InlineRule } from "../markdown-scan.js";

/** Names for ids: people (and the bot) by user id, channels by channel id. */
export interface DiscordDirectory {
  users: ReadonlyMap<string, string>;
  channels: ReadonlyMap<string, string>;
}

type Rule = InlineRule<DiscordDirectory>;

const wrap = (tag: "strong" | "em" | "u" | "s", cls?: string) => (match: RegExpExecArray, directory: DiscordDirectory) => h(tag, cls ? { class: cls } : {}, ...inline(match[1]!, directory));

/** Inline rules, tried in order at each position; the first that matches there wins. */
const RULES: Rule[] = [
  { pattern: /\\([^0-9A-Za-z\s])/y, draw: (m) => document.createTextNode(m[1]!) },
  { pattern: /`([^`]+)`/y, draw: (m) => h("code", { class: "dc-code" }, m[1]!) },
  { pattern: /\*\*([\s\S]+?)\*\*(?!\*)/y, draw: wrap("strong") },
  { pattern: /__([\s\S]+?)__(?!_)/y, draw: wrap("u") },
  { pattern: /\*(?!\s)([\s\S]+?)\*(?!\*)/y, draw: wrap("em") },
  { pattern: /_([\s\S]+?)_(?![A-Za-z0-9_])/y, draw: wrap("em") },
  { pattern: /~~([\s\S]+?)~~/y, draw: wrap("s") },
  { pattern: /\|\|([\s\S]+?)\|\|/y, draw: (m, d) => h("span", { class: "dc-spoiler", title: "Spoiler" }, ...inline(m[1]!, d)) },
  {
    // A masked link: [text](url); the URL is shown on hover, as Discord asks before leaving.
    pattern: /\[((?:\\.|[^\]\\])+)\]\((https?:\/\/[^\s)]+)\)/y,
    draw: (m, d) => h("a", { class: "dc-link", href: m[2]!, target: "_blank", rel: "noopener noreferrer", title: m[2]! }, ...inline(m[1]!, d)),
  },
  { pattern: /<(https?:\/\/[^\s>]+)>/y, draw: (m) => h("a", { class: "dc-link", href: m[1]!, target: "_blank", rel: "noopener noreferrer" }, m[1]!) },
  { pattern: /https?:\/\/[^\s<]+[^\s<.,:;"')\]]/y, draw: (m) => h("a", { class: "dc-link", href: m[0], target: "_blank", rel: "noopener noreferrer" }, m[0]) },
  { pattern: /<@!?(\d{1,20})>/y, draw: (m, d) => h("span", { class: "dc-mention", "data-user": m[1]! }, `@${d.users.get(m[1]!) ?? "unknown-user"}`) },
  { pattern: /<#(\d{1,20})>/y, draw: (m, d) => h("span", { class: "dc-mention" }, `#${d.channels.get(m[1]!) ?? "unknown-channel"}`) },
  { pattern: /<@&(\d{1,20})>/y, draw: () => h("span", { class: "dc-mention" }, "@role") },
  { pattern: /<t:(-?\d{1,13})(?::[tTdDfFR])?>/y, draw: (m) => h("span", { class: "dc-time" }, new Date(Number(m[1]) * 1000).toLocaleString()) },
];

/** Inline markdown as nodes. */
export function inline(text: string, directory: DiscordDirectory): Node[] {
  return scanInline(text, RULES, directory);
}

/** A message's content as Discord shows it: code blocks, then each line with its line-start markup. */
export function markdown(content: string, directory: DiscordDirectory): HTMLElement {
  return markdownBlocks(content, { root: "dc-markdown", code: "dc-codeblock" }, (line) => lineOf(line, directory));
}

function lineOf(line: string, directory: DiscordDirectory): HTMLElement {
  const heading = /^(#{1,3}) (.+)$/.exec(line);
  if (heading) return h(`h${heading[1]!.length + 2}` as "h3" | "h4" | "h5", { class: "dc-heading" }, ...inline(heading[2]!, directory));
  const subtext = /^-# (.+)$/.exec(line);
  if (subtext) return h("div", { class: "dc-subtext" }, ...inline(subtext[1]!, directory));
  const quote = /^> ?(.*)$/.exec(line);
  if (quote) return h("blockquote", { class: "dc-quote" }, ...inline(quote[1]!, directory));
  const item = /^\s*[-*] (.+)$/.exec(line);
  if (item) return h("div", { class: "dc-list-item" }, h("span", { class: "dc-bullet", "aria-hidden": "true" }, "•"), ...inline(item[1]!, directory));
  return h("div", { class: "dc-line" }, ...(line === "" ? [h("br")] : inline(line, directory)));
}
