/**
 * The task form prefilled from a message: the "Create task" message shortcut here (Slack's message
 * shortcut, Discord's message command), and the same form for other features that start from a
 * message (the reminder's button, a mention).
 */
import type { ChatMessage, IntentOf } from "../../chat/intent.js";
import { isChatWebUrl, webLinkOf } from "../../chat/web-link.js";
import { describeError } from "../../log.js";
import { titleFrom } from "../../tasks/task.js";
import type { InteractionContext } from "../context.js";
import type { TaskFormContext } from "./modal.js";
import { describeChatError, openTaskForm } from "./open-task-modal.js";

export const CREATE_TASK_CALLBACK_ID = "create_task";

/** "Create task" on a message: the form, prefilled from the whole message, for the person who asked. */
export async function createTaskFromMessage(intent: IntentOf<"message_shortcut">, ctx: InteractionContext): Promise<void> {
  await openTaskFormFromMessage(intent.message, ctx, { asked: intent.place });
}

/**
 * Opens the task form prefilled from `message`, for the person the interaction is from (who
 * becomes the requester); a failure is told to them privately. The task links back to the message
 * and, when the message had a person for its author, names them; the requester hears back in the
 * message's thread (Slack) or in reply to it (Discord).
 *
 * The form opens first (a Slack trigger_id lasts about three seconds); the permalink (where the
 * platform has one to ask for) and the author's name (when the message did not say it) are fetched
 * right after it is sent and put into the open form where the platform can redraw it. Until then
 * the form carries the link the message came with (Slack: built from the channel and ts, which
 * Slack also resolves), so a very quick submission still links back.
 */
export async function openTaskFormFromMessage(message: ChatMessage, ctx: InteractionContext, where: { asked?: ChatMessage["place"] | undefined } = {}): Promise<void> {
  const author = message.author;
  const context: TaskFormContext = {
    asked: where.asked ?? { ...message.place, thread: undefined, message: undefined },
    message: message.place,
    // A message known without its link (a reminder's button) still links back: built from its ids.
    link: message.link ?? webLinkOf(message.place) ?? ctx.chat.linkOf?.(message.place),
    author: author && { userId: author.userId, name: author.displayName ?? author.userId },
  };
  const opened = await openTaskForm(ctx, {
    title: titleFrom(message.text),
    description: message.text,
    context,
    lateContext: () => resolveLateContext(message, ctx),
  });
  if (!opened.ok) {
    // Told now, so the Reply can put it in the request's own answer where the platform shows that
    // (Mattermost's /task from, Discord's and Teams' first response): the one road left when the
    // platform's API is what failed. Where the answer is shown to no one (a Slack shortcut), the
    // Reply takes another road itself; past the deadline the router carries it on after the answer.
    await ctx.reply.tellPrivately({ summary: [opened.message], blocks: [] }).catch((error: unknown) => ctx.log.warn("task.form_failure_untold", describeChatError(error)));
  }
}

async function resolveLateContext(message: ChatMessage, ctx: InteractionContext): Promise<Partial<TaskFormContext>> {
  const author = message.author;
  const permalinkOf = ctx.chat.permalinkOf?.bind(ctx.chat);
  const [permalink, name] = await Promise.all([
    permalinkOf?.(message.place).catch((error: unknown) => {
      // The form keeps the link it opened with: the request is degraded, not failed.
      ctx.log.warn(`${ctx.chat.platform}.permalink_failed`, { channel: message.place.conversation, outcome: "degraded", ...describeChatError(error) });
      return undefined;
    }),
    author && !author.displayName
      ? ctx.chat.displayNameOf(author).catch((error: unknown) => {
          ctx.log.info(`${ctx.chat.platform}.author_name_failed`, describeError(error));
          return undefined;
        })
      : undefined,
  ]);
  return {
    // Only a link into the chat's own web app; else the form keeps the one it opened with.
    link: permalink !== undefined && isChatWebUrl(permalink) ? permalink : undefined,
    author: author && name ? { userId: author.userId, name } : undefined,
  };
}
