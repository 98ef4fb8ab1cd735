/**
 * "Remind of process" on a message (Slack's message shortcut, Discord's message command): the bot
 * replies to the message (Slack: in its thread; Discord: a reply referencing it), mentioning its
 * author, the one person the reply may ping, with the team's process text and a "Create task from
 * this message" button. The person who used it is told privately only where the platform waits for
 * an answer (Reply.acknowledge), or when it went wrong.
 */
import type { ChatError } from "../../chat/chat-error.js";
import type { IntentOf } from "../../chat/intent.js";
import { describeError } from "../../log.js";
import { completeClaim } from "../../store/claims.js";
import type { FeatureContext, InteractionContext } from "../context.js";
import { sendChatPatiently } from "../send-patiently.js";
import { settleWithin } from "../settle-within.js";
import { TASK_COMMAND } from "../task-request/request-task.js";
import { taskCommandOn } from "../../chat/platform-name.js";
import { buildAlreadyReminded, buildReminded, explainReminderFailure, quoteOf, type PostFailure } from "./messages.js";
import { buildReminder, DEFAULT_REMINDER_TEXT, encodeReminderButton } from "./reminder-message.js";

/** The shortcut's name in the routing table (Slack's callback_id; Discord's "Remind of process" maps onto it). */
export const REMIND_PROCESS_SHORTCUT = "remind_process";

/** How long the deferred post waits for the board's URL (for the {board} link) before posting without it. */
const BOARD_WAIT_MS = 1_500;

/** How long a reminder's post may hold its claim. */
const REMINDER_LEASE_MS = 20_000;
/** A second click may come this long after the first and still find its claim across a week's turn. */
const REMINDER_HORIZON_MS = 7 * 24 * 3_600_000;

/**
 * Says nothing before returning (Slack: the empty 200; Discord: a deferred ephemeral answer); then
 * claims `reminder:<conversation>:<message>` (once per message, on any instance) and replies. A
 * second use is told, privately, that the author was already reminded and when. Without the store,
 * this instance's memory of the last hour stands in (recent-reminders.ts).
 */
export async function remindOfProcess(intent: IntentOf<"message_shortcut">, ctx: InteractionContext): Promise<void> {
  const { message } = intent;
  const place = message.place;
  const messageId = place.message ?? place.thread ?? "";
  const quote = quoteOf(message.text);
  const fields = { channel: place.conversation, message_ts: messageId };
  const author = message.author;

  // 7. After the acknowledgement: the claim, the reply and any answer about them.
  ctx.defer("post process reminder", async () => {
    const now = ctx.now().getTime();
    const claim = await claimReminder(place.conversation, messageId, now, ctx);
    if (!claim.ok) {
      ctx.log.info("reminder.duplicate", fields);
      await ctx.reply.tellPrivately(buildAlreadyReminded({ remindedAt: claim.remindedAt, now, quote, platform: place.platform }));
      return;
    }
    // A malformed PROCESS_REMINDER_TEXT breaks the team's own wording alone: the default is posted.
    const misconfigured = ctx.settings.problems.PROCESS_REMINDER_TEXT;
    if (misconfigured) ctx.log.warn("reminder.text_skipped", { outcome: "degraded", problem: misconfigured });
    const template = misconfigured ? undefined : ctx.settings.reminderText;
    const button = { message: place, authorId: author?.userId, excerpt: message.text };
    const reminder = buildReminder({
      template,
      command: taskCommandOn(place.platform, TASK_COMMAND),
      boardUrl: (template ?? DEFAULT_REMINDER_TEXT).includes("{board}") ? await boardUrl(ctx) : undefined,
      button,
    });
    // The platform's Retry-After is waited out while this invocation has time, and only within the
    // claim's lease: past it, a second use could take the claim over and post the reminder too.
    const lease = { at: now + REMINDER_LEASE_MS, remainingMs: () => Math.max(0, now + REMINDER_LEASE_MS - ctx.now().getTime()) };
    const sent = await sendChatPatiently(ctx, ctx.chat.platform, () => ctx.chat.reply(place, reminder, { mention: author }), fields, { within: lease });
    if (sent.ok) {
      ctx.log.info("reminder.posted", { ...fields, ts: sent.value.place.message ?? "", mentions_author: author !== undefined });
      await claim.complete(sent.value.place.message ?? "");
      // Where the platform waits for an answer (Discord), the person gets the button too, privately.
      await ctx.reply.acknowledge(buildReminded({ author, value: encodeReminderButton(button), platform: place.platform }));
      return;
    }
    // Not posted: the person may try again (when the platform said), and is told why. Not owed:
    // the reminder carries what the message said, which the store never keeps.
    await claim.release();
    ctx.log.warn("reminder.post_failed", { ...fields, ...describeChatError(sent.error) });
    await ctx.reply.tellPrivately(explainReminderFailure(postFailureOf(sent.error), { place, kind: message.conversationKind ?? "public" }, quote));
  });
}

/** What the person is told about a failed reply: the port's code, the platform's own, Retry-After in whole seconds. */
function postFailureOf(error: ChatError): PostFailure {
  return { code: error.code, platformCode: error.platformCode, retryAfterSeconds: error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000) };
}

/** The log's fields for a failed reply: the platform's own code (Slack's `not_in_channel`), as the log said before the port, and the port's. */
function describeChatError(error: ChatError): Record<string, string> {
  return { ...describeError(error), error_code: String(error.platformCode ?? error.code), chat_error: error.code };
}

type ReminderClaim = { ok: true; complete(ts: string): Promise<void>; release(): Promise<void> } | { ok: false; remindedAt: number };

/** The right to post the reminder: from the store, or, when it is unavailable, from this instance's memory. */
async function claimReminder(conversation: string, messageId: string, now: number, ctx: FeatureContext): Promise<ReminderClaim> {
  // The same name as before the port: a Slack message nudged before the deploy is still claimed.
  const name = `reminder:${conversation}:${messageId}`;
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
      const remembered = ctx.reminders.claim(conversation, messageId, now);
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
