/**
 * The emoji the bot's messages use, by Slack's shortcode name (what every Slack message and test
 * says today) with the character itself, which Discord needs: Discord shows a bot's `:name:` as
 * typed, it converts shortcodes only as a person types. Add a name here before a feature uses it.
 */
export const EMOJI = Object.freeze({
  warning: "⚠️",
  white_check_mark: "✅",
  rotating_light: "🚨",
  hourglass: "⌛",
  hourglass_flowing_sand: "⏳",
  white_circle: "⚪",
  wave: "👋",
  wastebasket: "🗑️",
  new: "🆕",
  information_source: "ℹ️",
  grey_question: "❔",
  date: "📅",
  calendar: "📆",
  arrow_forward: "▶️",
} as const);
export type EmojiName = keyof typeof EMOJI;
