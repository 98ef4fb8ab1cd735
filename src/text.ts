/**
 * Text lengths as Slack and Notion count them: in UTF-16 code units, which is what JavaScript's
 * `String.length` counts (an emoji such as 😀 is two). Every limit in the bot is one of these, and
 * no cut splits a surrogate pair, so what is sent is always well-formed text.
 */

/** The longest start of `text` of at most `max` UTF-16 code units that does not end in half a pair. */
export function headWithinUnits(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = Math.max(0, Math.floor(max));
  const last = text.charCodeAt(end - 1);
  // A high surrogate at the end means its low half was cut off: drop it too.
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
}

/** `text` within `max` units, ending with "…" when cut (the ellipsis counts: it is one unit). */
export function cutToUnits(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return "";
  return `${headWithinUnits(text, max - 1)}…`;
}

/** `text` in pieces of at most `size` units each, in order, never splitting a pair; [""] for "". */
export function splitIntoUnits(text: string, size: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > size) {
    const head = headWithinUnits(rest, size);
    pieces.push(head);
    rest = rest.slice(head.length);
  }
  pieces.push(rest);
  return pieces;
}
