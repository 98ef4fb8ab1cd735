/**
 * The reminder's "Create task from this message" button. The click's payload carries the reminder,
 * not the original message, so the button's value says which message it is about and holds a
 * bounded excerpt of its text (see ReminderButton). Whoever clicks opens the modal and becomes the
 * requester; when that is not the author, the page names the author too.
 */
import type { BlockActions } from "../../platforms/slack/payloads.js";
import { acknowledge } from "../../platforms/slack/responses.js";
import { answerPrivately } from "../answer.js";
import type { FeatureContext } from "../context.js";
import type { Place } from "../../chat/model.js";
import { personOf } from "../../platforms/slack/intents.js";
import { slackInteractionContext } from "../../platforms/slack/reply.js";
import { openTaskFormFromMessage } from "../task-request/task-from-message.js";
import { UNREADABLE_BUTTON } from "./messages.js";
import { decodeReminderButton } from "./reminder-message.js";

/** block_actions on CREATE_TASK_FROM_REMINDER_ACTION: the task modal, prefilled from the excerpt. */
export async function createTaskFromReminder(payload: BlockActions, ctx: FeatureContext): Promise<Response> {
  const button = decodeReminderButton(payload.actions[0]?.value);
  const responseUrl = payload.response_url;
  if (!button) {
    ctx.log.warn("reminder.button_unreadable", { value_length: payload.actions[0]?.value?.length ?? 0 });
    const to = { userId: payload.user.id, responseUrl, channelId: payload.channel?.id };
    ctx.defer("answer unreadable button", () => answerPrivately(ctx, to, { text: UNREADABLE_BUTTON }));
    return acknowledge();
  }
  // The task form is on the port (features/task-request): opened through Slack's Reply for this click.
  const port = slackInteractionContext(ctx, { kind: "block_actions", userId: payload.user.id, triggerId: payload.trigger_id, responseUrl, channelId: button.channelId });
  const { workspace } = personOf(payload);
  // The reminder was posted in the original message's thread: that is the thread to answer in.
  const thread = payload.message?.thread_ts;
  const place: Place = { platform: "slack", workspace, conversation: button.channelId, ...(thread ? { thread } : {}), message: button.messageTs };
  await openTaskFormFromMessage(
    {
      place,
      author: button.authorId ? { platform: "slack", workspace, userId: button.authorId, displayName: undefined } : undefined,
      text: button.excerpt,
      link: undefined,
    },
    port.ctx,
  );
  return port.reply.response();
}
