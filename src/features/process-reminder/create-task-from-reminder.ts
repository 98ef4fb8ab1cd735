/**
 * The reminder's "Create task from this message" button. The click's payload carries the reminder,
 * not the original message, so the button's value says which message it is about and holds a
 * bounded excerpt of its text (see ReminderButton). Whoever clicks opens the modal and becomes the
 * requester; when that is not the author, the page names the author too.
 */
import type { BlockActions } from "../../platforms/slack/payloads.js";
import { renderSlackCard } from "../../platforms/slack/render-card.js";
import { acknowledge } from "../../platforms/slack/responses.js";
import { answerPrivately } from "../answer.js";
import type { FeatureContext } from "../context.js";
import { openTaskModalFromMessage } from "../task-request/task-from-message.js";
import { buildUnreadableButton } from "./messages.js";
import { decodeReminderButton } from "./reminder-message.js";

/** block_actions on CREATE_TASK_FROM_REMINDER_ACTION: the task modal, prefilled from the excerpt. */
export async function createTaskFromReminder(payload: BlockActions, ctx: FeatureContext): Promise<Response> {
  const button = decodeReminderButton(payload.actions[0]?.value, { platform: "slack", workspace: payload.team?.id ?? "" });
  const responseUrl = payload.response_url;
  if (!button) {
    ctx.log.warn("reminder.button_unreadable", { value_length: payload.actions[0]?.value?.length ?? 0 });
    const to = { userId: payload.user.id, responseUrl, channelId: payload.channel?.id };
    ctx.defer("answer unreadable button", () => answerPrivately(ctx, to, renderSlackCard(buildUnreadableButton("slack"))));
    return acknowledge();
  }
  return openTaskModalFromMessage(
    {
      triggerId: payload.trigger_id,
      userId: payload.user.id,
      responseUrl,
      channelId: button.message.conversation,
      // decodeReminderButton only accepts a place that names a message.
      messageTs: button.message.message!,
      // The message's thread; a value from before the port (v1) has none, but the reminder was
      // posted in the original message's thread: that is the thread to answer in.
      threadTs: button.message.thread ?? payload.message?.thread_ts,
      text: button.excerpt,
      author: button.authorId ? { id: button.authorId, name: undefined } : undefined,
    },
    ctx,
  );
}
