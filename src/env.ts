/**
 * The only reader of process.env. Each function asks for the variables it needs; one error lists
 * every problem with where to find the value, and never echoes a value back. What each value must
 * look like is env-rules.ts's.
 */
import * as z from "zod/mini";
import { apiBaseUrl, endpointUrl, flag, guid, idList, isTimeZone, mattermostId, notionIdSchema, originList, slackChannelId, snowflakeId } from "./env-rules.js";

/**
 * How a variable is read. `default` fills in an unset variable (an unset one with a default is never
 * missing). `contained`: a malformed value breaks only the features that use it, which find the
 * problem in `env.problems` and say so, instead of every request failing (a typo in the review's
 * time zone must not take /task down). Variables that decide where the bot talks (API URLs) or who
 * may use it (access control) are never contained: a mistake there stops the bot, safely.
 */
interface Variable<T> {
  schema: () => z.ZodMiniType<T, string>;
  where: string;
  default?: T;
  contained?: boolean;
}

/** Keeps each spec's own type, so `Env` knows which variables have a default. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const variable = <Spec extends Variable<any>>(spec: Spec): Spec => spec;
const name = (fallback: string, role: string) =>
  variable({ schema: () => z.string().check(z.minLength(1)), default: fallback, where: `optional: name of the board's ${role} property (default ${fallback})` });

/**
 * Every variable the product reads, with its rule and where a person finds the value. Rules are
 * built only for the variables that are set: building all of them cost each cold start ~5 ms.
 */
