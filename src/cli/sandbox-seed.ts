/**
 * The sandbox's fixed world: sandbox-only credentials, the workspace's channels, the Discord guild
 * (its channels and people), the Mattermost team and the Teams tenant, the task board (a fixed database id, so it is found again after a
 * restart) and a few sample tasks for a first run.
 */
import type { EnvName } from "../env.js";
import { DISCORD_SEED } from "../../dev/discord-emulator.js";
import { MATTERMOST_SEED, type MattermostEmulator } from "../../dev/mattermost-emulator.js";
import type { NotionEmulator } from "../../dev/notion-emulator.js";
import { taskBoardSchema } from "../../dev/notion-emulator.js";
import { SLACK_SEED, type SlackEmulator } from "../../dev/slack-emulator.js";
import { TEAMS_SEED } from "../../dev/teams-emulator.js";
import type { SandboxFile } from "./sandbox-file.js";

/** Credentials that only mean something to the sandbox's emulators. */
export const SANDBOX_CREDENTIALS = {
  signingSecret: "sandbox-signing-secret-0123456789",
  slackToken: "xoxb-sandbox-000000000000",
  notionToken: "ntn_sandbox_000000000000",
  /** The Notion emulator signs its webhook events with it, as Notion signs with a subscription's verification token. */
  notionWebhookSecret: "secret_sandbox_webhook_0000000000000000",
} as const;

/** The board's ids: fixed, so a restart finds the board (and its tasks) in the state file. */
export const SANDBOX_BOARD = {
  databaseId: "5a4db0a2-0000-4000-8000-00000000b0a2",
  dataSourceId: "5a4db0a2-0000-4000-8000-000000000d5a",
} as const;

/** Where new tasks are announced (SLACK_TASKS_CHANNEL_ID) and where the review goes. */
export const SANDBOX_CHANNELS = {
  tasks: { id: "C0TASKS", name: "tasks" },
  review: { id: SLACK_SEED.general, name: "general" },
} as const;

/**
 * The Discord guild the sandbox serves: the emulator's application and guild, #general (where the
 * review goes) and #tasks (where new tasks are announced), and the emulator's Alice and Bob, who are
 * the Slack workspace's Alice and Bob on Discord. The bot token means something only to the emulator.
 */
export const SANDBOX_DISCORD = {
  applicationId: DISCORD_SEED.applicationId,
  botToken: "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GsAndb.sandbox-discord-bot-token-000000000",
  guildId: DISCORD_SEED.guildId,
  guildName: "chatops sandbox",
  channels: { general: { id: DISCORD_SEED.general, name: "general" }, tasks: { id: "1300000000000000003", name: "tasks" } },
  people: [
    { id: DISCORD_SEED.alice, name: "alice" },
    { id: DISCORD_SEED.bob, name: "bob" },
  ],
} as const;

/**
 * The Mattermost team the sandbox serves: the emulator's bot, command token, team and people (Alice
 * and Bob again; Carol refuses direct messages), #town-square where people write, #tasks (where new
 * tasks are announced) and #review (the weekly review). The tokens mean something only to the emulator.
 */
export const SANDBOX_MATTERMOST = {
  botToken: MATTERMOST_SEED.botToken,
  commandToken: MATTERMOST_SEED.commandToken,
  teamName: MATTERMOST_SEED.teamName,
  botUserId: MATTERMOST_SEED.botUserId,
  channels: {
    townSquare: { id: MATTERMOST_SEED.townSquare, name: "town-square" },
    tasks: { id: MATTERMOST_SEED.tasks, name: "tasks" },
    review: { id: MATTERMOST_SEED.review, name: "review" },
  },
  people: [
    { id: MATTERMOST_SEED.alice, name: "alice" },
    { id: MATTERMOST_SEED.bob, name: "bob" },
    { id: MATTERMOST_SEED.carol, name: "carol" },
  ],
} as const;

