/**
 * Doctor's first check: the variables the deployed functions need are set and valid, each problem
 * with its fix, and which optional ones are set. The Env it returns feeds every later check.
 */
import { ENV_NAMES, type Env, type EnvName, type EnvSource } from "../env.js";
import { readEnvLeniently } from "./env-source.js";
import type { Report } from "./report.js";

/** What the deployed functions need between them (weekly-reminder needs the review channel). */
export const REQUIRED: readonly EnvName[] = ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "NOTION_TOKEN", "NOTION_DATABASE_ID", "SLACK_REVIEW_CHANNEL_ID"];

/** Reports each required variable (set, or its problem and fix) and the optional ones set; returns the Env read leniently (an unusable value left undefined). */
export function checkEnvironment(report: Report, options: { env: EnvSource; envFile?: string | undefined }): Env {
  report.section(options.envFile ? `Environment (the shell's, over ${options.envFile})` : "Environment");
  const { env, problems } = readEnvLeniently(REQUIRED, options.env);
  const byName = new Map(problems.map((problem) => [problem.name, problem]));
  for (const name of REQUIRED) {
    const problem = byName.get(name);
    if (problem) report.fail(problem.problem, problem.fix);
    else if (name === "SLACK_SIGNING_SECRET") report.ok(`${name} is set (only a request from Slack can prove it right)`);
    else report.ok(`${name} is set`);
  }
  for (const problem of problems) {
    if (!(REQUIRED as readonly string[]).includes(problem.name)) report.fail(problem.problem, problem.fix);
  }
  // What the person set: env also holds every default, and its problems.
  const optional = ENV_NAMES.filter((name) => !REQUIRED.includes(name) && !byName.has(name) && options.env[name]?.trim());
  if (optional.length > 0) report.ok(`also set: ${optional.join(", ")}`);
  return env;
}