const variables = {
  SLACK_SIGNING_SECRET: variable({
    schema: () => z.string().check(z.minLength(16, "looks too short for a signing secret")),
    where: "Slack app settings -> Basic Information -> App Credentials -> Signing Secret",
  }),
  SLACK_BOT_TOKEN: variable({
    schema: () => z.string().check(z.startsWith("xoxb-", "must be a bot token starting with xoxb-")),
    where: "Slack app settings -> OAuth & Permissions -> Bot User OAuth Token",
  }),
  NOTION_TOKEN: variable({
    schema: () => z.string().check(z.regex(/^(ntn_|secret_)\S+$/, "must be an internal integration secret (ntn_... or secret_...)")),
    where: "notion.so/profile/integrations -> your integration -> Internal Integration Secret",
  }),
  NOTION_DATABASE_ID: variable({
    schema: notionIdSchema,
    where: "the task database's URL (Share -> Copy link), or run npm run setup:notion",
  }),
  SLACK_REVIEW_CHANNEL_ID: variable({
    schema: slackChannelId,
    where: "open the channel in Slack -> channel name -> About -> Channel ID at the bottom",
    contained: true,
  }),
  SLACK_TASKS_CHANNEL_ID: variable({
    schema: slackChannelId,
    where: "optional: a channel that hears about every new task (channel name -> About -> Channel ID)",
    contained: true,
  }),
  SLACK_API_URL: variable({
    schema: () => z.url({ protocol: /^https?$/, error: "must be an http(s) URL ending in /api/" }),
    where: "optional: only to point the bot at a Slack emulator or proxy",
  }),
  NOTION_API_URL: variable({
    schema: () => z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    where: "optional: only to point the bot at a Notion emulator or proxy",
  }),
  NOTION_WEBHOOK_SECRET: variable({
    // Notion's verification token: "secret_" and 40-odd letters and digits; it signs every event.
    schema: () => z.string().check(z.regex(/^\S{16,}$/, "looks too short (or holds a space) for Notion's verification token")),
    where: "optional: the verification_token Notion sent to /notion/webhooks: read it with npx netlify blobs:get chatops notion/verification-token (see the README's Notion webhooks set-up)",
    // A typo here stops only the webhook receiver, which says so; /task and the rest go on.
    contained: true,
  }),
  NOTION_STATUS_PROPERTY: name("Status", "status"),
  NOTION_PRIORITY_PROPERTY: name("Priority", "priority"),
  NOTION_DUE_PROPERTY: name("Due", "due date"),
  NOTION_REQUESTER_PROPERTY: name("Requested by", "requester"),
  NOTION_SLACK_LINK_PROPERTY: name("Slack link", "Slack link"),
  NOTION_REQUEST_ID_PROPERTY: name("Request ID", "request id"),
  NOTION_ASSIGNEE_PROPERTY: name("Assignee", "assignee (a people property: the Home tab's Assigned to me)"),
  PROCESS_REMINDER_TEXT: variable({
    schema: () => z.string().check(z.minLength(1), z.maxLength(2500)),
    where: "optional: mrkdwn with {author}, {command} and {board} placeholders",
    contained: true,
  }),
  REVIEW_TIMEZONE: variable({
    schema: () => z.string().check(z.refine(isTimeZone, "must be an IANA time zone such as Europe/Paris")),
    where: "optional: IANA time zone for dates in the weekly review (default UTC)",
    default: "UTC",
    contained: true,
  }),
  WEEKLY_REVIEW_SKIP_EMPTY: variable({ schema: flag, where: "optional: true to post nothing when no task is open", default: false }),
  SLACK_ALLOWED_TEAM_IDS: variable({ schema: idList, where: "optional: comma-separated workspace ids (T...), or Enterprise Grid org ids (E...), whose people may use the bot" }),
  SLACK_APP_ID: variable({
    schema: () => z.string().check(z.regex(/^A[A-Z0-9]+$/, "must be an app id such as A0123ABCD")),
    where: "optional: Slack app settings -> Basic Information -> App ID",
  }),
  TASK_ALLOWED_CHANNEL_IDS: variable({ schema: idList, where: "optional: comma-separated channel ids where /task works" }),
  DISCORD_APPLICATION_ID: variable({
    schema: () => snowflakeId("1100000000000000001"),
    where: "Discord Developer Portal -> your application -> General Information -> Application ID",
  }),
  DISCORD_PUBLIC_KEY: variable({
    schema: () => z.string().check(z.regex(/^[0-9a-fA-F]{64}$/, "must be the 64 hex characters the portal shows")),
    where: "Discord Developer Portal -> your application -> General Information -> Public Key",
  }),
  DISCORD_BOT_TOKEN: variable({
    schema: () => z.string().check(z.regex(/^\S{20,}$/, "looks too short (or holds a space) for a bot token")),
    where: "Discord Developer Portal -> your application -> Bot -> Reset Token",
  }),
  DISCORD_API_URL: variable({ schema: apiBaseUrl, where: "optional: only to point the bot at a Discord emulator or proxy (default https://discord.com/api/v10)" }),
  DISCORD_REVIEW_CHANNEL_ID: variable({
    schema: () => snowflakeId("1300000000000000001"),
    where: "optional: the Discord channel the weekly review goes to (right-click the channel -> Copy Channel ID)",
    contained: true,
  }),
  DISCORD_TASKS_CHANNEL_ID: variable({
    schema: () => snowflakeId("1300000000000000001"),
    where: "optional: a Discord channel that hears about every new task (right-click the channel -> Copy Channel ID)",
    contained: true,
  }),
  MATTERMOST_URL: variable({
    // Every Mattermost call goes here and nowhere else; a subpath (https://example.com/chat) is kept.
    schema: () => apiBaseUrl("https://chat.example.com"),
    where: "the Mattermost server's Site URL (System Console -> Web Server)",
  }),
  MATTERMOST_BOT_TOKEN: variable({
    schema: () => mattermostId("access token"),
    where: "Mattermost: Integrations -> Bot Accounts -> Create New Token",
  }),
  MATTERMOST_COMMAND_TOKEN: variable({
    schema: () => mattermostId("slash command token"),
    where: "Mattermost: Integrations -> Slash Commands -> /task -> Token",
  }),
  MATTERMOST_REVIEW_CHANNEL_ID: variable({
    schema: () => mattermostId("channel id"),
    where: "optional: the Mattermost channel of the weekly review (channel -> View Info)",
    contained: true,
  }),
  MATTERMOST_TASKS_CHANNEL_ID: variable({
    schema: () => mattermostId("channel id"),
    where: "optional: a Mattermost channel told of every new task (channel -> View Info)",
    contained: true,
  }),
  URL: variable({
    schema: () => z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
    where: "set by Netlify: the site's address, where a scheduled post's Mattermost buttons post back",
    contained: true,
  }),
  NETLIFY_DEV: variable({
    schema: flag,
    where: "set by netlify dev: the store is then netlify dev's own Blobs server, on this machine (runtime.ts: LOCAL_STORE_TIMEOUT_MS)",
    contained: true,
  }),
  DISCORD_ALLOWED_GUILD_IDS: variable({
    schema: () => z.pipe(idList(), z.array(snowflakeId("1200000000000000001"))),
    where: "optional: comma-separated server (guild) ids whose people may use the bot (right-click the server -> Copy Server ID)",
  }),
  TEAMS_APP_ID: variable({
    schema: () => guid("the bot's Microsoft App ID"),
    where: "Azure portal -> your Azure Bot -> Configuration -> Microsoft App ID (or the Teams Developer Portal -> Tools -> Bot management)",
  }),
  TEAMS_APP_PASSWORD: variable({
    schema: () => z.string().check(z.regex(/^\S{16,}$/, "looks too short (or holds a space) for a client secret")),
    where: "Azure portal -> your Azure Bot -> Configuration -> Manage Password -> New client secret (its Value, shown once)",
  }),
  TEAMS_TENANT_ID: variable({
    schema: () => guid("the tenant's id"),
    where: "Azure portal -> your Azure Bot -> Configuration -> App Tenant ID (Microsoft Entra ID -> Overview -> Tenant ID)",
  }),
  TEAMS_OPENID_URL: variable({ schema: endpointUrl, where: "optional: only to point the bot at a Teams emulator (default https://login.botframework.com/v1/.well-known/openidconfiguration)" }),
  TEAMS_TOKEN_URL: variable({ schema: endpointUrl, where: "optional: only for an emulator or a sovereign cloud (default https://login.microsoftonline.com/{TEAMS_TENANT_ID}/oauth2/v2.0/token)" }),
  TEAMS_SERVICE_URL_ALLOW: variable({ schema: originList, where: "optional: serviceUrl origins allowed besides Microsoft's (an emulator, a sovereign cloud's), comma-separated" }),
  TEAMS_REVIEW_CONVERSATION_ID: variable({
    schema: () => z.string().check(z.regex(/^\S{3,400}$/, "must be a Teams conversation id such as 19:abc@thread.tacv2")),
    where: "optional: the Teams channel the weekly review goes to (its conversation id, 19:…@thread.tacv2: Get link to channel, the part after /channel/, decoded); the bot must have been added to its team",
    contained: true,
  }),
};

