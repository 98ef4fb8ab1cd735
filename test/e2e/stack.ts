/**
 * One `netlify dev` (offline) for every end-to-end flow, with the Slack, Discord, Mattermost, Teams and
 * Notion emulators behind it (the four chat platforms on, as a team serving them all runs the bot; the Notion one delivering
 * its webhook events to netlify dev) and the CLI's own local Blobs server: started once per file by test/e2e/netlify-dev.test.ts and netlify-dev-chats.test.ts, each of
 * which imports its flows under flows/. Each flow is independent of the others and of their order: it
 * opens its own modals, uses its own messages and channels, and asserts on what it caused.
 */
import { emulatorEnv, TEST_NOTION_TOKEN, TEST_NOTION_WEBHOOK_SECRET, TEST_SLACK_TOKEN } from "../../dev/emulator-env.js";
import { rmSync } from "node:fs";
import { NETLIFY_DEV_TRIGGER_LIFETIME_MS, snapshotProject, startNetlifyDev, type NetlifyDev } from "../../dev/netlify-dev.js";
import { startNotionEmulator, taskBoardSchema, type NotionEmulator } from "../../dev/notion-emulator.js";
import { sendSigned, type SlackAnswer } from "../../dev/signed-request.js";
import { DISCORD_SEED, startDiscordEmulator, type DiscordEmulator } from "../../dev/discord-emulator.js";
import type { DiscordAnswer } from "../../dev/discord-harness.js";
import { discordKeyPair, discordSignedHeaders } from "../../dev/discord-signed.js";
import { MATTERMOST_SEED, startMattermostEmulator, type MattermostEmulator } from "../../dev/mattermost-emulator.js";
import { startSlackEmulator, type SlackEmulator } from "../../dev/slack-emulator.js";
import { startTeamsEmulator, TEAMS_SEED, type TeamsEmulator } from "../../dev/teams-emulator.js";
import { teamsMessage, type TeamsAnswer } from "../../dev/teams-harness.js";

/** The Discord channel DISCORD_REVIEW_CHANNEL_ID names: the weekly review's own, so nothing else posted there is mistaken for it. */
export const DISCORD_REVIEW_CHANNEL = "1300000000000000010";
/** The Teams channel TEAMS_REVIEW_CONVERSATION_ID names: the weekly review's own, which no flow writes in. */
export const TEAMS_REVIEW_CONVERSATION = "19:chatops-review@thread.tacv2";

export interface Stack {
  slack: SlackEmulator;
  discord: DiscordEmulator;
  mattermost: MattermostEmulator;
  teams: TeamsEmulator;
  notion: NotionEmulator;
  dev: NetlifyDev;
  board: { databaseId: string; dataSourceId: string };
  /** POSTs a body to a path of netlify dev, signed as Slack signs it. */
  post(path: string, body: string): Promise<SlackAnswer>;
  /**
   * Signs an interaction as Discord does, POSTs it to netlify dev's /discord/interactions, and hands
   * the answer to the Discord emulator as Discord takes a first response (dev/discord-harness.ts's send).
   */
  sendDiscord(payload: { id: string; token: string }): Promise<DiscordAnswer>;
  /** POSTs what Mattermost sends (a command's form body, a dialog's or a button's JSON) to a path of netlify dev. */
  sendMattermost(path: string, body: string | Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> | undefined; text: string }>;
  /**
   * Signs `activity` as the Bot Connector does (the Teams emulator's key, a token for the activity's
   * serviceUrl) and POSTs it to netlify dev's /teams/messages; `authorization` replaces that header (null: none).
   */
  sendTeams(activity: Record<string, unknown>, options?: { authorization?: string | null }): Promise<TeamsAnswer>;
  /** netlify dev's answer to the bot being added to TEAMS_REVIEW_CONVERSATION's team, sent once it started. */
  teamsReviewAdded: TeamsAnswer;
  /** Runs a scheduled function by hand, as netlify dev allows. */
  runSchedule(name: string): Promise<Response>;
  /** What netlify dev printed while it started, kept whole whatever it prints later. */
  startOutput: string;
}

let running: Stack | undefined;
let project: string | undefined;

/** The running stack; only inside a test (the stack starts in the file's beforeAll). */
export function stack(): Stack {
  if (!running) throw new Error("the e2e stack is not running: import flows from test/e2e/netlify-dev.test.ts or netlify-dev-chats.test.ts");
  return running;
}

