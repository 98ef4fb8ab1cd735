/** `/task help` (and `@chatops help`): what the bot does and how to use it. */
import { section } from "../../platforms/slack/blocks.js";
import type { MessageContent } from "../../platforms/slack/client.js";
import { TASK_COMMAND } from "../task-request/request-task.js";

/** The help, for whoever asked. */
export async function showHelp(): Promise<MessageContent> {
  return buildHelp(TASK_COMMAND);
}

/** The help text for `command` (as installed, such as "/task"). Pure. */
export function buildHelp(command: string): MessageContent {
  const text = [
    `*${command}* puts a request on the team's Notion board.`,
    `• \`${command}\` opens a form; \`${command} Fix the login page\` fills in the title.`,
    `• \`${command} list\` shows your open tasks.`,
    `• \`${command} review\` shows this week's review of open tasks.`,
    `• \`${command} help\` shows this.`,
    "On any message, *More actions* (⋮) offers *Create task* (turn it into a task) and *Remind of process* (ask its author, in the thread, to use this command).",
    "Mention me with `help`, `list` or `review` and I answer in the thread; mention me with anything else and I offer to make it a task. My *Home* tab shows your requests and what is assigned to you.",
  ].join("\n");
  return { text, blocks: [section(text)] };
}
