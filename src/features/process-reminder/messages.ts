/** What the bot tells the person who used a shortcut or the button. Pure builders, ephemeral mrkdwn. */
import { escapeMrkdwn } from "../../platforms/slack/mrkdwn.js";

export type ConversationKind = "public" | "private" | "dm" | "group_dm";

/**
 * Which kind of conversation a payload's channel is. Slack sends `directmessage` as a DM's name and
 * `mpdm-…` for a group DM; private channels have G ids (older) or the name `privategroup`.
 */
export function conversationKind(channel: { id: string; name?: string | undefined }): ConversationKind {
  if (channel.id.startsWith("D") || channel.name === "directmessage") return "dm";
  if (channel.name?.startsWith("mpdm-")) return "group_dm";
  if (channel.id.startsWith("G") || channel.name === "privategroup") return "private";
  return "public";
}

/** What a failed chat.postMessage looked like: Slack's error code (or ours) and any Retry-After. */
export interface PostFailure {
  code: string;
  retryAfterSeconds?: number | undefined;
}

const INVITE_HOW = "type `/invite @` followed by my name in the conversation, or open its details → *Integrations* → *Add apps*";

/** The reminder could not be posted: why, and what the clicker can do about it. */
export function explainReminderFailure(failure: PostFailure, channel: { id: string; name?: string | undefined }, quote: string): string {
  const what = quote ? `the reminder about “${escapeMrkdwn(quote)}”` : "the reminder";
  const kind = conversationKind(channel);
  const here = kind === "public" && /^C[A-Z0-9]{2,}$/.test(channel.id) ? `<#${channel.id}>` : "this conversation";
  switch (failure.code) {
    case "not_in_channel":
      return `:warning: I'm not a member of ${here}, so I couldn't post ${what}. To add me, ${INVITE_HOW}. Then use the shortcut again.`;
    case "channel_not_found":
      // Slack hides what the bot is not in: a private channel, or a DM or group DM between people.
      if (kind === "dm") {
        return `:warning: I can't post in a direct message between other people, so I couldn't post ${what}. You can put it on the board yourself with the *Create task* shortcut on the message.`;
      }
      if (kind === "group_dm") {
        return `:warning: I'm not part of this group message, so I couldn't post ${what}. Add me to it (${INVITE_HOW}), or put it on the board yourself with the *Create task* shortcut.`;
      }
      return `:warning: This is a private channel I'm not in, so I couldn't post ${what}. To add me, ${INVITE_HOW}. Then use the shortcut again.`;
    case "is_archived":
      return `:warning: This channel is archived, so I couldn't post ${what}.`;
    case "rate_limited": {
      const wait = failure.retryAfterSeconds && failure.retryAfterSeconds > 0 ? `in ${failure.retryAfterSeconds} seconds` : "in a minute";
      return `:hourglass: Slack is rate-limiting me right now, so I couldn't post ${what}. Please try again ${wait}.`;
    }
    case "timeout":
      return `:hourglass: Slack didn't answer in time, so ${what} may not have been posted. Check the thread before trying again.`;
    case "http_error":
    case "network_error":
      // A 5xx or a dropped connection can follow a post that landed (send-patiently.ts).
      return `:warning: Slack had a problem when I posted ${what}, so it may not have been posted. Check the thread before trying again.`;
    default:
      return `:warning: Slack refused ${what} (\`${escapeMrkdwn(failure.code)}\`). Please try again; if it keeps failing, tell whoever runs the bot.`;
  }
}

/** The same nudge was posted less than an hour ago: it is not posted again. */
export function buildAlreadyReminded(input: { remindedAt: number; now: number; quote: string }): string {
  const minutes = Math.max(0, Math.floor((input.now - input.remindedAt) / 60_000));
  const when = minutes < 1 ? "less than a minute ago" : minutes === 1 ? "a minute ago" : `${minutes} minutes ago`;
  const what = input.quote ? ` about “${escapeMrkdwn(input.quote)}”` : "";
  return `:information_source: I already posted this reminder${what} ${when}, so I didn't post it again. It's in the message's thread.`;
}

/** A click on a button this bot did not write as it is now (an old reminder, or a forged value). */
export const UNREADABLE_BUTTON =
  ":warning: This button is from an older version of the bot and can't open the form any more. Use *Create task* from the original message's ⋮ menu instead.";
