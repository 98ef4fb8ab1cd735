/**
 * Discord's limits, counted as Discord counts them: in Unicode code points. Discord's API measures a
 * string with Python 3's len(), so 😀 is one character where Slack and Notion count two UTF-16 units
 * (discord/discord-api-docs#1315, answered by Discord staff). Cuts never split a surrogate pair.
 * Sources: docs.discord.com/developers (resources/message "Create Message", components/reference,
 * interactions/receiving-and-responding "Modal").
 */

export const DISCORD_LIMITS = /* @__PURE__ */ Object.freeze({
  /** A message's `content`. */
  content: 2_000,
  /** Any component's custom_id, a modal's included. */
  customId: 100,
  /** A modal's title. */
  modalTitle: 45,
  /** A modal's top-level components (Labels and Text Displays). */
  modalComponents: 5,
  /** A Label's label (and a legacy text input's `label`). */
  label: 45,
  /** A Label's description. */
  labelDescription: 100,
  /** A text input's `value` and `max_length`. */
  textInputValue: 4_000,
  placeholder: 100,
  /** Action rows in a message. */
  actionRows: 5,
  /** Buttons in one action row. */
  rowButtons: 5,
  buttonLabel: 80,
  /** A link button's URL. */
  buttonUrl: 512,
  selectOptions: 25,
  selectOptionLabel: 100,
  selectOptionValue: 100,
  /** A Text Display's content (in a modal, or summed over a Components V2 message). */
  textDisplay: 4_000,
} as const);

/** `text`'s length as Discord counts it: code points (a lone surrogate counts one, as it would be sent). */
export function discordLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** The longest start of `text` of at most `max` code points. */
export function headWithinChars(text: string, max: number): string {
  // Every code point is one or two units, so a text of at most `max` units fits whatever it holds.
  if (text.length <= max) return text;
  let end = 0;
  let count = 0;
  for (const char of text) {
    if (count === max) break;
    end += char.length;
    count += 1;
  }
  return text.slice(0, end);
}

/** `text` within `max` code points, ending with "…" (one character) when cut. */
export function cutToChars(text: string, max: number): string {
  if (discordLength(text) <= max) return text;
  if (max <= 0) return "";
  return `${headWithinChars(text, max - 1)}…`;
}
