/**
 * The runtime: env -> clients, store and settings, built once per handler (so once per warm
 * instance in production, and afresh for every handler a test builds: no module-level state). Each
 * adapter's parts come from its wiring: Notion's (notion/wiring.ts), each platform's passed in.
 */
import type { ChatApi } from "./chat/chat-api.js";
import type { Platform } from "./chat/model.js";
import { EnvError, readEnv, type Env, type EnvName, type EnvSource } from "./env.js";
import type { FeatureContext, PersonalView, Ports } from "./features/context.js";
import { createRecentReminders } from "./features/process-reminder/recent-reminders.js";
import { createLogger, type Logger, type LogSink } from "./log.js";
import { wireNotion } from "./notion/wiring.js";
import type { DiscordLoaded, wireDiscord } from "./platforms/discord/wiring.js";
import type { SlackLoaded, wireSlack } from "./platforms/slack/wiring.js";
import type { MattermostLoaded, wireMattermost } from "./platforms/mattermost/wiring.js";
import type { TeamsLoaded, wireTeams } from "./platforms/teams/wiring.js";
import { createClaims } from "./store/claims.js";
import { createBlobsStore, type BlobsConnection } from "./store/store.js";

/** What a handler is built from; every field has a real default, and tests pass their own. */
export interface RuntimeOptions {
  /** Where variables come from; process.env by default. */
  env?: EnvSource;
  /** The fetch behind both clients, the store and response_url answers. */
  fetch?: typeof fetch;
  /**
   * Paces Notion's requests under its ~3 a second on each instance (notion/pace-requests.ts), by the
   * runtime's clock and sleep when both are given (a test's virtual time), else real time: for the
   * functions that make bursts of them (the events function, the schedules), never the ack path.
   */
  paceNotion?: boolean;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** Every wait the bot chooses (a Retry-After, a pause before a retry); tests make it instant. */
  sleep?: (ms: number) => Promise<void>;
  logSink?: LogSink;
  /**
   * From a request's arrival to its acknowledgement deadline, in ms. Slack allows 3 s end to end,
   * including the network and, before the handler runs, a cold start: the default leaves 1 s for those.
   */
  ackDeadlineMs?: number;
  /**
   * From a request's arrival to when the invocation, deferred work included, must be over, in ms:
   * INVOCATION_BUDGET_MS by default, SCHEDULE_BUDGET_MS for a scheduled function.
   */
  invocationBudgetMs?: number;
  /** Per Notion request (NOTION_TIMEOUT_MS by default). */
  notionTimeoutMs?: number;
  /** Per Slack call (SLACK_TIMEOUT_MS by default); a call on the acknowledgement path also stops at the deadline. */
  slackTimeoutMs?: number;
  /** Per Discord call (DISCORD_TIMEOUT_MS by default). */
  discordTimeoutMs?: number;
  /** Per Mattermost call (MATTERMOST_TIMEOUT_MS by default). */
  mattermostTimeoutMs?: number;
  /** Per Teams call: the connector, the token endpoint (TEAMS_TIMEOUT_MS by default). */
  teamsTimeoutMs?: number;
  /** Where the store is, when the environment does not say (tests); Netlify and netlify dev configure it themselves. */
  blobs?: BlobsConnection;
  /** Per store request (STORE_TIMEOUT_MS by default). */
  storeTimeoutMs?: number;
  /**
   * The personal views (Slack's Home tab) this function's routes redraw after a change, each built
   * from its platform's parts once that platform is on: given by the handlers whose routes do, so the
   * others' bundles (the /task command's, on Slack's 3 s) leave them out.
   */
  personalViews?: PersonalViewWiring;
}

export const DEFAULT_ACK_DEADLINE_MS = 2_000;
/**
 * A store call's timeout under netlify dev, whose Blobs server runs in netlify dev's own process: its
 * answer waits on this machine's CPU (a fresh worker per request), not on a network, and a busy machine
 * outlasted the store's 800 ms (a Notion event refused 503, Discord's /task failed). A request's
 * deadline still bounds each call on its acknowledgement path.
 */
