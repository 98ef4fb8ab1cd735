/**
 * What the page's markdown renderers share (discord/markdown.ts, mattermost/markdown.ts): inline rules
 * tried in order at each position of a text, and a message split at its code blocks. Each platform
 * keeps its own rules, line-start markup and class names.
 */
import { h } from "./dom.js";

/** An inline rule: a sticky pattern, and how a match is drawn (text is always text, never HTML). */
export type InlineRule<Directory> = { pattern: RegExp; draw(match: RegExpExecArray, directory: Directory): Node };

/** Text as nodes: at each position the first rule that matches there wins; `skipAt` says where no rule may start. */
export function scanInline<Directory>(text: string, rules: readonly InlineRule<Directory>[], directory: Directory, skipAt: (text: string, at: number) => boolean = () => false): Node[] {
  const nodes: Node[] = [];
  let plain = "";
  let at = 0;
  const flush = () => {
    if (plain) nodes.push(document.createTextNode(plain));
    plain = "";
  };
  outer: while (at < text.length) {
    if (!skipAt(text, at)) {
      for (const rule of rules) {
        rule.pattern.lastIndex = at;
        const match = rule.pattern.exec(text);
        if (!match) continue;
        flush();
        // Before drawing: a rule's content is drawn with the same (sticky) patterns, which moves their lastIndex.
        at += match[0].length;
        nodes.push(rule.draw(match, directory));
        continue outer;
      }
    }
    plain += text[at];
    at += 1;
  }
  flush();
  return nodes;
}

/** A message as both clients show it: its ``` code blocks as `pre.codeClass`, each other line drawn by `lineOf`, in `div.rootClass`. */
export function markdownBlocks(message: string, classes: { root: string; code: string }, lineOf: (line: string) => HTMLElement): HTMLElement {
  const root = h("div", { class: classes.root });
  const parts = message.split(/```(?:[A-Za-z0-9_+-]*\n)?([\s\S]*?)```/);
  for (const [index, part] of parts.entries()) {
    if (index % 2 === 1) {
      root.appendChild(h("pre", { class: classes.code }, part));
      continue;
    }
    const lines = part.split("\n");
    // A code block's own line break is not a blank line.
    if (index > 0 && lines[0] === "") lines.shift();
    if (index < parts.length - 1 && lines.at(-1) === "") lines.pop();
    for (const line of lines) root.appendChild(lineOf(line));
  }
  return root;
}
