/**
 * `npm run doctor`: checks the configuration end to end, one line per check with a mark, and every
 * failure with its fix. The exit code is 1 when anything failed. It never prints a secret.
 *
 * Environment -> Slack (token, scopes against manifest.yml, channels) -> Discord, when a Discord
 * variable is set (token, application, commands, channels) -> Mattermost, when a Mattermost variable
 * is set (the server answers, the token is a bot's, channels) -> Teams, when a Teams variable is set
 * (the token in the tenant, the Bot Framework's keys, the review channel's reference) -> Notion (token, database,
 * properties) -> Notion webhooks (secret, endpoint, a token waiting in the store). A check whose
 * input failed is skipped, never guessed. Each check lives in its own doctor-<check>.ts; this file
 * runs them in order.
 */
import { parseArgs } from "node:util";
import type { EnvSource } from "../env.js";
import type { BlobsConnection } from "../store/store.js";
import { isDiscordConfigured } from "./discord-env.js";
import { checkDiscord } from "./doctor-discord.js";
import { checkEnvironment, isSlackConfigured, otherPlatforms, REQUIRED } from "./doctor-environment.js";
import { checkMattermost, isMattermostConfigured } from "./doctor-mattermost.js";
import { checkNotion } from "./doctor-notion.js";
import { checkSlack } from "./doctor-slack.js";
import { checkTeams, isTeamsConfigured } from "./doctor-teams.js";
import { DEFAULT_TIMEOUT_MS } from "./doctor-transport.js";
import { checkNotionWebhooks } from "./doctor-webhooks.js";
import { count, createReport, type Output } from "./report.js";
import { runIfMain } from "./script.js";

export interface DoctorOptions {
  /** The variables to check, as the functions would see them. */
  env: EnvSource;
  out: Output;
  fetch?: typeof fetch;
  /** manifest.yml by default. */
  manifestPath?: string;
  /** Per Slack or Notion call. */
  timeoutMs?: number;
  /** The .env file the variables were read from; undefined when there is none, which is said when nothing is set either. */
  envFile?: string | undefined;
  /** The names that .env sets: a personal token there is refused (SHELL_ONLY). */
  envFileNames?: readonly string[];
  /** The deployed site (`--site`): its /notion/webhooks is probed, and its /discord/interactions when Discord is configured. */
  siteUrl?: string | undefined;
  /** The store, for tests; otherwise NETLIFY_SITE_ID and NETLIFY_AUTH_TOKEN say where it is. */
  blobs?: BlobsConnection | undefined;
}

/** Runs every check and returns the exit code: 0 when nothing failed (warnings allowed), else 1. */
export async function runDoctor(options: DoctorOptions): Promise<number> {
  const report = createReport(options.out);
  // A newcomer's first run: five missing variables would not say that the file itself is missing.
  if (options.envFile === undefined && REQUIRED.every((name) => !options.env[name]?.trim()) && otherPlatforms(options.env).length === 0) {
    report.line("no .env here: `cp .env.example .env`; to try without accounts, `npm start`");
    report.line();
  }
  report.line("chatops doctor");
  for (const name of SHELL_ONLY) {
    if (!options.envFileNames?.includes(name)) continue;
    // `npx netlify env:import .env` (README: Deploy) sends every line of the file to the site.
    report.fail(`${name} is in .env: npx netlify env:import .env uploads it to the site, where no function needs it`, `remove it from .env (and from the site: npx netlify env:unset ${name}); set it in the shell for doctor only, e.g. ${name}=… npm run doctor`);
  }
  const env = checkEnvironment(report, options);
  if (isSlackConfigured(options.env)) await checkSlack(report, env, options);
  else report.skip(`Slack not checked: no Slack variable is set, so the bot serves ${otherPlatforms(options.env).join(" and ")} alone`);
  if (isDiscordConfigured(options.env)) await checkDiscord(report, options.env, { ...(options.fetch ? { fetch: options.fetch } : {}), timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, siteUrl: options.siteUrl });
  if (isMattermostConfigured(options.env)) await checkMattermost(report, options.env, { ...(options.fetch ? { fetch: options.fetch } : {}), timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  if (isTeamsConfigured(options.env)) await checkTeams(report, options.env, { ...(options.fetch ? { fetch: options.fetch } : {}), timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, blobs: options.blobs });
  await checkNotion(report, env, options);
  await checkNotionWebhooks(report, env, options.env, {
    siteUrl: options.siteUrl,
    blobs: options.blobs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  report.line();
  if (report.failures > 0) {
    report.line(`${count(report.failures, "problem")} to fix${report.warnings > 0 ? `, ${count(report.warnings, "warning")} to look at` : ""}.`);
    return 1;
  }
  report.line(report.warnings > 0 ? `No problems; ${count(report.warnings, "warning")} to look at.` : "All checks passed.");
  return 0;
}

/** Variables only doctor reads, which are a person's own credentials: the shell's, never .env's. */
const SHELL_ONLY = ["NETLIFY_AUTH_TOKEN"] as const;

/** The flags `npm run doctor` reads, as parseArgs takes them (the docs' commands are checked against it). */
export const DOCTOR_FLAGS = { site: { type: "string" } } as const;

/** `npm run doctor -- --site https://YOUR-SITE.netlify.app` also probes the deployed webhook endpoint. */
function siteFrom(argv: readonly string[]): string | undefined {
  const { values } = parseArgs({ args: [...argv], options: DOCTOR_FLAGS, strict: false });
  return typeof values.site === "string" ? values.site.trim() || undefined : undefined;
}

await runIfMain(import.meta.url, ({ env, out, envFile, envFileNames, argv }) => runDoctor({ env, out, envFile, envFileNames, siteUrl: siteFrom(argv) }));
