/** `/task help` (and `@chatops help`): what the bot does and how to use it. */
import type { Card, RichText } from "../../chat/model.js";
import { TASK_COMMAND } from "../task-request/request-task.js";

/** The help, for whoever asked. */
export async function showHelp(): Promise<Card> {
  return buildHelp(TASK_COMMAND);
}

/** The help text for `command` (as installed, such as "/task"). Pure. */
export function buildHelp(command: string): Card {
  const text: RichText = [
    { bold: command },
    " puts a request on the team's Notion board.\n• ",
    { code: command },
    " opens a form; ",
    { code: `${command} Fix the login page` },
    " fills in the title.\n• ",
    { code: `${command} list` },
    " shows your open tasks.\n• ",
    { code: `${command} review` },
    " shows this week's review of open tasks.\n• ",
    { code: `${command} help` },
    " shows this.\nOn any message, ",
    { bold: "More actions" },
    " (⋮) offers ",
    { bold: "Create task" },
    " (turn it into a task) and ",
    { bold: "Remind of process" },
    " (ask its author, in the thread, to use this command).\nMention me with ",
    { code: "help" },
    ", ",
    { code: "list" },
    " or ",
    { code: "review" },
    " and I answer in the thread; mention me with anything else and I offer to make it a task. My ",
    { bold: "Home" },
    " tab shows your requests and what is assigned to you.",
  ];
  return { summary: text, blocks: [{ kind: "text", text }] };
}