/**
 * The Teams tenant the sandbox serves: the emulator's bot (its app id and password, which mean
 * something only to the emulator), its tenant, Alice and Bob (their ids as Teams gives them, their
 * display names and Entra object ids), the General channel of a team (where people write and the
 * weekly review goes) and each one's 1:1 chat with the bot, whose ids are the ones the emulator
 * gives a 1:1 chat it creates. The bot is added to each at every start (sandbox.ts).
 */
export const SANDBOX_TEAMS = {
  appId: TEAMS_SEED.appId,
  appPassword: TEAMS_SEED.appPassword,
  tenantId: TEAMS_SEED.tenantId,
  conversations: {
    general: { id: TEAMS_SEED.channel, name: "General", type: "channel" },
    alice: { id: TEAMS_SEED.personal, name: "alice", type: "personal" },
    bob: { id: "a:1personal-bob", name: "bob", type: "personal" },
  },
  people: [
    { id: TEAMS_SEED.alice.id, name: "alice", displayName: TEAMS_SEED.alice.name, aadObjectId: TEAMS_SEED.alice.aadObjectId },
    { id: TEAMS_SEED.bob.id, name: "bob", displayName: TEAMS_SEED.bob.name, aadObjectId: TEAMS_SEED.bob.aadObjectId },
  ],
} as const;

/** Where the sandbox's emulators listen, and the session's Discord public key (64 hex). */
export interface SandboxUrls {
  slackApiUrl: string;
  notionUrl: string;
  discordApiUrl: string;
  discordPublicKey: string;
  /** The Mattermost emulator: MATTERMOST_URL, `http://127.0.0.1:<port>`. */
  mattermostUrl: string;
  /** The Teams emulator's origin, `http://127.0.0.1:<port>`: its OpenID configuration, token endpoint and connector (the serviceUrl). */
  teamsOrigin: string;
}

/**
 * The sandbox file of a sandbox running in this process, serving the functions and its control
 * server at these URLs; `discordPrivateKey` (PKCS#8 PEM) signs interactions as Discord would, and
 * `teamsKey` (the Teams emulator's key id and PKCS#8 PEM) signs activities as the Bot Connector does.
 */
export function sandboxFileFor(urls: SandboxUrls & { functionsUrl: string; controlUrl: string; discordPrivateKey: string; teamsKey: { kid: string; privateKey: string } }): SandboxFile {
  const { discordApiUrl, discordPublicKey, discordPrivateKey, mattermostUrl, teamsOrigin, teamsKey, ...rest } = urls;
  return {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    ...rest,
    signingSecret: SANDBOX_CREDENTIALS.signingSecret,
    teamId: SLACK_SEED.teamId,
    teamDomain: SLACK_SEED.teamDomain,
    appId: SLACK_SEED.appId,
    discord: {
      apiUrl: discordApiUrl,
      interactionsUrl: `${urls.functionsUrl}/discord/interactions`,
      applicationId: SANDBOX_DISCORD.applicationId,
      publicKey: discordPublicKey,
      privateKey: discordPrivateKey,
      guildId: SANDBOX_DISCORD.guildId,
      channels: Object.values(SANDBOX_DISCORD.channels).map(({ id, name }) => ({ id, name })),
      people: SANDBOX_DISCORD.people.map(({ id, name }) => ({ id, name })),
    },
    mattermost: {
      url: mattermostUrl,
      commandsUrl: `${urls.functionsUrl}/mattermost/commands`,
      commandToken: SANDBOX_MATTERMOST.commandToken,
      teamName: SANDBOX_MATTERMOST.teamName,
      channels: Object.values(SANDBOX_MATTERMOST.channels).map(({ id, name }) => ({ id, name })),
      people: SANDBOX_MATTERMOST.people.map(({ id, name }) => ({ id, name })),
    },
    teams: {
      serviceUrl: `${teamsOrigin}/`,
      messagesUrl: `${urls.functionsUrl}/teams/messages`,
      appId: SANDBOX_TEAMS.appId,
      tenantId: SANDBOX_TEAMS.tenantId,
      keyId: teamsKey.kid,
      privateKey: teamsKey.privateKey,
      conversations: Object.values(SANDBOX_TEAMS.conversations).map(({ id, name, type }) => ({ id, name, type })),
      people: SANDBOX_TEAMS.people.map(({ id, name, displayName, aadObjectId }) => ({ id, name, displayName, aadObjectId })),
    },
    env: sandboxBotEnv(urls),
  };
}


