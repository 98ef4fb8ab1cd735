/**
 * "Remind of process" message shortcut: the bot replies in the message's thread, mentioning the
 * message's author, with the team's process text and a "Create task from this message" button.
 */
import type { ChatErrorCode, Place } from "../../chat/model.js";
import { describeError } from "../../log.js";
import type { SlackApiError } from "../../platforms/slack/client.js";
import type { MessageAction } from "../../platforms/slack/payloads.js";
import { renderSlackCard } from "../../platforms/slack/render-card.js";
import { acknowledge } from "../../platforms/slack/responses.js";
import { answerPrivately } from "../answer.js";
import type { FeatureContext } from "../context.js";
import { TASK_COMMAND } from "../task-request/request-task.js";
import { sendPatiently } from "../send-patiently.js";
import { settleWithin } from "../settle-within.js";
import { buildAlreadyReminded, explainReminderFailure, quoteOf, type PostFailure } from "./messages.js";
import { conversationKind, humanAuthorOf, plainTextFrom, threadOf } from "../../platforms/slack/message.js";
import { completeClaim } from "../../store/claims.js";
import { buildReminder, DEFAULT_REMINDER_TEXT } from "./reminder-message.js";

export const REMIND_PROCESS_CALLBACK_ID = "remind_process";

/** How long the deferred post waits for the board's URL (for the {board} link) before posting without it. */
const BOARD_WAIT_MS = 1_500;

/** How long a reminder's post may hold its claim. */
const REMINDER_LEASE_MS = 20_000;
/** A second click may come this long after the first and still find its claim across a week's turn. */
const REMINDER_HORIZON_MS = 7 * 24 * 3_600_000;

/**
 * Acknowledges at once; then claims `reminder:<channel>:<ts>` (once per message, on any instance)
 * and posts. A second click is told, privately, that the author was already reminded and when.
 * Without the store, this instance's memory of the last hour stands in (recent-reminders.ts).
 */
export async function remindOfProcess(payload: MessageAction, ctx: FeatureContext): Promise<Response> {
  const { channel, message } = payload;
  const to = { userId: payload.user.id, responseUrl: payload.response_url, channelId: channel.id };
  const text = plainTextFrom(message.text);
  const quote = quoteOf(text);
  const fields = { channel: channel.id, message_ts: message.ts };
  const author = humanAuthorOf(message);
  const place: Place = { platform: "slack", workspace: payload.team?.id ?? "", conversation: channel.id, thread: message.thread_ts, message: message.ts };

  // 6. Acknowledge at once; 7. the claim, the post and any answer about them happen after the response.
  ctx.defer("post process reminder", async () => {
    const now = ctx.now().getTime();
    const claim = await claimReminder(channel.id, message.ts, now, ctx);
    if (!claim.ok) {
      ctx.log.info("reminder.duplicate", fields);
      await answerPrivately(ctx, to, renderSlackCard(buildAlreadyReminded({ remindedAt: claim.remindedAt, now, quote, platform: place.platform })));
      return;
    }
    // A malformed PROCESS_REMINDER_TEXT breaks the team's own wording alone: the default is posted.
    const misconfigured = ctx.settings.problems.PROCESS_REMINDER_TEXT;
    if (misconfigured) ctx.log.warn("reminder.text_skipped", { outcome: "degraded", problem: misconfigured });
    const template = misconfigured ? undefined : ctx.settings.reminderText;
    const reminder = renderSlackCard(
      buildReminder({
        template,
        command: TASK_COMMAND,
        boardUrl: (template ?? DEFAULT_REMINDER_TEXT).includes("{board}") ? await boardUrl(ctx) : undefined,
        button: { message: place, authorId: author?.id, excerpt: text },
      }),
    );
    // Slack's Retry-After is waited out while this invocation has time, and only within the claim's
    // lease: past it, a second click could take the claim over and post the reminder too.
    const lease = { at: now + REMINDER_LEASE_MS, remainingMs: () => Math.max(0, now + REMINDER_LEASE_MS - ctx.now().getTime()) };
    const sent = await sendPatiently(ctx, () => ctx.slack.postMessage(channel.id, { ...reminder, threadTs: threadOf(message) }), fields, { within: lease });
    if (sent.ok) {
      ctx.log.info("reminder.posted", { ...fields, ts: sent.value.ts, mentions_author: author !== undefined });
      await claim.complete(sent.value.ts);
      return;
    }
    // Not posted: the clicker may try again (when Slack said), and is told why. Not owed: the
    // reminder carries what the message said, which the store never keeps.
    await claim.release();
    const { error } = sent;
    ctx.log.warn("reminder.post_failed", { ...fields, ...describeError(error) });
    const explained = explainReminderFailure(postFailureOf(error), { place, kind: conversationKind(channel) }, quote);
    await answerPrivately(ctx, { ...to, channelId: undefined }, renderSlackCard(explained));
  });
  return acknowledge();
}

type ReminderClaim = { ok: true; complete(ts: string): Promise<void>; release(): Promise<void> } | { ok: false; remindedAt: number };

/** The right to post the reminder: from the store, or, when it is unavailable, from this instance's memory. */
async function claimReminder(channelId: string, messageTs: string, now: number, ctx: FeatureContext): Promise<ReminderClaim> {
  const name = `reminder:${channelId}:${messageTs}`;
  const claim = await ctx.claims.claim<{ ts: string }>(name, { now, leaseMs: REMINDER_LEASE_MS, horizonMs: REMINDER_HORIZON_MS });
  switch (claim.kind) {
    case "won":
      return {
        ok: true,
        complete: (ts) => completeClaim(claim, { ts }, ctx.log, name),
        release: () => claim.release().catch(() => undefined),
      };
    case "done":
    case "pending":
      return { ok: false, remindedAt: claim.at };
    case "unavailable": {
      ctx.log.warn("store.unavailable", { claim: name, outcome: "degraded", fallback: "instance_memory", ...describeError(claim.error) });
      const remembered = ctx.reminders.claim(channelId, messageTs, now);
      if (!remembered.ok) return remembered;
      // A claim that landed after all is settled too: left pending, it would turn the next click away.
      return {
        ok: true,
        complete: (ts) => claim.complete({ ts }),
        release: async () => {
          remembered.release();
          await claim.release();
        },
      };
    }
  }
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

/** Slack's error in the port's words (ChatError's codes): until the Slack adapter's ChatApi says them itself. */
function postFailureOf(error: SlackApiError): PostFailure {
  const code: string = error.code;
  const neutral: ChatErrorCode =
    code === "rate_limited" || code === "timeout" || code === "http_error" || code === "network_error"
      ? code
      : code === "not_in_channel" || code === "is_archived"
        ? "forbidden"
        : code === "channel_not_found"
          ? "not_found"
          : "invalid_request";
  return { code: neutral, platformCode: code, retryAfterSeconds: error.retryAfterSeconds };
}
