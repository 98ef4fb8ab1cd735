/**
 * The reminder's "Create task from this message" button (and the mention's "Create task from
 * this", which carries the same value). The click's payload carries the reminder, not the original
 * message, so the button's value says which message it is about and holds a bounded excerpt of its
 * text (see ReminderButton). Whoever clicks opens the modal and becomes the requester; when that is
 * not the author, the page names the author too.
 */
import type { ChatMessage, IntentOf } from "../../chat/intent.js";
import type { Place } from "../../chat/model.js";
import type { InteractionContext } from "../context.js";
import { buildUnreadableButton } from "./messages.js";
import { authorOf, decodeReminderButton, type ReminderButton } from "./reminder-message.js";

/** What opens the task form prefilled from a message, for the person in the intent: the task request's, handed in (see below). */
export type OpenTaskFormFromMessage = (message: ChatMessage, ctx: InteractionContext) => Promise<void>;

/**
 * The button on the port: the task form, prefilled from the excerpt, for whoever clicks; a value it
 * cannot read is answered privately. `openForm` is the task request's "from a message" opener, the
 * one its Create task shortcut uses (routes.ts hands it in, so this feature does not import another's).
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
 * No link: the task form builds it from the place (chat/web-link.ts `webLinkOf`), so a task still
 * links back when the permalink cannot be fetched.
 */
export function messageOfButton(button: ReminderButton, clicked: Pick<Place, "thread"> | undefined): ChatMessage {
  const thread = button.message.thread ?? clicked?.thread;
  return { place: { ...button.message, ...(thread ? { thread } : {}) }, author: authorOf(button), text: button.excerpt, link: undefined };
}
