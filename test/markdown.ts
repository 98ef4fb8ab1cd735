/**
 * Reading the README and docs/*.md as GitHub renders them: their headings (outside code blocks),
 * GitHub's anchor for each, a section's text, and the links and commands in a page.
 */
import { readFileSync, readdirSync } from "node:fs";

/** The repository's root, as a file URL ending in a slash. */
export const ROOT = new URL("../", import.meta.url);

/** A file of the repository, by its path from the root. */
export const readRepoFile = (path: string) => readFileSync(new URL(path, ROOT), "utf8");

/** The pages a reader is sent to: the README and every docs/*.md, by path from the root. */
export const markdownPages = (): string[] => ["README.md", ...readdirSync(new URL("docs/", ROOT)).filter((name) => name.endsWith(".md")).sort().map((name) => `docs/${name}`)];

/** A page's lines, each marked with whether it is inside a fenced code block (its fences included), and the fence's info string. */
export function fencedLines(text: string): { line: string; fence: string | undefined }[] {
  let fence: string | undefined;
  return text.split("\n").map((line) => {
    const opening = /^ {0,3}(```|~~~)\s*([\w-]*)/.exec(line);
    if (fence === undefined && opening) {
      fence = opening[2] ?? "";
      return { line, fence };
    }
    const inside = fence;
    if (fence !== undefined && /^ {0,3}(```|~~~)\s*$/.test(line)) fence = undefined;
    return { line, fence: inside };
  });
}

/** A page's headings outside code blocks: level and text. */
export function headings(text: string): { level: number; text: string }[] {
  return fencedLines(text).flatMap(({ line, fence }) => {
    const heading = fence === undefined ? /^(#{1,6}) +(.*?)\s*#*\s*$/.exec(line) : null;
    return heading ? [{ level: heading[1]!.length, text: heading[2]! }] : [];
  });
}

/**
 * GitHub's anchor for a heading (github-slugger, as github.com renders Markdown): the rendered text
 * (no code marks, emphasis or link targets) lower-cased, every character but letters, digits, `-`,
 * `_` and spaces dropped, each space a `-`; a repeated anchor gets `-1`, `-2`… in order.
 */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  return new Set(
    headings(text).map(({ text: heading }) => {
      const rendered = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[`*]/g, "").replace(/(^|\W)_+|_+(\W|$)/g, "$1$2");
      const slug = rendered.toLowerCase().replace(/[^\p{L}\p{N}\p{M}\p{Pc} -]/gu, "").replace(/ /g, "-");
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      return count === 0 ? slug : `${slug}-${count}`;
    }),
  );
}

/** The text under a heading (`## Quick start`, at any level), up to the next heading of the same or a higher level; throws when the page has none. */
export function section(page: string, heading: string): string {
  const lines = fencedLines(readRepoFile(page));
  const at = (index: number) => (lines[index]!.fence === undefined ? /^(#{1,6}) +(.*?)\s*$/.exec(lines[index]!.line) : null);
  const start = lines.findIndex((_, index) => at(index)?.[2] === heading);
  if (start === -1) throw new Error(`${page} has no section "${heading}"`);
  const level = at(start)![1]!.length;
  const end = lines.findIndex((_, index) => index > start && (at(index)?.[1]?.length ?? 7) <= level);
  return lines.slice(start, end === -1 ? undefined : end).map(({ line }) => line).join("\n");
}

/** Every link and image target in a page's text (code blocks and inline code left out), in order. */
export function linkTargets(text: string): string[] {
  const prose = fencedLines(text).filter(({ fence }) => fence === undefined).map(({ line }) => line).join("\n").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]!);
}

/**
 * The commands a page gives to type: each line of a shell block (its `$ ` prompt and comment cut),
 * and each `$ ` line of a text block (sample output), and each inline code span.
 */
export function commands(text: string): string[] {
  const lines = fencedLines(text);
  const blocks = lines.flatMap(({ line, fence }) => {
    if (fence === undefined || /^ {0,3}(```|~~~)/.test(line)) return [];
    const typed = fence === "sh" || fence === "bash" || fence === "shell" ? line.replace(/^\s*\$ /, "") : /^\s*\$ /.test(line) ? line.replace(/^\s*\$ /, "") : undefined;
    return typed === undefined ? [] : [withoutComment(typed).trim()].filter(Boolean);
  });
  const prose = lines.filter(({ fence }) => fence === undefined).map(({ line }) => line).join("\n");
  const spans = [...prose.matchAll(/`([^`]+)`/g)].map((match) => match[1]!.replace(/\s+/g, " ").trim());
  return [...blocks, ...spans];
}

/** A shell line without its trailing `# comment` (a # inside quotes is kept). */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote) quote = char === quote ? undefined : quote;
    else if (char === '"' || char === "'") quote = char;
    else if (char === "#" && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

/** Words as a POSIX shell splits them, quotes removed; stops at `&&`, `||`, `;` or `|` (a `<placeholder>` stays a word). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(&&|\|\||[;|])|(\S+?)(?=["'\s;|]|&&|$)/g;
  let word: string | undefined;
  let last = 0;
  for (const match of line.matchAll(pattern)) {
    const joined = match.index === last && word !== undefined;
    if (match[3] !== undefined) break;
    const piece = match[1] ?? match[2] ?? match[4] ?? "";
    if (joined) word += piece;
    else {
      if (word !== undefined) words.push(word);
      word = piece;
    }
    last = match.index + match[0].length;
  }
  if (word !== undefined) words.push(word);
  return words;
}