/**
 * Every variable env.ts knows, as the functions get it in the sandbox. Unused ones are set empty on
 * purpose: netlify dev lets a variable in the process environment win over .env files (an empty
 * one reads as unset in env.ts), so a developer's real .env cannot leak into the sandbox. The
 * Record type makes a variable added to env.ts fail to compile until it is decided here.
 */
export function sandboxBotEnv(urls: SandboxUrls): Record<EnvName, string> {
  return {
    // Both platforms are on: Discord's variables are set beside Slack's.
    DISCORD_APPLICATION_ID: SANDBOX_DISCORD.applicationId,
    DISCORD_PUBLIC_KEY: urls.discordPublicKey,
    DISCORD_BOT_TOKEN: SANDBOX_DISCORD.botToken,
    DISCORD_API_URL: urls.discordApiUrl,
    DISCORD_REVIEW_CHANNEL_ID: SANDBOX_DISCORD.channels.general.id,
    DISCORD_TASKS_CHANNEL_ID: SANDBOX_DISCORD.channels.tasks.id,
    DISCORD_ALLOWED_GUILD_IDS: SANDBOX_DISCORD.guildId,
    // Mattermost is on too, against its emulator; its buttons and dialogs post back to the request's origin.
    MATTERMOST_URL: urls.mattermostUrl,
    MATTERMOST_BOT_TOKEN: SANDBOX_MATTERMOST.botToken,
    MATTERMOST_COMMAND_TOKEN: SANDBOX_MATTERMOST.commandToken,
    MATTERMOST_REVIEW_CHANNEL_ID: SANDBOX_MATTERMOST.channels.review.id,
    MATTERMOST_TASKS_CHANNEL_ID: SANDBOX_MATTERMOST.channels.tasks.id,
    // netlify dev sets the site's URL itself (its dev server's), whatever the environment says.
    URL: "",
    // netlify dev sets NETLIFY_DEV itself (its own variables win over the environment); the functions served in process are not under it.
    NETLIFY_DEV: "",
    SLACK_SIGNING_SECRET: SANDBOX_CREDENTIALS.signingSecret,
    SLACK_BOT_TOKEN: SANDBOX_CREDENTIALS.slackToken,
    NOTION_TOKEN: SANDBOX_CREDENTIALS.notionToken,
    NOTION_DATABASE_ID: SANDBOX_BOARD.databaseId,
    SLACK_REVIEW_CHANNEL_ID: SANDBOX_CHANNELS.review.id,
    SLACK_TASKS_CHANNEL_ID: SANDBOX_CHANNELS.tasks.id,
    SLACK_API_URL: urls.slackApiUrl,
    NOTION_API_URL: urls.notionUrl,
    NOTION_WEBHOOK_SECRET: SANDBOX_CREDENTIALS.notionWebhookSecret,
    NOTION_STATUS_PROPERTY: "",
    NOTION_PRIORITY_PROPERTY: "",
    NOTION_DUE_PROPERTY: "",
    NOTION_REQUESTER_PROPERTY: "",
    NOTION_SLACK_LINK_PROPERTY: "",
    NOTION_REQUEST_ID_PROPERTY: "",
    NOTION_ASSIGNEE_PROPERTY: "",
    PROCESS_REMINDER_TEXT: "",
    REVIEW_TIMEZONE: "",
    WEEKLY_REVIEW_SKIP_EMPTY: "",
    SLACK_ALLOWED_TEAM_IDS: "",
    SLACK_APP_ID: "",
    TASK_ALLOWED_CHANNEL_IDS: "",
    // Teams is on, against its emulator: its keys verify the activities, its token endpoint and
    // connector (allowed by its origin: the bot calls no serviceUrl that is not Microsoft's otherwise) take the bot's posts.
    TEAMS_APP_ID: SANDBOX_TEAMS.appId,
    TEAMS_APP_PASSWORD: SANDBOX_TEAMS.appPassword,
    TEAMS_TENANT_ID: SANDBOX_TEAMS.tenantId,
    TEAMS_OPENID_URL: `${urls.teamsOrigin}/openid`,
    TEAMS_TOKEN_URL: `${urls.teamsOrigin}/${encodeURIComponent(SANDBOX_TEAMS.tenantId)}/oauth2/v2.0/token`,
    TEAMS_SERVICE_URL_ALLOW: urls.teamsOrigin,
    TEAMS_REVIEW_CONVERSATION_ID: SANDBOX_TEAMS.conversations.general.id,
  };
}