export const LOCAL_STORE_TIMEOUT_MS = 5_000;
/**
 * Netlify stops a synchronous function 60 s after it starts, work after the response (waitUntil)
 * included; the rest covers a cold start and the log line. A wait that would pass it is not begun.
 */
export const INVOCATION_BUDGET_MS = 50_000;
/** Netlify stops a scheduled function at 30 s. */
export const SCHEDULE_BUDGET_MS = 25_000;

/** Every function reads and writes the board. */
const NOTION_VARIABLES = ["NOTION_TOKEN", "NOTION_DATABASE_ID"] as const satisfies readonly EnvName[];

/**
 * What turns each chat platform on: what the bot sends with. A platform is on when one of these is
 * set, and then all of them are required (a half-set platform stops the function and says what is
 * missing, rather than run without it); with only Slack's set the bot is exactly what it was.
 */
export const PLATFORM_VARIABLES = {
  slack: ["SLACK_BOT_TOKEN"],
  discord: ["DISCORD_BOT_TOKEN", "DISCORD_APPLICATION_ID"],
  mattermost: ["MATTERMOST_URL", "MATTERMOST_BOT_TOKEN", "MATTERMOST_COMMAND_TOKEN"],
  teams: ["TEAMS_APP_ID", "TEAMS_APP_PASSWORD", "TEAMS_TENANT_ID"],
} as const satisfies Partial<Record<Platform, readonly EnvName[]>>;

/**
 * What each kind of function requires: a platform's endpoint its platform's variables and what
 * verifies its requests (Slack's signing secret, Discord's public key); the schedules and Notion's
 * webhooks run with either platform on, or both (PLATFORM_VARIABLES decides which is on).
 */
export const REQUIRED_VARIABLES = {
  slack: [...NOTION_VARIABLES, ...PLATFORM_VARIABLES.slack, "SLACK_SIGNING_SECRET"],
  discord: [...NOTION_VARIABLES, ...PLATFORM_VARIABLES.discord, "DISCORD_PUBLIC_KEY"],
  // The command token verifies the slash command; the key that signs dialogs and buttons derives from both tokens.
  mattermost: [...NOTION_VARIABLES, ...PLATFORM_VARIABLES.mattermost],
  // The Bot Framework's keys are public (TEAMS_OPENID_URL): the app id is what a token must be for.
  teams: [...NOTION_VARIABLES, ...PLATFORM_VARIABLES.teams],
  schedule: NOTION_VARIABLES,
  // NOTION_WEBHOOK_SECRET is not required: the handshake that gives it must work without it.
  notion: NOTION_VARIABLES,
} as const satisfies Record<string, readonly EnvName[]>;

type ClientEnv = Env<(typeof NOTION_VARIABLES)[number]>;

/**
 * The platforms a function may answer or post on, each passed in by the functions that need it
 * (platforms/slack/wiring.ts: SLACK_WIRING; platforms/discord/wiring.ts: DISCORD_WIRING;
 * platforms/mattermost/wiring.ts: MATTERMOST_WIRING; platforms/teams/wiring.ts: TEAMS_WIRING), so no
 * other function's module carries its client. A platform that is on but not wired is off in that
 * function: not in `chats`, nor in Settings.channels, nor in `personalViews`.
 */
export interface PlatformWiring {
  slack?: typeof wireSlack;
  discord?: typeof wireDiscord;
  mattermost?: typeof wireMattermost;
  teams?: typeof wireTeams;
}

/** Each platform's personal view, built from the platform's parts (its client) when it is on and wired. */
export interface PersonalViewWiring {
  slack?: (slack: SlackLoaded) => PersonalView;
}

/** What a runtime holds once env has been read. */
export interface Loaded {
  /** Present when Slack is on and the function is wired for it (always for Slack's endpoints, which require it). */
  slack: SlackLoaded | undefined;
  /** NOTION_WEBHOOK_SECRET, when set and well formed; the Notion receiver refuses events without it. */
  notionWebhookSecret: string | undefined;
  /** Present when Discord is on and the function is wired for it (always for the Discord function, which requires it). */
  discord: DiscordLoaded | undefined;
  /** Present when Mattermost is on and the function is wired for it (always for the Mattermost functions). */
  mattermost: MattermostLoaded | undefined;
  /** Present when Teams is on and the function is wired for it (always for the Teams function, which requires it). */
  teams: TeamsLoaded | undefined;
  ports: Ports;
}

