/**
 * Mattermost's limits, as its server enforces them (model/post.go: PostMessageMaxRunesV2; the
 * interactive dialog docs for the dialog's). Posts are measured in runes (code points), as Go counts
 * them, not UTF-16 units: 😀 is one.
 */

export const MATTERMOST_LIMITS = /* @__PURE__ */ Object.freeze({
  /** A post's message, in runes (PostMessageMaxRunesV2). */
  postMessage: 16_383,
  /** A dialog's title ("Maximum 24 characters"). */
  dialogTitle: 24,
  /** An element's display_name. */
  elementDisplayName: 24,
  /** An element's placeholder and help_text. */
  elementPlaceholder: 150,
  elementHelpText: 150,
  /** A text element's max_length, and a textarea's. */
  textMaxLength: 150,
  textareaMaxLength: 3_000,
  /** A button's name, as the client shows it on one line. */
  buttonName: 80,
});

/** Code points, as Go's utf8.RuneCountInString counts a string. */
export function mattermostLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** The first `max` code points of `text` (a pair is never split). */
export function headWithinRunes(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join("");
}

/** `text` within `max` code points, ending in "…" when cut. */
export function cutToRunes(text: string, max: number): string {
  return mattermostLength(text) <= max ? text : `${headWithinRunes(text, max - 1)}…`;
}
