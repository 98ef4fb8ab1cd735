/** `/task help`: what the bot does and how to use it. */
import { section } from "../../slack/blocks.js";
import type { MessageContent } from "../../slack/client.js";
import { ephemeral } from "../../slack/responses.js";
import { TASK_COMMAND } from "../task-request/request-task.js";

/** Answers the person who asked, ephemerally. */
export async function showHelp(): Promise<Response> {
  const help = buildHelp(TASK_COMMAND);
  return ephemeral(help.text, help.blocks);
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
  ].join("\n");
  return { text, blocks: [section(text)] };
}
