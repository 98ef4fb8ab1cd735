/**
 * Doctor's Slack checks: the bot token works (and its workspace is allowed), it has every scope
 * manifest.yml asks for, and the bot can post in the channels the bot posts to.
 */
import { LogLevel, WebClient, type Logger } from "@slack/web-api";
import type { Env, EnvName } from "../env.js";
import { toSlackApiError } from "../platforms/slack/client.js";
import { AGAIN, DEFAULT_TIMEOUT_MS, isTransportFailure, transportFix, type CallOptions } from "./doctor-transport.js";
import { readManifest } from "./manifest.js";
import type { Report } from "./report.js";

/** Checks the token, then its scopes and the channels; what needs a working token is skipped without one. */
export async function checkSlack(report: Report, env: Env, options: CallOptions & { manifestPath?: string | undefined }): Promise<void> {
  report.section(env.SLACK_API_URL ? `Slack (at ${env.SLACK_API_URL}, from SLACK_API_URL)` : "Slack");
  const token = env.SLACK_BOT_TOKEN;
  if (token === undefined) {
    report.skip("Slack not checked: SLACK_BOT_TOKEN is not usable (see above)");
    return;
  }
  const web = new WebClient(token, {
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: silentLogger,
    logLevel: LogLevel.ERROR,
  });

  let auth: Awaited<ReturnType<WebClient["auth"]["test"]>>;
  try {
    auth = await web.auth.test();
  } catch (error) {
    const failure = toSlackApiError("auth.test", error);
    if (isTransportFailure(failure)) report.fail(`could not reach Slack (${failure.code})`, transportFix(failure, "SLACK_API_URL"));
    else {
      report.fail(
        `Slack refused SLACK_BOT_TOKEN (${failure.code})`,
        "copy the Bot User OAuth Token (xoxb-…) again from Slack app settings -> OAuth & Permissions into SLACK_BOT_TOKEN (install the app to the workspace first if none is shown)",
      );
    }
    report.skip("scopes and channels not checked: the token must work first");
    return;
  }
  const botName = auth.user ?? "chatops";
  report.ok(`SLACK_BOT_TOKEN works: bot @${botName} in ${auth.team ?? "the workspace"} (${auth.team_id ?? "unknown id"})`);
  if (env.SLACK_ALLOWED_TEAM_IDS && auth.team_id && !env.SLACK_ALLOWED_TEAM_IDS.includes(auth.team_id)) {
    report.fail(`the token's workspace ${auth.team_id} is not in SLACK_ALLOWED_TEAM_IDS`, `add ${auth.team_id} to SLACK_ALLOWED_TEAM_IDS, or unset it`);
  }

  checkScopes(report, auth.response_metadata?.scopes, options.manifestPath);

  const channels: { variable: EnvName; label: string; id: string | undefined }[] = [
    { variable: "SLACK_REVIEW_CHANNEL_ID", label: "review channel", id: env.SLACK_REVIEW_CHANNEL_ID },
    { variable: "SLACK_TASKS_CHANNEL_ID", label: "tasks channel", id: env.SLACK_TASKS_CHANNEL_ID },
  ];
  for (const channel of channels) {
    if (channel.id !== undefined) await checkChannel(report, web, { ...channel, id: channel.id, botName });
    else if (channel.variable === "SLACK_REVIEW_CHANNEL_ID") report.skip("review channel not checked: SLACK_REVIEW_CHANNEL_ID is not usable (see above)");
  }
}

/** The token must have every scope manifest.yml asks for; more is allowed and named. */
function checkScopes(report: Report, granted: string[] | undefined, manifestPath: string | undefined): void {
  let needed: string[];
  try {
    needed = readManifest(manifestPath).oauth_config.scopes.bot;
  } catch (error) {
    report.fail(`manifest.yml could not be read (${error instanceof Error ? error.message : String(error)})`, "restore it from the repository");
    return;
  }
  if (granted === undefined) {
    report.warn("Slack did not say which scopes the token has", `compare Slack app settings -> OAuth & Permissions -> Bot Token Scopes with manifest.yml (${needed.join(", ")})`);
    return;
  }
  const missing = needed.filter((scope) => !granted.includes(scope));
  const extra = granted.filter((scope) => !needed.includes(scope));
  if (missing.length > 0) {
    report.fail(
      `the token lacks ${missing.join(", ")}, which manifest.yml asks for`,
      "add them in Slack app settings -> OAuth & Permissions -> Bot Token Scopes (or paste manifest.yml under App Manifest), reinstall the app to the workspace, and put the Bot User OAuth Token it shows into SLACK_BOT_TOKEN",
    );
    return;
  }
  report.ok(`the token has every scope manifest.yml asks for: ${needed.join(", ")}${extra.length > 0 ? ` (also ${extra.join(", ")}, which chatops doesn't use)` : ""}`);
}

/**
 * The channel exists and the bot is a member, so it can post (the manifest leaves out
 * chat:write.public). conversations.info needs channels:read, or groups:read for a private
 * channel, which the bot itself never uses: without them, doctor falls back to chat.getPermalink,
 * which needs no scope and tells a channel the bot can see from one it cannot, but not membership.
 */
async function checkChannel(report: Report, web: WebClient, channel: { variable: EnvName; label: string; id: string; botName: string }): Promise<void> {
  const { variable, label, id, botName } = channel;
  const invite = `open the channel in Slack and type /invite @${botName}`;
  const notFound = () =>
    report.fail(
      `Slack shows the bot no channel ${id} (${variable})`,
      `check ${variable} (channel name -> About -> Channel ID at the bottom); for a private channel, ${invite} first`,
    );
  try {
    const { channel: info } = await web.conversations.info({ channel: id });
    const name = info?.name ? `#${info.name}` : id;
    if (info?.is_archived) report.fail(`the ${label} ${name} is archived (${variable})`, `unarchive it, or set ${variable} to another channel`);
    else if (info?.is_member === false) report.fail(`the bot is not in the ${label} ${name}, so it cannot post there`, invite);
    else report.ok(`${label} ${name}: the bot is a member and can post there`);
    return;
  } catch (error) {
    const failure = toSlackApiError("conversations.info", error);
    if (failure.code === "channel_not_found") return notFound();
    if (failure.code !== "missing_scope") {
      report.fail(`could not check the ${label} ${id} (${failure.code})`, isTransportFailure(failure) ? transportFix(failure, "SLACK_API_URL") : `${invite}, ${AGAIN}`);
      return;
    }
  }
  try {
    // A message that cannot exist: Slack answers message_not_found for a channel the bot can see.
    await web.chat.getPermalink({ channel: id, message_ts: "1000000000.000100" });
  } catch (error) {
    const failure = toSlackApiError("chat.getPermalink", error);
    if (failure.code === "channel_not_found") return notFound();
    if (failure.code !== "message_not_found") {
      report.warn(`could not check the ${label} ${id} (${failure.code})`, `make sure the bot was invited: ${invite}`);
      return;
    }
  }
  report.warn(
    `the ${label} ${id} exists, but whether the bot is in it needs channels:read (groups:read if private), which chatops doesn't otherwise use`,
    `make sure the bot was invited: ${invite}`,
  );
}

const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};