/**
 * Bob's post in #town-square, for `/task remind` and `/task from` to name by its permalink. The
 * emulator keeps nothing across restarts, so it is written on every start; returns the permalink.
 */
export function seedMattermost(mattermost: MattermostEmulator): string {
  const post = mattermost.postUserMessage({ channelId: SANDBOX_MATTERMOST.channels.townSquare.id, userId: MATTERMOST_SEED.bob, message: "The login page hangs on Safari since this morning's deploy. Can someone look?" });
  return mattermost.permalinkOf(post);
}

/** Adds the sandbox's channels; idempotent, so it runs on every start. */
export function seedWorkspace(slack: SlackEmulator): void {
  slack.addChannel({ id: SANDBOX_CHANNELS.tasks.id, name: SANDBOX_CHANNELS.tasks.name, isMember: true });
}

/**
 * Creates the board and a few sample tasks unless the state file already has the board.
 * Returns whether it seeded. Dates are relative to `now`, so the review has something in every group.
 */
export function seedBoard(notion: NotionEmulator, now: Date): boolean {
  try {
    notion.pages(SANDBOX_BOARD.dataSourceId);
    return false;
  } catch {
    // No such data source yet: a first run (or after --reset).
  }
  notion.addDatabase({ title: "Tasks", ...SANDBOX_BOARD, properties: taskBoardSchema() });
  // The Slack emulator's Alice and Bob, as Notion's people (matched by email): the Home tab's "Assigned to me".
  const alice = notion.addUser({ name: "Alice", email: "alice@example.com" });
  notion.addUser({ name: "Bob", email: "bob@example.com" });
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const samples: { title: string; status: string; priority?: string; due?: string; requester: string; assignee?: string }[] = [
    { title: "Renew the TLS certificate of status.example.com", status: "In progress", priority: "High", due: day(-2), requester: "Alice (U0ALICE)" },
    { title: "Update the onboarding checklist", status: "Not started", priority: "Medium", due: day(1), requester: "Bob (U0BOB)", assignee: alice.id },
    { title: "Plan the team offsite", status: "Not started", priority: "Low", due: day(24), requester: "Alice (U0ALICE)" },
    { title: "Tidy up the shared drive", status: "Not started", requester: "Bob (U0BOB)" },
    { title: "Move CI to Node 22", status: "Done", priority: "Medium", due: day(-6), requester: "Alice (U0ALICE)" },
  ];
  for (const [index, sample] of samples.entries()) {
    notion.addPage(SANDBOX_BOARD.dataSourceId, {
      Name: { title: [{ text: { content: sample.title } }] },
      Status: { status: { name: sample.status } },
      ...(sample.priority ? { Priority: { select: { name: sample.priority } } } : {}),
      ...(sample.due ? { Due: { date: { start: sample.due } } } : {}),
      "Requested by": { rich_text: [{ text: { content: sample.requester } }] },
      "Request ID": { rich_text: [{ text: { content: `sandbox-sample-${index + 1}` } }] },
      ...(sample.assignee ? { Assignee: { people: [{ id: sample.assignee }] } } : {}),
    });
  }
  return true;
}