export interface Runtime {
  /** Masks the tokens and the signing secret in every line, once env has been read. */
  log: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  ackDeadlineMs: number;
  /** From arrival to the end of the invocation's deferred work, in ms. */
  budgetMs: number;
  /** Reads env and builds the clients on the first request, not at import; throws EnvError. */
  load(): Loaded;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Builds a runtime for one function; `required` names what the function cannot run without. */
export function createRuntime(options: RuntimeOptions, required: readonly [...typeof NOTION_VARIABLES, ...EnvName[]], wiring: PlatformWiring = {}): Runtime {
  const secrets: string[] = [];
  const log = createLogger(options.logSink).masking(secrets);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  let loaded: Loaded | undefined;
  return {
    log,
    now,
    sleep,
    ackDeadlineMs: options.ackDeadlineMs ?? DEFAULT_ACK_DEADLINE_MS,
    budgetMs: options.invocationBudgetMs ?? INVOCATION_BUDGET_MS,
    load() {
      if (loaded) return loaded;
      const env: ClientEnv = readEnv([...required, ...platformsRequired(required, options.env ?? process.env)], options.env);
      const notionWebhookSecret = env.NOTION_WEBHOOK_SECRET;
      // Every platform's secrets are masked, wired or not: a line may quote any of them.
      secrets.push(...[env.SLACK_BOT_TOKEN, env.NOTION_TOKEN, env.SLACK_SIGNING_SECRET, notionWebhookSecret, env.DISCORD_BOT_TOKEN, env.MATTERMOST_BOT_TOKEN, env.MATTERMOST_COMMAND_TOKEN, env.TEAMS_APP_PASSWORD].filter((value): value is string => value !== undefined));
      for (const [name, problem] of Object.entries(env.problems)) log.warn("env.setting_invalid", { variable: name, problem });
      const store = createBlobsStore({
        connection: options.blobs,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.storeTimeoutMs ? { timeoutMs: options.storeTimeoutMs } : env.NETLIFY_DEV ? { timeoutMs: LOCAL_STORE_TIMEOUT_MS } : {}),
      });
      // Pacing keeps to the runtime's clock and sleep only when both are given (a test's virtual time).
      const pace = options.paceNotion ? (options.sleep && options.now ? { wait: options.sleep, now: options.now } : {}) : undefined;
      const { tasks, pages } = wireNotion(env, { store, log, now, sleep, fetch: options.fetch, timeoutMs: options.notionTimeoutMs, pace });
      const discordToken = env.DISCORD_BOT_TOKEN;
      const discordApp = env.DISCORD_APPLICATION_ID;
      const discord =
        wiring.discord && discordToken !== undefined && discordApp !== undefined
          ? wiring.discord({ ...env, DISCORD_BOT_TOKEN: discordToken, DISCORD_APPLICATION_ID: discordApp }, { store, now, fetch: options.fetch, timeoutMs: options.discordTimeoutMs })
          : undefined;
      const slackToken = env.SLACK_BOT_TOKEN;
      const slack = wiring.slack && slackToken !== undefined ? wiring.slack({ ...env, SLACK_BOT_TOKEN: slackToken }, { now, fetch: options.fetch, timeoutMs: options.slackTimeoutMs }) : undefined;
      // Each platform's ChatApi, when its variables are set and the function is wired for it.
      const chats: Partial<Record<Platform, ChatApi>> = {};
      if (discord) chats.discord = discord.chat;
      if (slack) chats.slack = slack.chat;
      const mattermostUrl = env.MATTERMOST_URL;
      const mattermostToken = env.MATTERMOST_BOT_TOKEN;
      const commandToken = env.MATTERMOST_COMMAND_TOKEN;
      const mattermost =
        wiring.mattermost && mattermostUrl !== undefined && mattermostToken !== undefined && commandToken !== undefined
          ? wiring.mattermost({ MATTERMOST_URL: mattermostUrl, MATTERMOST_BOT_TOKEN: mattermostToken, MATTERMOST_COMMAND_TOKEN: commandToken, URL: env.URL }, { now, fetch: options.fetch, timeoutMs: options.mattermostTimeoutMs })
          : undefined;
      if (mattermost) chats.mattermost = mattermost.chat;
      const { TEAMS_APP_ID: teamsApp, TEAMS_APP_PASSWORD: teamsPassword, TEAMS_TENANT_ID: teamsTenant } = env;
      const teams =
        wiring.teams && teamsApp !== undefined && teamsPassword !== undefined && teamsTenant !== undefined
          ? wiring.teams({ ...env, TEAMS_APP_ID: teamsApp, TEAMS_APP_PASSWORD: teamsPassword, TEAMS_TENANT_ID: teamsTenant }, { store, now, fetch: options.fetch, timeoutMs: options.teamsTimeoutMs })
          : undefined;
      if (teams) chats.teams = teams.chat;
      // Only the platforms that are on: a Home tab needs Slack.
      const personalViews: Partial<Record<Platform, PersonalView>> = {};
      if (slack && options.personalViews?.slack) personalViews.slack = options.personalViews.slack(slack);
      loaded = {
        slack,
        notionWebhookSecret,
        discord,
        mattermost,
        teams,
        ports: {
          chats,
          personalViews,
          tasks,
          pages,
          reminders: createRecentReminders(),
          store,
          claims: createClaims(store),
          settings: {
            tasksChannelId: env.SLACK_TASKS_CHANNEL_ID,
            reviewChannelId: env.SLACK_REVIEW_CHANNEL_ID,
            channels: {
              ...(slack ? { slack: { tasks: env.SLACK_TASKS_CHANNEL_ID, review: env.SLACK_REVIEW_CHANNEL_ID } } : {}),
              ...(discord ? { discord: { tasks: env.DISCORD_TASKS_CHANNEL_ID, review: env.DISCORD_REVIEW_CHANNEL_ID } } : {}),
              ...(mattermost ? { mattermost: { tasks: env.MATTERMOST_TASKS_CHANNEL_ID, review: env.MATTERMOST_REVIEW_CHANNEL_ID } } : {}),
              ...(teams ? { teams: { tasks: undefined, review: env.TEAMS_REVIEW_CONVERSATION_ID } } : {}),
            },
            unwired: (Object.keys(PLATFORM_VARIABLES) as (keyof typeof PLATFORM_VARIABLES)[]).filter((platform) => chats[platform] === undefined && PLATFORM_VARIABLES[platform].every((name) => (env[name]?.trim() ?? "") !== "")),
            reminderText: env.PROCESS_REMINDER_TEXT,
            reviewTimeZone: env.REVIEW_TIMEZONE,
            skipEmptyReview: env.WEEKLY_REVIEW_SKIP_EMPTY,
            problems: env.problems,
          },
        },
      };
      return loaded;
    },
  };
}

/**
 * The platforms' variables a function requires on top of its own: each platform that is on (one of
 * its PLATFORM_VARIABLES set) needs all of them; a function that serves no platform's requests (a
 * schedule, Notion's webhooks) needs at least one platform on. Throws EnvError when none is.
 */
function platformsRequired(required: readonly EnvName[], source: EnvSource): EnvName[] {
  const isSet = (name: EnvName) => (source[name]?.trim() ?? "") !== "";
  const on = Object.values(PLATFORM_VARIABLES).filter((names) => names.some(isSet) || names.some((name) => required.includes(name)));
  if (on.length === 0) {
    throw new EnvError([
      `no chat platform is on: set Slack's ${PLATFORM_VARIABLES.slack.join(", ")}, Discord's ${PLATFORM_VARIABLES.discord.join(" and ")}, Mattermost's ${PLATFORM_VARIABLES.mattermost.join(", ")}, or Teams' ${PLATFORM_VARIABLES.teams.join(", ")} (npm run doctor says where each comes from)`,
    ]);
  }
  return on.flat();
}
