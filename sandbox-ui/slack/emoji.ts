/**
 * Slack's emoji short names, for the ones the bot and a person are likely to write. An unknown one
 * stays `:as_typed:`, as Slack shows a custom emoji it does not know.
 */
const EMOJI: Record<string, string> = {
  white_check_mark: "✅",
  heavy_check_mark: "✔️",
  warning: "⚠️",
  rotating_light: "🚨",
  hourglass: "⌛",
  hourglass_flowing_sand: "⏳",
  white_circle: "⚪",
  large_blue_circle: "🔵",
  wave: "👋",
  wastebasket: "🗑️",
  new: "🆕",
  information_source: "ℹ️",
  grey_question: "❔",
  question: "❓",
  date: "📅",
  calendar: "📆",
  spiral_calendar_pad: "🗓️",
  arrow_forward: "▶️",
  memo: "📝",
  clipboard: "📋",
  tada: "🎉",
  eyes: "👀",
  thumbsup: "👍",
  "+1": "👍",
  pushpin: "📌",
  link: "🔗",
  x: "❌",
  no_entry: "⛔",
  fire: "🔥",
  sparkles: "✨",
  bulb: "💡",
  inbox_tray: "📥",
  bell: "🔔",
  smile: "😄",
  slightly_smiling_face: "🙂",
  construction: "🚧",
  checkered_flag: "🏁",
  pencil: "✏️",
  pencil2: "✏️",
  mag: "🔍",
  house: "🏠",
};

/** The glyph for a short name, or undefined. */
export function emoji(name: string): string | undefined {
  return EMOJI[name];
}
