/**
 * Reading a failed weekly review run: whether the post may have landed, its reason, and what the log
 * line tells whoever runs the bot to fix (the setting, per platform; Notion's and each platform's
 * refusals). Pure.
 */
import type { ChatError } from "../../chat/chat-error.js";
import type { Platform } from "../../chat/model.js";

/**
 * Failures after which the review may or may not have been posted: no answer in time, a dropped
 * connection, an HTTP error from the platform's edge (a 502 or 504 after the server finished), part
 * of a split review already sent, and Slack's internal_error and fatal_error ("some aspect of the
 * operation may have succeeded", its method reference).
 */
export function mayHaveLanded(error: ChatError): boolean {
  return error.code === "timeout" || error.code === "network_error" || error.code === "http_error" || error.partial || error.platformCode === "internal_error" || error.platformCode === "fatal_error";
}

/** The run's reason: the platform's own word when it has one (Slack's `not_in_channel`), else the port's code. */
export function reasonOf(error: ChatError): string {
  return typeof error.platformCode === "string" ? error.platformCode : error.code;
}

/** Each platform's review channel setting, for the log's fix. */
export const CHANNEL_SETTING: Readonly<Record<Platform, string>> = {
  slack: "SLACK_REVIEW_CHANNEL_ID",
  discord: "DISCORD_REVIEW_CHANNEL_ID",
  teams: "TEAMS_REVIEW_CONVERSATION_ID",
  mattermost: "MATTERMOST_REVIEW_CHANNEL_ID",
};

/** How a person finds a channel's id on each platform, for the fix. */
export const CHANNEL_ID_HOWTO: Readonly<Partial<Record<Platform, string>>> = {
  slack: "channel name -> About -> Channel ID",
  discord: "User Settings -> Advanced -> Developer Mode, then right-click the channel -> Copy Channel ID",
  // The bot speaks in a Teams channel only through the reference it kept when it was added to the team.
  teams: "the channel's conversation id, 19:…@thread.tacv2; add the bot to the channel's team so it can post there",
};

/** What to do when Notion failed, for the person reading the function log. */
export function notionFix(code: string): string {
  const nothingPosted = "Nothing was posted; anyone can run /task review once it is fixed.";
  switch (code) {
    case "unauthorized":
      return `Notion refused NOTION_TOKEN: set it to the integration's current secret (notion.so/profile/integrations). ${nothingPosted}`;
    case "not_found":
      return `The bot cannot see the board: share the database with the integration (... menu -> Connections) and check NOTION_DATABASE_ID. ${nothingPosted}`;
    case "invalid_request":
      return `Notion refused the query; the board's properties may have changed: run npm run doctor. ${nothingPosted}`;
    case "rate_limited":
      return `Notion was still rate-limiting after retries. ${nothingPosted}`;
    case "timeout":
      return `Notion did not answer in time. ${nothingPosted}`;
    case "stale_board":
      return `Notion could not be read for over an hour (see status.notion.so), and the last board read is too old to post as this week's. ${nothingPosted} The owed-work schedule tries again every ten minutes.`;
    default:
      return `Notion is unavailable (see status.notion.so). ${nothingPosted}`;
  }
}

/** What to do when the platform refused the post, naming the channel: Slack's words have their own advice. */
export function postFix(error: ChatError, channel: string, retryNote: string | undefined): string {
  if (error.platform === "slack") return slackFix(reasonOf(error), channel, retryNote);
  const retried = retryNote ? ` (${retryNote})` : "";
  const name = error.platform.charAt(0).toUpperCase() + error.platform.slice(1);
  const setting = CHANNEL_SETTING[error.platform];
  if (mayHaveLanded(error)) return `${name} did not answer; the review may or may not have been posted to ${channel}, so it was not retried (a retry could post it twice). Check the channel.`;
  switch (error.code) {
    case "forbidden":
      return `The bot may not post in channel ${channel}: give it View Channel and Send Messages there (the channel's settings -> Permissions), or set ${setting} to a channel it can post in.`;
    case "not_found":
      return `The bot cannot see channel ${channel}: check ${setting} (${CHANNEL_ID_HOWTO[error.platform] ?? "the channel's id"}), and that the bot is in that server.`;
    case "rate_limited":
      return `${name} rate-limited the post${retried}; nothing was posted. The team can still see the review with /task review.`;
    default:
      return `${name} answered ${reasonOf(error)} (${String(error.platformCode ?? "no code")}) to the post; nothing was posted.`;
  }
}

/** What to do when Slack refused the post, naming the channel. */
function slackFix(code: string, channel: string, retryNote: string | undefined): string {
  const retried = retryNote ? ` (${retryNote})` : "";
  switch (code) {
    case "not_in_channel":
      return `The bot is not in channel ${channel}: invite the bot to the channel (open it in Slack and type /invite @chatops), or set SLACK_REVIEW_CHANNEL_ID to a channel it is in.`;
    case "channel_not_found":
      return `The bot cannot see channel ${channel}: check SLACK_REVIEW_CHANNEL_ID (channel name -> About -> Channel ID); for a private channel, invite the bot first.`;
    case "is_archived":
      return `Channel ${channel} is archived: unarchive it or set SLACK_REVIEW_CHANNEL_ID to another channel.`;
    case "invalid_auth":
    case "not_authed":
    case "token_revoked":
    case "token_expired":
    case "account_inactive":
      return "Slack refused SLACK_BOT_TOKEN: reinstall the app and update SLACK_BOT_TOKEN.";
    case "missing_scope":
      return "The app lacks the chat:write scope: add it under OAuth & Permissions and reinstall the app.";
    case "rate_limited":
      return `Slack rate-limited chat.postMessage${retried}; nothing was posted. The team can still see the review with /task review.`;
    case "http_error":
    case "internal_error":
    case "fatal_error":
    case "timeout":
    case "network_error":
      return `Slack did not answer; the review may or may not have been posted to ${channel}, so it was not retried (a retry could post it twice). Check the channel.`;
    case "invalid_blocks":
    case "msg_too_long":
      return "Slack refused the message's layout: a bug in the weekly review builder; please report it with this log line.";
    default:
      return `Slack answered ${code} to chat.postMessage (see docs.slack.dev/reference/methods/chat.postMessage).`;
  }
}
