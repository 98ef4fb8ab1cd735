/**
 * Slack's mrkdwn as Slack renders it (docs.slack.dev/messaging/formatting-message-text): `&lt;` `&gt;`
 * `&amp;` decoded, `<@U…>` a user mention, `<#C…|name>` a channel, `<!here>` a special mention,
 * `<url|label>` a link; *bold*, _italic_, ~strike~, `code`, ```preformatted```, > quotes, :emoji:.
 * Everything becomes DOM nodes with text content: nothing a message says can become markup.
 */
import { h } from "../dom.js";
import { emoji } from "./emoji.js";

/** Names for ids: `<@U0BOB>` reads "@bob". */
export interface Directory {
  users: ReadonlyMap<string, string>;
  channels: ReadonlyMap<string, string>;
}

/** Slack's three escapes, decoded (only these: Slack sends nothing else escaped). */
export function decodeEntities(text: string): string {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

/** Slack's angle-bracket forms: a mention, a channel, a special mention or a link. */
function angle(inner: string, directory: Directory): Node {
  const bar = inner.indexOf("|");
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : decodeEntities(inner.slice(bar + 1));
  if (target.startsWith("@")) return h("span", { class: "mention", "data-user": target.slice(1) }, `@${label ?? directory.users.get(target.slice(1)) ?? target.slice(1)}`);
  if (target.startsWith("#")) return h("span", { class: "mention channel-mention" }, `#${label ?? directory.channels.get(target.slice(1)) ?? target.slice(1)}`);
  if (target.startsWith("!")) {
    const word = target.slice(1).split("^")[0] ?? "";
    return h("span", { class: "mention special-mention" }, label ?? (word.startsWith("subteam") ? "@group" : `@${word}`));
  }
  const url = decodeEntities(target);
  // Only web and mail links are links; anything else is shown, not followed.
  const safe = /^(https?:|mailto:)/i.test(url);
  return safe ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, label ?? url) : h("span", {}, label ?? url);
}

const INLINE = /<([^<>\n]+)>|`([^`\n]+)`|(?<![\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])|(?<![\w_])_(?!\s)([^_\n]+?)_(?![\w_])|(?<![\w~])~(?!\s)([^~\n]+?)~(?![\w~])|:([a-z0-9_+'-]+):/g;

/** One line's inline formatting. */
export function inline(text: string, directory: Directory): Node[] {
  const nodes: Node[] = [];
  let at = 0;
  for (const match of text.matchAll(INLINE)) {
    const index = match.index;
    if (index > at) nodes.push(document.createTextNode(decodeEntities(text.slice(at, index))));
    const [whole, link, code, bold, italic, strike, name] = match;
    if (link !== undefined) nodes.push(angle(link, directory));
    else if (code !== undefined) nodes.push(h("code", {}, decodeEntities(code)));
    else if (bold !== undefined) nodes.push(h("b", {}, ...inline(bold, directory)));
    else if (italic !== undefined) nodes.push(h("i", {}, ...inline(italic, directory)));
    else if (strike !== undefined) nodes.push(h("s", {}, ...inline(strike, directory)));
    else if (name !== undefined) {
      const glyph = emoji(name);
      nodes.push(glyph ? h("span", { class: "emoji", title: `:${name}:` }, glyph) : document.createTextNode(whole));
    }
    at = index + whole.length;
  }
  if (at < text.length) nodes.push(document.createTextNode(decodeEntities(text.slice(at))));
  return nodes;
}

/** A mrkdwn text as Slack shows it: paragraphs with line breaks, quotes, and preformatted blocks. */
export function mrkdwn(text: string, directory: Directory): HTMLElement {
  const root = h("div", { class: "mrkdwn" });
  const parts = text.split("```");
  for (const [index, part] of parts.entries()) {
    // Odd parts sit between ``` fences (an unclosed fence is text, as in Slack).
    if (index % 2 === 1 && index < parts.length - 1) {
      root.appendChild(h("pre", {}, decodeEntities(part.replace(/^\n/, ""))));
      continue;
    }
    const lines = (index % 2 === 1 ? `\`\`\`${part}` : part).split("\n");
    let quote: HTMLElement | undefined;
    for (const [n, line] of lines.entries()) {
      const quoted = /^(&gt;|>)\s?(.*)$/.exec(line);
      if (quoted) {
        quote ??= root.appendChild(h("blockquote", {}));
        if (quote.childNodes.length > 0) quote.appendChild(h("br"));
        quote.append(...inline(quoted[2] ?? "", directory));
        continue;
      }
      quote = undefined;
      root.append(...inline(line, directory));
      if (n < lines.length - 1) root.appendChild(h("br"));
    }
  }
  return root;
}

/** A plain_text object's text, with :emoji: as Slack shows them when `emoji` is not false. */
export function plainText(text: string, withEmoji = true): Node[] {
  if (!withEmoji) return [document.createTextNode(text)];
  return text.split(/(:[a-z0-9_+'-]+:)/g).map((part) => {
    const glyph = /^:([a-z0-9_+'-]+):$/.exec(part) && emoji(part.slice(1, -1));
    return document.createTextNode(glyph || part);
  });
}