type Variables = typeof variables;
export type EnvName = keyof Variables;

/** Every variable the product reads, for tools that must set or blank them all (a sandbox, a test server). */
export const ENV_NAMES = Object.freeze(Object.keys(variables) as EnvName[]);
type Values = { [K in EnvName]: Variables[K] extends Variable<infer T> ? T : never };
type Defaulted = { [K in EnvName]: Variables[K] extends { default: unknown } ? K : never }[EnvName];

/**
 * The variables a caller required are present, and so is every one with a default; any other may be
 * absent. `problems` names each contained variable that is set but malformed (its value is then the
 * default, or absent).
 */
export type Env<Required extends EnvName = never> = Readonly<
  Pick<Values, Required | Defaulted> & Partial<Omit<Values, Required | Defaulted>> & { problems: Readonly<Partial<Record<EnvName, string>>> }
>;

export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Thrown when variables are missing or malformed; the message lists each one and never a value. */
export class EnvError extends Error {
  override readonly name = "EnvError";
  constructor(readonly problems: readonly string[]) {
    super(`chatops is not configured:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}

/**
 * Reads the named variables (all required), every optional one that is set, and the defaults of the
 * rest. Empty strings count as unset, because Netlify's UI and .env files both produce them for "not
 * configured". Throws EnvError listing every missing or malformed variable, except a malformed
 * contained one, which is reported in `problems` (and throws too when it is required).
 */
export function readEnv<Required extends EnvName>(required: readonly Required[], source: EnvSource = process.env): Env<Required> {
  const fatal: string[] = [];
  const problems: Partial<Record<EnvName, string>> = {};
  const values: Partial<Record<EnvName, unknown>> = {};
  for (const name of ENV_NAMES) {
    const raw = source[name]?.trim();
    const spec: Variable<unknown> = variables[name];
    const isRequired = (required as readonly EnvName[]).includes(name);
    if (raw === undefined || raw === "") {
      if (isRequired) fatal.push(`${name} is missing: ${spec.where}`);
      else if (spec.default !== undefined) values[name] = spec.default;
      continue;
    }
    const parsed = spec.schema().safeParse(raw);
    if (parsed.success) {
      values[name] = parsed.data;
      continue;
    }
    const problem = `${name} ${parsed.error.issues[0]?.message ?? "is malformed"}: ${spec.where}`;
    if (spec.contained && !isRequired) {
      problems[name] = problem;
      if (spec.default !== undefined) values[name] = spec.default;
    } else fatal.push(problem);
  }
  if (fatal.length > 0) throw new EnvError(fatal);
  return Object.freeze({ ...values, problems: Object.freeze(problems) }) as unknown as Env<Required>;
}
