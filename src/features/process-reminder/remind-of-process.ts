/**
 * "Remind of process" message shortcut: the bot replies in the message's thread, mentioning the
 * message's author, with the team's process text and a "Create task from this message" button.
 */
import { describeError } from "../../log.js";
import { SlackApiError } from "../../slack/client.js";
import type { MessageAction } from "../../slack/payloads.js";
import { acknowledge } from "../../slack/responses.js";
import { answerPrivately } from "../answer.js";
import type { FeatureContext } from "../context.js";
import { TASK_COMMAND } from "../task-request/request-task.js";
import { settleWithin } from "../settle-within.js";
import { buildAlreadyReminded, explainReminderFailure, type PostFailure } from "./messages.js";
import { humanAuthorOf, plainTextFrom, quoteOf, threadOf } from "../../slack/message.js";
import { buildReminder, DEFAULT_REMINDER_TEXT } from "./reminder-message.js";

export const REMIND_PROCESS_CALLBACK_ID = "remind_process";

/** How long the deferred post waits for the board's URL (for the {board} link) before posting without it. */
const BOARD_WAIT_MS = 1_500;

/**
 * Posts the reminder once per message per hour (ctx.reminders), after acknowledging; a second click
 * is told, privately, that the author was already reminded and when.
 */
export async function remindOfProcess(payload: MessageAction, ctx: FeatureContext): Promise<Response> {
  const { channel, message } = payload;
  const to = { userId: payload.user.id, responseUrl: payload.response_url, channelId: channel.id };
  const text = plainTextFrom(message.text);
  const quote = quoteOf(text);
  const now = ctx.now().getTime();
  const fields = { channel: channel.id, message_ts: message.ts };

  // Claimed before anything is posted, so two quick clicks cannot both post.
  const claim = ctx.reminders.claim(channel.id, message.ts, now);
  if (!claim.ok) {
    ctx.log.info("reminder.duplicate", fields);
    const answer = buildAlreadyReminded({ remindedAt: claim.remindedAt, now, quote });
    ctx.defer("answer duplicate reminder", () => answerPrivately(ctx, to, { text: answer }));
    return acknowledge();
  }

  const author = humanAuthorOf(message);
  // 6. Acknowledge at once; 7. the post (and any answer about it) happens after the response.
  ctx.defer("post process reminder", async () => {
    const template = ctx.settings.problems.PROCESS_REMINDER_TEXT ? undefined : ctx.settings.reminderText;
    const reminder = buildReminder({
      template,
      authorId: author?.id,
      command: TASK_COMMAND,
      boardUrl: (template ?? DEFAULT_REMINDER_TEXT).includes("{board}") ? await boardUrl(ctx) : undefined,
      button: { channelId: channel.id, messageTs: message.ts, authorId: author?.id, excerpt: text },
    });
    try {
      const posted = await ctx.slack.postMessage(channel.id, { ...reminder, threadTs: threadOf(message) });
      ctx.log.info("reminder.posted", { ...fields, ts: posted.ts, mentions_author: author !== undefined });
    } catch (error) {
      // Not posted: the clicker may try again at once, and is told why.
      claim.release();
      ctx.log.warn("reminder.post_failed", { ...fields, ...describeError(error) });
      const failure: PostFailure =
        error instanceof SlackApiError ? { code: error.code, retryAfterSeconds: error.retryAfterSeconds } : { code: "unknown_error" };
      await answerPrivately(ctx, { ...to, channelId: undefined }, { text: explainReminderFailure(failure, channel, quote) });
    }
  });
  return acknowledge();
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
