/**
 * Doctor's first check: the variables the deployed functions need are set and valid, each problem
 * with its fix, and which optional ones are set. The Env it returns feeds every later check.
 */
import { ENV_NAMES, type Env, type EnvName, type EnvSource } from "../env.js";
import { DISCORD_REQUIRED, isDiscordConfigured } from "./discord-env.js";
import { isMattermostConfigured, MATTERMOST_REQUIRED } from "./doctor-mattermost.js";
import { isTeamsConfigured } from "./doctor-teams.js";
import { readEnvLeniently } from "./env-source.js";
import type { Report } from "./report.js";

/** What the deployed functions need between them (weekly-reminder needs the review channel). */
export const REQUIRED: readonly EnvName[] = ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "NOTION_TOKEN", "NOTION_DATABASE_ID", "SLACK_REVIEW_CHANNEL_ID"];

/** Slack's required variables: a bot that serves Discord alone sets none of them. */
const SLACK_REQUIRED: readonly EnvName[] = ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_REVIEW_CHANNEL_ID"];

/**
 * Whether Slack is meant to be on: a Slack variable is set, or no other platform's is (a fresh
 * configuration is asked for Slack's, as it always was). With only Discord's, Mattermost's or Teams'
 * set, the bot serves those alone and Slack's are not missing.
 */
export function isSlackConfigured(source: EnvSource): boolean {
  return SLACK_REQUIRED.some((name) => source[name]?.trim()) || otherPlatforms(source).length === 0;
}

/** The platforms besides Slack that a variable turns on, by name ("Discord", "Mattermost", "Teams"). */
export function otherPlatforms(source: EnvSource): string[] {
  return [isDiscordConfigured(source) ? "Discord" : undefined, isMattermostConfigured(source) ? "Mattermost" : undefined, isTeamsConfigured(source) ? "Teams" : undefined].filter(
    (name) => name !== undefined,
  );
}

/** REQUIRED, less Slack's when only other platforms are configured, plus Discord's three and Mattermost's three when any of theirs is set. */
export function requiredFor(source: EnvSource): readonly EnvName[] {
  const common = isSlackConfigured(source) ? REQUIRED : REQUIRED.filter((name) => !SLACK_REQUIRED.includes(name));
  return [...common, ...(isDiscordConfigured(source) ? DISCORD_REQUIRED : []), ...(isMattermostConfigured(source) ? MATTERMOST_REQUIRED : [])];
}

/** Reports each required variable (set, or its problem and fix) and the optional ones set; returns the Env read leniently (an unusable value left undefined). */
export function checkEnvironment(report: Report, options: { env: EnvSource; envFile?: string | undefined }): Env {
  report.section(options.envFile ? `Environment (the shell's, over ${options.envFile})` : "Environment");
  const required = requiredFor(options.env);
  const { env, problems } = readEnvLeniently(required, options.env);
  const byName = new Map(problems.map((problem) => [problem.name, problem]));
  for (const name of required) {
    const problem = byName.get(name);
    if (problem) report.fail(problem.problem, problem.fix);
    else if (name === "SLACK_SIGNING_SECRET") report.ok(`${name} is set (only a request from Slack can prove it right)`);
    else report.ok(`${name} is set`);
  }
  for (const problem of problems) {
    if (!(required as readonly string[]).includes(problem.name)) report.fail(problem.problem, problem.fix);
  }
  // What the person set: env also holds every default, and its problems.
  const optional = ENV_NAMES.filter((name) => !required.includes(name) && !byName.has(name) && options.env[name]?.trim());
  if (optional.length > 0) report.ok(`also set: ${optional.join(", ")}`);
  return env;
}
