/**
 * `npm run doctor`: checks the configuration end to end, one line per check with a mark, and every
 * failure with its fix. The exit code is 1 when anything failed. It never prints a secret.
 *
 * Environment -> Slack (token, scopes against manifest.yml, channels) -> Notion (token, database,
 * properties) -> Notion webhooks (secret, endpoint, a token waiting in the store). A check whose
 * input failed is skipped, never guessed.
 */
import type { DataSourceObjectResponse } from "@notionhq/client";
import { parseArgs } from "node:util";
import { LogLevel, WebClient, type Logger } from "@slack/web-api";
import { ENV_NAMES, type Env, type EnvName, type EnvSource } from "../env.js";
import { detectBoard, type Board } from "../notion/board.js";
import { createNotionClient, toNotionStoreError, type NotionStoreError } from "../notion/client.js";
import { resolveDataSource, type ResolvedDataSource } from "../notion/data-source.js";
import { toSlackApiError, type SlackApiError } from "../slack/client.js";
import { DEFAULT_PROPERTY_NAMES, propertyNamesFrom, ROLE_ORDER, ROLES, type Role } from "./board-schema.js";
import type { BlobsConnection } from "../store/store.js";
import { checkNotionWebhooks } from "./doctor-webhooks.js";
import { readEnvLeniently } from "./env-source.js";
import { readManifest } from "./manifest.js";
import { count, createReport, type Output, type Report } from "./report.js";
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
  /** The deployed site (`--site`): its /notion/webhooks is probed. */
  siteUrl?: string | undefined;
  /** The store, for tests; otherwise NETLIFY_SITE_ID and NETLIFY_AUTH_TOKEN say where it is. */
  blobs?: BlobsConnection | undefined;
}

/** What the deployed functions need between them (weekly-reminder needs the review channel). */
const REQUIRED: readonly EnvName[] = ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "NOTION_TOKEN", "NOTION_DATABASE_ID", "SLACK_REVIEW_CHANNEL_ID"];

const DEFAULT_TIMEOUT_MS = 10_000;

const AGAIN = "then run npm run doctor again";

