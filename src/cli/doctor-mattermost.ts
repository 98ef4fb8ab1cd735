/**
 * Doctor's Mattermost checks, when a Mattermost variable is set: MATTERMOST_URL is a Mattermost
 * server that answers (GET /api/v4/system/ping), MATTERMOST_BOT_TOKEN is a bot account's (GET
 * /api/v4/users/me: `is_bot`), and the bot can read the channels it posts to (GET
 * /api/v4/channels/{id}) and is in them (GET /api/v4/channels/{id}/members/me). Every call goes to MATTERMOST_URL, as the functions' do.
 */
import { ENV_NAMES, type EnvName, type EnvSource } from "../env.js";
import { createMattermostRest, MattermostApiError, type MattermostRest } from "../platforms/mattermost/rest.js";
import { readEnvLeniently } from "./env-source.js";
import { AGAIN, DEFAULT_TIMEOUT_MS, type CallOptions } from "./doctor-transport.js";
import type { Report } from "./report.js";

/** What the three Mattermost functions require besides Notion's (runtime.ts: REQUIRED_VARIABLES.mattermost). */
export const MATTERMOST_REQUIRED = ["MATTERMOST_URL", "MATTERMOST_BOT_TOKEN", "MATTERMOST_COMMAND_TOKEN"] as const satisfies readonly EnvName[];

/** Whether any MATTERMOST_ variable is set: then Mattermost is meant to be on, and its three required ones are needed. */
export function isMattermostConfigured(source: EnvSource): boolean {
  return ENV_NAMES.some((name) => name.startsWith("MATTERMOST_") && source[name]?.trim());
}

/**
 * Checks what the server and a working token allow; the variables themselves (missing, malformed)
 * are the Environment section's. A check whose input failed is skipped.
 */
