/** `/task <text>` on any platform: the task form, its title (and, for a long text, its description) taken from the text. */
import type { IntentOf } from "../../chat/intent.js";
import { webLinkOf } from "../../chat/web-link.js";
import { collapseWhitespace, titleFrom } from "../../tasks/task.js";
import type { InteractionContext } from "../context.js";
import { openTaskForm } from "./open-task-modal.js";

/** The slash command, as the routing table and the manifest name it; help texts quote it. */
export const TASK_COMMAND = "/task";

/**
 * Opens the form; if it cannot open, tells the person why, with what they typed (the platform has
 * cleared their message box). The intent's text is as typed (the adapter decoded the platform's
 * escaping). The task links back to the channel the command was typed in.
 */
export async function requestTask(intent: IntentOf<"ask_for_task">, ctx: InteractionContext): Promise<void> {
  const text = intent.text.trim();
  const title = titleFrom(text);
  const opened = await openTaskForm(ctx, {
    title,
    // A long first line is cut for the title; the whole text then goes in the description.
    description: title !== collapseWhitespace(text) ? text : undefined,
    context: { asked: intent.place, link: intent.place && webLinkOf(intent.place) },
  });
  if (opened.ok) return;
  await ctx.reply.tellPrivately({ summary: text ? [opened.message, "\nWhat you typed: ", text] : [opened.message], blocks: [] });
}
