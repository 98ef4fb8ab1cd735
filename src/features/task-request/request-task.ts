/** `/task <text>`: the task modal, its title (and, for a long text, its description) taken from the text. */
import { plainTextFrom } from "../../platforms/slack/message.js";
import { escapeMrkdwn } from "../../platforms/slack/mrkdwn.js";
import type { SlashCommand } from "../../platforms/slack/payloads.js";
import { acknowledge, ephemeral } from "../../platforms/slack/responses.js";
import { collapseWhitespace, titleFrom } from "../../tasks/task.js";
import type { FeatureContext } from "../context.js";
import { openTaskModal } from "./open-task-modal.js";

/** The slash command, as the routing table and the manifest name it; help texts quote it. */
export const TASK_COMMAND = "/task";

/** Opens the modal; if it cannot open, answers why, with what the person typed (Slack has cleared their message box). */
export async function requestTask(command: SlashCommand, ctx: FeatureContext): Promise<Response> {
  // As typed: Slack escapes & < > in a command's text (and, with escaping on, sends mentions and links as <…>).
  const text = plainTextFrom(command.text).trim();
  const title = titleFrom(text);
  const opened = await openTaskModal(
    {
      triggerId: command.trigger_id,
      title,
      // A long first line is cut for the title; the whole text then goes in the description.
      description: title !== collapseWhitespace(text) ? text : undefined,
      metadata: { channelId: command.channel_id, responseUrl: command.response_url, slackLink: channelLink(command) },
    },
    ctx,
  );
  if (opened.ok) return acknowledge();
  return ephemeral(text ? `${opened.message}\nWhat you typed: ${escapeMrkdwn(text)}` : opened.message);
}

/** A link to the channel the command was typed in, which Slack resolves for anyone in the workspace. */
function channelLink(command: SlashCommand): string {
  return `https://slack.com/app_redirect?channel=${encodeURIComponent(command.channel_id)}&team=${encodeURIComponent(command.team_id)}`;
}
