/**
 * "Remind of process" message shortcut: the bot replies in the message's thread, mentioning the
 * message's author, with the team's process text and a "Create task from this message" button.
 */
import { describeError } from "../../log.js";
import { SlackApiError } from "../../slack/client.js";
import type { MessageAction } from "../../slack/payloads.js";
import { acknowledge } from "../../slack/responses.js";
import type { FeatureContext } from "../context.js";
import { settleWithin } from "../settle-within.js";
import { buildAlreadyReminded, explainReminderFailure, type PostFailure } from "./messages.js";
import { humanAuthorOf, plainTextFrom, quoteOf, threadOf } from "./read-message.js";
import { createRecentReminders, type RecentReminders } from "./recent-reminders.js";
import { buildReminder, DEFAULT_REMINDER_TEXT } from "./reminder-message.js";

export const REMIND_PROCESS_CALLBACK_ID = "remind_process";

/** How long the deferred post waits for the board's URL (for the {board} link) before posting without it. */
const BOARD_WAIT_MS = 1_500;

export type MessageShortcut = (payload: MessageAction, ctx: FeatureContext) => Promise<Response>;

/**
 * Builds the shortcut's handler with its memory of recent reminders (one per warm instance: see
 * recent-reminders.ts for what that does and does not catch).
 */
export function createRemindOfProcess(options: { recent?: RecentReminders } = {}): MessageShortcut {
  const recent = options.recent ?? createRecentReminders();

  return async function remindOfProcess(payload, ctx) {
    const { channel, message } = payload;
    const responseUrl = payload.response_url;
    const text = plainTextFrom(message.text);
    const quote = quoteOf(text);
    const now = ctx.now().getTime();
    const fields = { channel: channel.id, message_ts: message.ts };

    // Claimed before anything is posted, so two quick clicks on one instance cannot both post.
    const claim = recent.claim(channel.id, message.ts, now);
    if (!claim.ok) {
      ctx.log.info("reminder.duplicate", fields);
      const answer = buildAlreadyReminded({ remindedAt: claim.remindedAt, now, quote });
      ctx.defer("answer duplicate reminder", () => ctx.slack.respond(responseUrl, { text: answer }));
      return acknowledge();
    }

    const author = humanAuthorOf(message);
    // 6. Acknowledge at once; 7. the post (and any answer about it) happens after the response.
    ctx.defer("post process reminder", async () => {
      const template = ctx.settings.reminderText;
      const reminder = buildReminder({
        template,
        authorId: author?.id,
        command: ctx.settings.command,
        boardUrl: (template ?? DEFAULT_REMINDER_TEXT).includes("{board}") ? await boardUrl(ctx) : undefined,
        button: { channelId: channel.id, messageTs: message.ts, authorId: author?.id, excerpt: text },
      });
      try {
        const posted = await ctx.slack.postMessage(channel.id, { ...reminder, threadTs: threadOf(message) });
        ctx.log.info("reminder.posted", { ...fields, ts: posted.ts, mentions_author: author !== undefined });
      } catch (error) {
        // Not posted: the clicker may try again at once, and is told why through the response_url.
        claim.release();
        ctx.log.warn("reminder.post_failed", { ...fields, ...describeError(error) });
        const failure: PostFailure =
          error instanceof SlackApiError ? { code: error.code, retryAfterSeconds: error.retryAfterSeconds } : { code: "unknown_error" };
        await ctx.slack.respond(responseUrl, { text: explainReminderFailure(failure, channel, quote) });
      }
    });
    return acknowledge();
  };
}

/** The board's Notion URL if known or quick to learn; the reminder is never held up by Notion. */
async function boardUrl(ctx: FeatureContext): Promise<string | undefined> {
  const known = ctx.tasks.peekBoard();
  if (known) return known.url;
  const settled = await settleWithin(ctx.tasks.board(), BOARD_WAIT_MS);
  if (settled.state === "fulfilled") return settled.value.url;
  ctx.log.info("reminder.board_link_skipped", settled.state === "rejected" ? describeError(settled.error) : { reason: "slow" });
  return undefined;
}