/** Starts the emulators and netlify dev; the board has no Request ID property, as a team's own board often does not. */
export async function startStack(): Promise<Stack> {
  const slack = await startSlackEmulator({ token: TEST_SLACK_TOKEN, triggerLifetimeMs: NETLIFY_DEV_TRIGGER_LIFETIME_MS });
  // A first response may come as late as a Slack trigger_id may be used: netlify dev starts a worker per request.
  const discord = await startDiscordEmulator({ initialResponseMs: NETLIFY_DEV_TRIGGER_LIFETIME_MS, channels: [DISCORD_REVIEW_CHANNEL] });
  // A trigger_id opens a dialog for as long as a Slack one does here, for the same reason.
  const mattermost = await startMattermostEmulator({ triggerLifetimeMs: NETLIFY_DEV_TRIGGER_LIFETIME_MS });
  const teams = await startTeamsEmulator();
  const keys = discordKeyPair();
  const notion = await startNotionEmulator({ token: TEST_NOTION_TOKEN });
  const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema({ "Request ID": null }) });
  // A copy of the project, so the run starts with an empty local Blobs store (netlify dev keeps it
  // in the served folder's .netlify/) and neither disturbs nor is disturbed by another netlify dev.
  project = snapshotProject("chatops-e2e-");
  const discordEnv = {
    DISCORD_APPLICATION_ID: DISCORD_SEED.applicationId,
    DISCORD_PUBLIC_KEY: keys.publicKeyHex,
    DISCORD_BOT_TOKEN: DISCORD_SEED.botToken,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_REVIEW_CHANNEL_ID: DISCORD_REVIEW_CHANNEL,
  };
  const mattermostEnv = {
    MATTERMOST_URL: mattermost.url,
    MATTERMOST_BOT_TOKEN: MATTERMOST_SEED.botToken,
    MATTERMOST_COMMAND_TOKEN: MATTERMOST_SEED.commandToken,
    MATTERMOST_REVIEW_CHANNEL_ID: MATTERMOST_SEED.review,
  };
  const teamsEnv = {
    TEAMS_APP_ID: TEAMS_SEED.appId,
    TEAMS_APP_PASSWORD: TEAMS_SEED.appPassword,
    TEAMS_TENANT_ID: TEAMS_SEED.tenantId,
    TEAMS_OPENID_URL: teams.openIdUrl,
    // Microsoft's form, the tenant in the path: the emulator refuses another tenant as Entra ID does.
    TEAMS_TOKEN_URL: teams.tenantTokenUrl(),
    TEAMS_SERVICE_URL_ALLOW: teams.origin,
    TEAMS_REVIEW_CONVERSATION_ID: TEAMS_REVIEW_CONVERSATION,
  };
  const dev = await startNetlifyDev({ ...emulatorEnv(slack, notion, board.databaseId), ...discordEnv, ...mattermostEnv, ...teamsEnv }, { cwd: project });
  // Notion's webhook subscription points at netlify dev's /notion/webhooks, signed with NOTION_WEBHOOK_SECRET.
  notion.configureWebhooks({ url: `${dev.url}/notion/webhooks`, token: TEST_NOTION_WEBHOOK_SECRET });
  async function sendTeams(activity: Record<string, unknown>, options: { authorization?: string | null } = {}): Promise<TeamsAnswer> {
    const serviceUrl = typeof activity.serviceUrl === "string" ? activity.serviceUrl : teams.serviceUrl;
    const authorization = options.authorization === undefined ? teams.authorization({ serviceUrl }) : options.authorization;
    const headers = { "content-type": "application/json", ...(authorization === null ? {} : { authorization }) };
    // netlify dev starts a worker per request: waiting longer than Teams waits for an invoke's answer shows a slow answer rather than losing it.
    const response = await fetch(`${dev.url}/teams/messages`, { method: "POST", headers, body: JSON.stringify(activity), signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    let json: TeamsAnswer["json"];
    try {
      json = JSON.parse(text) as TeamsAnswer["json"];
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text };
  }
  const startOutput = dev.output();
  // The bot added to the review channel's team before any flow runs, as a team sets it up: Teams sends
  // conversationUpdate, and the bot keeps the reference it needs to post there. Without it every flow's
  // run of the weekly review would fail on Teams (no reference kept), and the run with it.
  const reviewAdded = { ...teamsMessage(teams.serviceUrl, "", { conversation: { id: TEAMS_REVIEW_CONVERSATION, conversationType: "channel" } }), type: "conversationUpdate", text: undefined, membersAdded: [{ id: `28:${TEAMS_SEED.appId}` }] };
  const teamsReviewAdded = await sendTeams(reviewAdded);
  running = {
    slack,
    discord,
    mattermost,
    teams,
    notion,
    dev,
    board,
    post: (path, body) => sendSigned(`${dev.url}${path}`, body),
    async sendDiscord(payload) {
      const body = JSON.stringify(payload);
      // Discord waits 3 s (the emulator here, 30 s); waiting longer shows a slow answer rather than losing it.
      const response = await fetch(`${dev.url}/discord/interactions`, { method: "POST", headers: discordSignedHeaders(body, keys.privateKey), body, signal: AbortSignal.timeout(30_000) });
      const text = await response.text();
      let json: DiscordAnswer["json"];
      try {
        json = JSON.parse(text) as DiscordAnswer["json"];
      } catch {
        json = undefined;
      }
      const refused = response.status === 200 && json?.type !== 1 ? discord.receiveHttpResponse(payload, json) : undefined;
      return { status: response.status, json, text, refused };
    },
    async sendMattermost(path, body) {
      const form = typeof body === "string";
      const response = await fetch(`${dev.url}${path}`, { method: "POST", headers: { "content-type": form ? "application/x-www-form-urlencoded" : "application/json" }, body: form ? body : JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
      const text = await response.text();
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      return { status: response.status, json, text };
    },
    sendTeams,
    teamsReviewAdded,
    runSchedule: (name) => fetch(`${dev.url}/.netlify/functions/${name}`, { method: "POST", signal: AbortSignal.timeout(30_000) }),
    startOutput,
  };
  return running;
}

export async function stopStack(): Promise<void> {
  const stopping = running;
  running = undefined;
  await stopping?.dev.stop();
  await Promise.all([stopping?.slack.close(), stopping?.discord.close(), stopping?.mattermost.close(), stopping?.teams.close(), stopping?.notion.close()]);
  if (project) rmSync(project, { recursive: true, force: true });
}
