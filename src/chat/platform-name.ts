/** Each platform as people call it, and the names the bot gives its things there. Pure. */
import type { Platform } from "./model.js";

const NAMES: Readonly<Record<Platform, string>> = { slack: "Slack", discord: "Discord", teams: "Microsoft Teams", mattermost: "Mattermost" };

/** The platform's name as its own people write it. */
export function platformName(platform: Platform): string {
  return NAMES[platform];
}

/**
 * How a person asks for a task on the platform, as the bot's texts name it: the slash command
 * `/task` (Slack, Discord), or on Teams, where a bot has no slash command, a message that starts with `task`.
 */
export function taskCommandOn(platform: Platform, slashCommand = "/task"): string {
  return platform === "teams" ? slashCommand.replace(/^\//, "") : slashCommand;
}

/** What a form's request key starts with, per platform: Slack's since the first release (`slack-view:<view id>`), so a form open across a deploy still saves once. */
const FORM_KEY_PREFIXES: Readonly<Record<Platform, string>> = { slack: "slack-view", discord: "discord-modal", teams: "teams-form", mattermost: "mattermost-dialog" };

/**
 * The request key of one opened form (the task's Request ID): `slack-view:<view id>`,
 * `discord-modal:<id of the interaction that opened it>`. The same for every submission of it, so
 * however often it is sent (a retry, a second press), the board gets one page.
 */
export function formRequestKey(platform: Platform, instance: string): string {
  return `${FORM_KEY_PREFIXES[platform]}:${instance}`;
}

/** The platform a request key (formRequestKey) was made on, or undefined for a key of no form (a test's, an old board's). */
export function platformOfRequestKey(requestKey: string): Platform | undefined {
  const prefix = requestKey.slice(0, requestKey.indexOf(":"));
  return (Object.keys(FORM_KEY_PREFIXES) as Platform[]).find((platform) => FORM_KEY_PREFIXES[platform] === prefix);
}