export async function checkMattermost(report: Report, source: EnvSource, options: CallOptions): Promise<void> {
  const { env } = readEnvLeniently(MATTERMOST_REQUIRED, source);
  const serverUrl = env.MATTERMOST_URL;
  report.section(serverUrl ? `Mattermost (at ${serverUrl})` : "Mattermost");
  if (serverUrl === undefined) {
    report.skip("the server, the bot token and the channels not checked: MATTERMOST_URL is not usable (see above)");
    return;
  }
  const rest = createMattermostRest({
    serverUrl,
    // The ping reads no session; with no usable token the later checks are skipped before any call sends it.
    token: env.MATTERMOST_BOT_TOKEN ?? "",
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  if (!(await checkServer(report, rest, serverUrl))) {
    report.skip("the bot token and the channels not checked: the server must answer first");
    return;
  }
  if (env.MATTERMOST_BOT_TOKEN === undefined) {
    report.skip("the bot token and the channels not checked: MATTERMOST_BOT_TOKEN is not usable (see above)");
    return;
  }
  if (!(await checkBot(report, rest))) {
    report.skip("the channels not checked: the token must be the bot's first");
    return;
  }
  const channels = [
    { variable: "MATTERMOST_REVIEW_CHANNEL_ID", label: "review channel", id: env.MATTERMOST_REVIEW_CHANNEL_ID },
    { variable: "MATTERMOST_TASKS_CHANNEL_ID", label: "tasks channel", id: env.MATTERMOST_TASKS_CHANNEL_ID },
  ] as const;
  for (const channel of channels) {
    if (channel.id !== undefined) await checkChannel(report, rest, { ...channel, id: channel.id });
  }
}

/** GET /api/v4/system/ping answers `{ status: "OK" }` on any Mattermost server, without a session. */
async function checkServer(report: Report, rest: MattermostRest, serverUrl: string): Promise<boolean> {
  let answer: { status?: string } | undefined;
  try {
    answer = await rest.ping();
  } catch (error) {
    if (!(error instanceof MattermostApiError)) throw error;
    if (isTransport(error)) report.fail(`could not reach Mattermost at ${serverUrl} (${describe(error)})`, `check MATTERMOST_URL (System Console -> Web Server -> Site URL) and the network, ${AGAIN}`);
    else report.fail(`${serverUrl}/api/v4/system/ping answered ${describe(error)}: MATTERMOST_URL is not a Mattermost server's Site URL`, `set MATTERMOST_URL to the Site URL in System Console -> Web Server (with its subpath, if any), ${AGAIN}`);
    return false;
  }
  if (answer?.status !== "OK") {
    report.fail(`${serverUrl}/api/v4/system/ping did not answer as Mattermost does (no status OK)`, `set MATTERMOST_URL to the Site URL in System Console -> Web Server, ${AGAIN}`);
    return false;
  }
  report.ok("MATTERMOST_URL answers as a Mattermost server (GET /api/v4/system/ping)");
  return true;
}

/**
 * GET /api/v4/users/me: the token works and is a bot account's. A person's personal access token
 * works too, but posts as that person, with their permissions, and dies with their account.
 */
async function checkBot(report: Report, rest: MattermostRest): Promise<boolean> {
  let me: { id: string; username: string; is_bot?: boolean };
  try {
    me = await rest.getMe();
  } catch (error) {
    if (!(error instanceof MattermostApiError)) throw error;
    if (isTransport(error)) report.fail(`could not ask Mattermost who MATTERMOST_BOT_TOKEN is (${describe(error)})`, `check the network and MATTERMOST_URL, ${AGAIN}`);
    else report.fail(`Mattermost refused MATTERMOST_BOT_TOKEN (${describe(error)})`, `make a new one: Integrations -> Bot Accounts -> the bot -> Create New Token, ${AGAIN}`);
    return false;
  }
  if (me.is_bot !== true) {
    report.fail(
      `MATTERMOST_BOT_TOKEN is the person @${me.username}'s, not a bot account's: the bot would post as them`,
      `make a bot account (Integrations -> Bot Accounts -> Add Bot Account) and set MATTERMOST_BOT_TOKEN to its token (the bot -> Create New Token), ${AGAIN}`,
    );
    return false;
  }
  report.ok(`MATTERMOST_BOT_TOKEN is a bot account's: @${me.username} (${me.id})`);
  return true;
}

/**
 * GET /api/v4/channels/{id}: 404 when there is no such channel, 403 when the bot may not read it (a
 * private channel it is not in); then its membership, since a public channel reads without one.
 */
async function checkChannel(report: Report, rest: MattermostRest, channel: { variable: string; label: string; id: string }): Promise<void> {
  const { variable, label, id } = channel;
  let found: { name: string; display_name: string; type: string };
  try {
    found = await rest.getChannel(id);
  } catch (error) {
    if (!(error instanceof MattermostApiError)) throw error;
    if (error.status === 404) report.fail(`Mattermost has no channel ${id} (${variable})`, `check ${variable}: the channel's name -> View Info shows its ID`);
    else if (error.status === 403) report.fail(`the bot cannot read the ${label} ${id} (${describe(error)})`, `add the bot to the channel: /invite @<the bot's username> there (a private channel needs it), ${AGAIN}`);
    else report.fail(`could not check the ${label} ${id} (${describe(error)})`, isTransport(error) ? `check the network and MATTERMOST_URL, ${AGAIN}` : AGAIN);
    return;
  }
  // Reading a public channel needs no membership; posting there does (create_post is a channel member's permission).
  try {
    await rest.getMyChannelMember(id);
  } catch (error) {
    if (!(error instanceof MattermostApiError)) throw error;
    if (error.status === 404) report.fail(`the bot is not in the ${label} ~${found.name}, so it cannot post there`, `add it: /invite @<the bot's username> in ~${found.name}, ${AGAIN}`);
    else report.fail(`could not check the bot's membership of the ${label} ~${found.name} (${describe(error)})`, isTransport(error) ? `check the network and MATTERMOST_URL, ${AGAIN}` : AGAIN);
    return;
  }
  report.ok(`${label} ~${found.name}: the bot is in it`);
}

function isTransport(error: MattermostApiError): boolean {
  return error.status === "timeout" || error.status === "network_error" || error.status === 429 || (typeof error.status === "number" && error.status >= 500);
}

/** "401 api.context.session_expired.app_error", "timeout": what Mattermost (or the way there) answered, never a value. */
function describe(error: MattermostApiError): string {
  return error.id === undefined ? String(error.status) : `${error.status} ${error.id}`;
}