/** Runs every check and returns the exit code: 0 when nothing failed (warnings allowed), else 1. */
export async function runDoctor(options: DoctorOptions): Promise<number> {
  const report = createReport(options.out);
  // A newcomer's first run: five missing variables would not say that the file itself is missing.
  if (options.envFile === undefined && REQUIRED.every((name) => !options.env[name]?.trim())) {
    report.line("no .env here: `cp .env.example .env`; to try without accounts, `npm start`");
    report.line();
  }
  report.line("chatops doctor");
  const env = checkEnvironment(report, options);
  await checkSlack(report, env, options);
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

// ---------------------------------------------------------------------------------------------
// Environment

function checkEnvironment(report: Report, options: DoctorOptions): Env {
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

// ---------------------------------------------------------------------------------------------
// Slack

async function checkSlack(report: Report, env: Env, options: DoctorOptions): Promise<void> {
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

function isTransportFailure(error: SlackApiError | NotionStoreError): boolean {
  return ["timeout", "network_error", "http_error", "unavailable", "rate_limited"].includes(error.code);
}

function transportFix(error: SlackApiError | NotionStoreError, urlVariable: string): string {
  if (error.code === "rate_limited") return `wait a minute, ${AGAIN}`;
  return `check the network connection (and ${urlVariable}, if it is set), ${AGAIN}`;
}

// ---------------------------------------------------------------------------------------------
// Notion

async function checkNotion(report: Report, env: Env, options: DoctorOptions): Promise<void> {
  report.section(env.NOTION_API_URL ? `Notion (at ${env.NOTION_API_URL}, from NOTION_API_URL)` : "Notion");
  const token = env.NOTION_TOKEN;
  if (token === undefined) {
    report.skip("Notion not checked: NOTION_TOKEN is not usable (see above)");
    return;
  }
  const client = await createNotionClient({
    token,
    baseUrl: env.NOTION_API_URL,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  let integration: string;
  try {
    const me = await client.users.me({});
    integration = me.name ?? "your integration";
    const workspace = me.type === "bot" && "workspace_name" in me.bot ? me.bot.workspace_name : null;
    report.ok(`NOTION_TOKEN works: integration “${integration}”${workspace ? ` in ${workspace}` : ""}`);
  } catch (error) {
    const failure = toNotionStoreError(error, "checking the token");
    if (failure.code === "unauthorized") {
      report.fail("Notion refused NOTION_TOKEN (unauthorized)", "copy the Internal Integration Secret again from notion.so/profile/integrations -> your integration into NOTION_TOKEN");
    } else {
      report.fail(`could not check NOTION_TOKEN (${failure.code})`, isTransportFailure(failure) ? transportFix(failure, "NOTION_API_URL") : AGAIN);
    }
    report.skip("database not checked: the token must work first");
    return;
  }

  const databaseId = env.NOTION_DATABASE_ID;
  if (databaseId === undefined) {
    report.skip("database not checked: NOTION_DATABASE_ID is not usable (see above)");
    return;
  }
  let found: ResolvedDataSource;
  try {
    found = await resolveDataSource(client, databaseId);
  } catch (error) {
    const failure = toNotionStoreError(error, "reading the database");
    if (failure.code === "not_found") {
      report.fail(
        `the integration can't see NOTION_DATABASE_ID: the database isn't shared with “${integration}”, or the id is wrong`,
        `open the database in Notion -> ••• -> Connections -> add “${integration}”; if it already is, copy its link again (Share -> Copy link) into NOTION_DATABASE_ID`,
      );
    } else if (failure.code === "invalid_request") {
      report.fail(`Notion refused NOTION_DATABASE_ID (${notionMessage(failure)})`, "use the database's own link: open it as a full page -> Share -> Copy link");
    } else {
      report.fail(`could not read the database (${failure.code})`, isTransportFailure(failure) ? transportFix(failure, "NOTION_API_URL") : AGAIN);
    }
    report.skip("properties not checked: the database must be readable first");
    return;
  }
  const title = plainText(found.dataSource.title) || "Untitled";
  report.ok(`NOTION_DATABASE_ID is shared with “${integration}”: “${title}” (given as a ${found.given} id)`);
  if (found.dataSources > 1) {
    report.warn(`the database has ${found.dataSources} data sources and the bot uses the first, “${title}”`, "to use another, set NOTION_DATABASE_ID to that data source's id");
  }
  checkProperties(report, env, found.dataSource);
}

/** Each part the bot plays with: present with a usable type, or absent knowingly (a warning), else a failure. */
function checkProperties(report: Report, env: Env, dataSource: DataSourceObjectResponse): void {
  const names = propertyNamesFrom(env);
  const board = detectBoard(dataSource, names);
  report.ok(`title: “${board.title}”`);
  for (const role of ROLE_ORDER) {
    const name = names[role];
    const { env: variable, kind } = ROLES[role];
    const present = board[role];
    if (present !== undefined) {
      describePresent(report, role, board);
      continue;
    }
    const actual = dataSource.properties[name];
    if (actual === undefined && name !== DEFAULT_PROPERTY_NAMES[role]) {
      report.fail(`${variable} names “${name}”, which is not on the board`, `rename the property in Notion or correct ${variable} (names are case-sensitive)`);
    } else if (actual === undefined) {
      report.warn(
        `${ROLE_LABELS[role]}: no property “${name}”, so ${role === "assignee" ? "the Home tab has no “Assigned to me”" : "tasks are saved without it"}`,
        `to keep it, add a ${kind} property named “${name}” in Notion, or set ${variable} to the name yours has`,
      );
    } else {
      const warning = board.warnings.find((text) => text.startsWith(`property "${name}" (${role})`)) ?? `property "${name}" (${role}) is of type ${actual.type}`;
      report.fail(`${ROLE_LABELS[role]}: ${warning}`, `change “${name}” to a ${kind} property in Notion, or set ${variable} to a property of the right type`);
    }
  }
}

const ROLE_LABELS: Record<Role, string> = {
  status: "status",
  priority: "priority",
  due: "due date",
  requester: "requester",
  slackLink: "Slack link",
  requestId: "request id",
  assignee: "assignee",
};

function describePresent(report: Report, role: Role, board: Board): void {
  const label = ROLE_LABELS[role];
  switch (role) {
    case "status": {
      const status = board.status!;
      if (status.done.length === 0) {
        report.warn(
          `status: no option of “${status.name}” means done, so every task counts as open in the review`,
          status.type === "status" ? "put the finished options in the Complete group in Notion" : "name the finished option Done (or Complete, Closed…)",
        );
      } else {
        report.ok(`status: “${status.name}” (${status.type}); new tasks start as “${status.initial ?? "empty"}”, done means ${status.done.map((name) => `“${name}”`).join(", ")}`);
      }
      return;
    }
    case "priority": {
      const priority = board.priority!;
      report.ok(`priority: “${priority.name}” (${priority.type}${priority.options.length > 0 ? `: ${priority.options.join(", ")}` : ""})`);
      return;
    }
    case "requester": {
      const requester = board.requester!;
      report.ok(
        requester.type === "people"
          ? `requester: “${requester.name}” (people: matched by email, which needs users:read.email in Slack and the integration's “Read user information including email addresses” capability)`
          : `requester: “${requester.name}” (text)`,
      );
      return;
    }
    case "due":
      report.ok(`${label}: “${board.due!.name}” (date)`);
      return;
    case "slackLink":
      report.ok(`${label}: “${board.slackLink!.name}” (${board.slackLink!.type})`);
      return;
    case "requestId":
      report.ok(`${label}: “${board.requestId!.name}” (text; lets a resubmission find the task it already saved)`);
      return;
    case "assignee":
      report.ok(`${label}: “${board.assignee!.name}” (people: the Home tab's “Assigned to me”, matched by email like a people requester)`);
      return;
  }
}

function plainText(items: readonly { plain_text: string }[]): string {
  return items.map((item) => item.plain_text).join("");
}

/** Notion's own explanation, kept as the error's cause. */
function notionMessage(error: NotionStoreError): string {
  return error.cause instanceof Error ? error.cause.message : error.message;
}

/** `npm run doctor -- --site https://YOUR-SITE.netlify.app` also probes the deployed webhook endpoint. */
function siteFrom(argv: readonly string[]): string | undefined {
  const { values } = parseArgs({ args: [...argv], options: { site: { type: "string" } }, strict: false });
  return typeof values.site === "string" ? values.site.trim() || undefined : undefined;
}

await runIfMain(import.meta.url, ({ env, out, envFile, argv }) => runDoctor({ env, out, envFile, siteUrl: siteFrom(argv) }));
