/** `/task help` (and `@chatops help`): what the bot does and how to use it, in the asker's platform's words. */
import type { Card } from "../../chat/card.js";
import type { Platform } from "../../chat/model.js";
import type { RichText } from "../../chat/rich-text.js";
import type { Asker } from "../subcommand.js";
import { TASK_COMMAND } from "../task-request/request-task.js";

/** The help, for whoever asked: Slack's names its menus, mentions and Home tab; Discord's its Apps menu and `text:` option; Teams' the `task` message. */
export async function showHelp(asker?: Pick<Asker, "platform">): Promise<Card> {
  return buildHelp(TASK_COMMAND, asker?.platform ?? "slack");
}

/**
 * The help text for `command` (as installed, such as "/task") on `platform`. Pure. Discord has no
 * Home tab and no mentions over HTTP interactions (docs/discord.md), and its message commands are
 * under Apps; its subcommands are typed in the command's `text` option.
 */
export function buildHelp(command: string, platform: Platform = "slack"): Card {
  const text: RichText =
    platform === "discord" ? discordHelp(command) : platform === "mattermost" ? mattermostHelp(command) : platform === "teams" ? teamsHelp() : slackHelp(command);
  return { summary: text, blocks: [{ kind: "text", text }] };
}

/** What every platform's help says first: the command, with `option` before its text (Discord's `text:`). */
function commandHelp(command: string, option: string, between: RichText = []): RichText {
  return [
    { bold: command },
    " puts a request on the team's Notion board.\n• ",
    { code: command },
    " opens a form; ",
    { code: `${command} ${option}Fix the login page` },
    " fills in the title.\n• ",
    { code: `${command} ${option}list` },
    " shows your open tasks.\n• ",
    { code: `${command} ${option}review` },
    " shows this week's review of open tasks.\n• ",
    ...between,
    { code: `${command} ${option}help` },
    " shows this.",
  ];
}

function slackHelp(command: string): RichText {
  return [
    ...commandHelp(command, ""),
    "\nOn any message, ",
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
}

/**
 * Mattermost has no message shortcuts without a server plugin, no Home tab and no mentions the bot
 * hears: a post is named by its permalink (its ⋯ menu -> Copy Link) after `remind` or `from`.
 */
function mattermostHelp(command: string): RichText {
  return commandHelp(command, "", [
    { code: `${command} from <link>` },
    " turns a post into a task, and ",
    { code: `${command} remind <link>` },
    " asks its author, in its thread, to use this command (a post's link: its ⋯ menu, ",
    { bold: "Copy Link" },
    ").\n• ",
  ]);
}

function discordHelp(command: string): RichText {
  return [
    ...commandHelp(command, "text:"),
    "\nOn any message, ",
    { bold: "Apps" },
    " offers ",
    { bold: "Create task" },
    " (turn it into a task) and ",
    { bold: "Remind of process" },
    " (ask its author, in a reply, to use this command).",
  ];
}

/** Teams has no slash commands for a bot: a message that starts with `task` (in a channel, after a mention of the bot). */
function teamsHelp(): RichText {
  const word = "task";
  return [
    { bold: word },
    " puts a request on the team's Notion board. Message me (in a channel, mention me first):\n• ",
    { code: `${word} Fix the login page` },
    " opens a form with the title filled in.\n• ",
    { code: `${word} list` },
    " shows your open tasks.\n• ",
    { code: `${word} review` },
    " shows this week's review of open tasks.\n• ",
    { code: `${word} help` },
    " shows this.\nOn any message, ",
    { bold: "More actions" },
    " (…) offers ",
    { bold: "Create task" },
    " (turn it into a task) and ",
    { bold: "Remind of process" },
    " (ask its author, in the thread, to use this).",
  ];
}
