/**
 * The reminder's "Create task from this message" button (and the mention's "Create task from
 * this", which carries the same value). The click's payload carries the reminder, not the original
 * message, so the button's value says which message it is about and holds a bounded excerpt of its
 * text (see ReminderButton). Whoever clicks opens the modal and becomes the requester; when that is
 * not the author, the page names the author too.
 */
import type { ChatMessage, IntentOf, Place } from "../../chat/model.js";
import type { BlockActions } from "../../platforms/slack/payloads.js";
import { renderSlackCard } from "../../platforms/slack/render-card.js";
import { acknowledge } from "../../platforms/slack/responses.js";
import { answerPrivately } from "../answer.js";
import type { FeatureContext, InteractionContext } from "../context.js";
import { openTaskModalFromMessage } from "../task-request/task-from-message.js";
import { buildUnreadableButton } from "./messages.js";
import { authorOf, decodeReminderButton, type ReminderButton } from "./reminder-message.js";

/** block_actions on CREATE_TASK_FROM_REMINDER_ACTION: the task modal, prefilled from the excerpt. */
export async function createTaskFromReminder(payload: BlockActions, ctx: FeatureContext): Promise<Response> {
  const button = decodeReminderButton(payload.actions[0]?.value, { platform: "slack", workspace: payload.team?.id ?? payload.user.team_id ?? "" });
  const responseUrl = payload.response_url;
  if (!button) {
    ctx.log.warn("reminder.button_unreadable", { value_length: payload.actions[0]?.value?.length ?? 0 });
    const to = { userId: payload.user.id, responseUrl, channelId: payload.channel?.id };
    ctx.defer("answer unreadable button", () => answerPrivately(ctx, to, renderSlackCard(buildUnreadableButton("slack"))));
    return acknowledge();
  }
  const reminder = payload.channel && payload.message ? { thread: payload.message.thread_ts } : undefined;
  const message = messageOfButton(button, reminder);
  return openTaskModalFromMessage(
    {
      triggerId: payload.trigger_id,
      userId: payload.user.id,
      responseUrl,
      channelId: message.place.conversation,
      // decodeReminderButton only accepts a place that names a message.
      messageTs: message.place.message!,
      threadTs: message.place.thread,
      text: message.text,
      author: message.author && { id: message.author.userId, name: undefined },
    },
    ctx,
  );
}

/** What opens the task form prefilled from a message, for the person in the intent: the task request's, handed in (see below). */
export type OpenTaskFormFromMessage = (message: ChatMessage, ctx: InteractionContext) => Promise<void>;

/**
 * The button on the port: the task form, prefilled from the excerpt, for whoever clicks; a value it
 * cannot read is answered privately. `openForm` is the task request's "from a message" opener, the
 * one its Create task shortcut uses: handed in because the task form is not on the port yet (F1), so
 * routes.ts keeps Slack's createTaskFromReminder above until it is, then routes this with it.
 */
export async function createTaskFromReminderButton(intent: IntentOf<"button">, ctx: InteractionContext, openForm: OpenTaskFormFromMessage): Promise<void> {
  const button = decodeReminderButton(intent.value, intent.person);
  if (!button) {
    ctx.log.warn("reminder.button_unreadable", { value_length: intent.value?.length ?? 0 });
    ctx.defer("answer unreadable button", () => ctx.reply.tellPrivately(buildUnreadableButton(intent.person.platform)));
    return;
  }
  await openForm(messageOfButton(button, intent.message), ctx);
}

/**
 * The message a click is about, as the "Create task" shortcut on the message itself sees it: its
 * place, its author and the excerpt. Its thread is the value's; a v1 value names none, but the
 * reminder was posted in the original message's thread, so the clicked message's thread is the one.
 * No link yet: until the task form is on the port, Slack's modal builds its stand-in from the place
 * (archiveLink); once it is, the link is chat/web-link.ts's `webLinkOf(place)` (F1), so a task
 * still links back when the permalink cannot be fetched.
 */
export function messageOfButton(button: ReminderButton, clicked: Pick<Place, "thread"> | undefined): ChatMessage {
  const thread = button.message.thread ?? clicked?.thread;
  return { place: { ...button.message, ...(thread ? { thread } : {}) }, author: authorOf(button), text: button.excerpt, link: undefined };
}
