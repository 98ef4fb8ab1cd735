/**
 * The sandbox's own loopback endpoints, for the Slack CLI in another process: what only Slack itself
 * could do (mint a trigger_id or a response_url, add a message a person wrote) and a read-only view
 * of both emulators (messages, modals, response_url answers, the board's pages). The emulators stay
 * untouched: this server holds them in-process and answers for them.
 *
 *   GET  /_sandbox/state         everything the CLI shows
 *   GET  /_sandbox/activity      a counter that moves on every Slack or Notion call, to wait for quiet
 *   GET  /_sandbox/board         { data_source }: the board's schema, as data_sources.retrieve returns it
 *   POST /_sandbox/trigger       { user }                            -> { trigger_id }
 *   POST /_sandbox/response-url  { channel, user }                   -> { response_url }
 *   POST /_sandbox/messages      { channel, author, text, thread_ts? } -> { message }
 *   POST /_sandbox/notion/status { page, status, by? }               -> { page, delivery }  (as a person in Notion, or "bot")
 *   POST /_sandbox/notion/handshake                                  -> { delivery }
 *   /_sandbox/discord/…          Discord's: state, messages, interactions, answers (sandbox-control-discord.ts)
 *   /_sandbox/mattermost/…       Mattermost's: state, a command's body, a dialog's submission, a button's action and answer, posts (sandbox-control-mattermost.ts)
 *   /_sandbox/teams/…            Teams': state (the bot's messages per conversation, people's, dialogs), a person's message, a dialog kept (sandbox-control-teams.ts)
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as z from "zod/mini";
import type { NotionEmulator, WebhookDelivery } from "../../dev/notion-emulator.js";
import { readBody } from "../../dev/serve-handler.js";
import type { SlackEmulator } from "../../dev/slack-emulator.js";
import type { DiscordEmulator } from "../../dev/discord-emulator.js";
import { discordControlClient, discordRoutes, type DiscordControlClient, type DiscordDirectory } from "./sandbox-control-discord.js";
import { mattermostControlClient, mattermostRoutes, type MattermostControlClient, type MattermostDirectory } from "./sandbox-control-mattermost.js";
import type { MattermostEmulator } from "../../dev/mattermost-emulator.js";
import type { TeamsEmulator } from "../../dev/teams-emulator.js";
import { teamsControlClient, teamsRoutes, type TeamsControlClient, type TeamsDirectory } from "./sandbox-control-teams.js";
import { activitySchema, boardSchema, deliverySchema, messageRequest, messageSchema, named, responseUrlRequest, stateSchema, statusChangeSchema, statusRequest, triggerRequest } from "./sandbox-control-shapes.js";
import type { SandboxMessage, SandboxPage, SandboxState, Activity, SandboxBoard, SandboxDelivery } from "./sandbox-control-shapes.js";

export type { SandboxMessage, SandboxView, SandboxHome, SandboxResponse, SandboxPage, SandboxState, Activity, SandboxBoard, SandboxDelivery } from "./sandbox-control-shapes.js";

// ---------------------------------------------------------------------------------------------
// Server (in the sandbox process)

export interface SandboxControlOptions {
  slack: SlackEmulator;
  notion: NotionEmulator;
  dataSourceId: string;
  /** The Slack emulator's state file: users and channels are read from it. */
  slackStatePath: string;
  port: number;
  /** The Discord emulator and the guild it plays, when the sandbox serves Discord. */
  discord?: { emulator: DiscordEmulator; directory: DiscordDirectory } | undefined;
  /** The Mattermost emulator and the team it plays, when the sandbox serves Mattermost. */
  mattermost?: { emulator: MattermostEmulator; directory: MattermostDirectory } | undefined;
  /** The Teams emulator and the tenant it plays, when the sandbox serves Teams. */
  teams?: { emulator: TeamsEmulator; directory: TeamsDirectory } | undefined;
  /** Requests and deferred work the functions have under way, when whatever serves them can say (see FunctionsServer.busy). */
  busy?: () => number | undefined;
}

export interface SandboxControl {
  url: string;
  close(): Promise<void>;
}

/** A request the control server refuses before doing anything: answered 400. */
class BadRequest extends Error {}

/** Starts the control endpoints on a loopback port. */
export async function startSandboxControl(options: SandboxControlOptions): Promise<SandboxControl> {
  const { slack, notion } = options;
  const origins = new Map<string, { channel: string; user: string }>();

  const directory = () => {
    const file = existsSync(options.slackStatePath) ? (JSON.parse(readFileSync(options.slackStatePath, "utf8")) as unknown) : {};
    const parsed = z.object({ users: z.array(z.looseObject(named.shape)), channels: z.array(z.looseObject(named.shape)) }).safeParse(file);
    return parsed.success ? parsed.data : { users: [], channels: [] };
  };
  const discord = options.discord?.emulator;
  const mattermost = options.mattermost?.emulator;
  const teams = options.teams?.emulator;
  const activity = () =>
    slack.calls.length +
    slack.responses.length +
    notion.requests.length +
    (discord ? discord.calls.length + discord.interactions.filter((i) => i.response !== undefined).length : 0) +
    (mattermost ? mattermost.calls.length : 0) +
    (teams ? teams.calls.length : 0);

  const routes: Record<string, (body: unknown) => unknown | Promise<unknown>> = {
    // Typed as what goes over the wire; the client checks it against stateSchema.
    "GET /_sandbox/state": () => {
      const { users, channels } = directory();
      return {
        users: users.map(({ id, name }) => ({ id, name })),
        channels: channels.map(({ id, name }) => ({ id, name })),
        messages: slack.messages.map((message) => ({ ...message, blocks: message.blocks })),
        views: slack.views.map(({ id, hash, view, trigger_id, user }) => ({ id, hash, view, trigger_id, user })),
        homes: slack.homes.map(({ user, id, hash, view }) => ({ user, id, hash, view })),
        responses: slack.responses.map((response) => ({ ...response, ...origins.get(response.url) })),
        pages: notion.pages(options.dataSourceId),
        activity: activity(),
      };
    },
    "GET /_sandbox/activity": () => {
      const functions = options.busy?.();
      // Notion's webhook deliveries under way are work the functions are about to get.
      return { activity: activity(), ...(functions === undefined ? {} : { busy: functions + notion.webhooks.underWay() }) };
    },
    // Read in-process: a request to the emulator would move the activity counter.
    "GET /_sandbox/board": () => ({ data_source: notion.dataSource(options.dataSourceId) }),
    "POST /_sandbox/trigger": (body) => ({ trigger_id: slack.triggerId(parse(triggerRequest, body).user) }),
    "POST /_sandbox/response-url": (body) => {
      const origin = parse(responseUrlRequest, body);
      const url = slack.responseUrl();
      origins.set(url, origin);
      return { response_url: url };
    },
    "POST /_sandbox/notion/status": async (body) => {
      const { page: pageId, status, by } = parse(statusRequest, body);
      const page = notion.pages(options.dataSourceId).find((candidate) => candidate.id === pageId && !candidate.in_trash);
      if (!page) throw new BadRequest(`no task with the id ${pageId} on the board`);
      // Someone other than the Slack users by default, so the message plainly comes from Notion.
      const author = by === "bot" ? ("bot" as const) : { id: notionPerson(notion, by ?? DEFAULT_NOTION_PERSON), type: "person" as const };
      let delivery;
      try {
        delivery = await notion.setStatus(page.id, status, { by: author });
      } catch (error) {
        throw new BadRequest(error instanceof Error ? error.message : String(error));
      }
      return { page: notion.page(page.id), delivery: delivery && describeDelivery(delivery) };
    },
    "POST /_sandbox/notion/handshake": async () => ({ delivery: describeDelivery(await notion.sendHandshake()) }),
    "POST /_sandbox/messages": (body) => {
      const { channel, author, text, thread_ts } = parse(messageRequest, body);
      try {
        return { message: slack.postUserMessage({ channel, author, text, ...(thread_ts === undefined ? {} : { thread_ts }) }) };
      } catch (error) {
        throw new BadRequest(error instanceof Error ? error.message : String(error));
      }
    },
    ...(options.discord ? discordRoutes(options.discord.emulator, options.discord.directory, parse, (message) => new BadRequest(message)) : {}),
    ...(options.mattermost ? mattermostRoutes(options.mattermost.emulator, options.mattermost.directory, parse, (message) => new BadRequest(message)) : {}),
    ...(options.teams ? teamsRoutes(options.teams.emulator, options.teams.directory, parse, (message) => new BadRequest(message)) : {}),
  };

  const server = createServer((request, response) => void serve(request, response));
  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const route = routes[`${request.method} ${path}`];
    const reply = (status: number, body: unknown) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (!route) return void reply(404, { error: `no ${request.method} ${path}` });
    try {
      const text = await readBody(request);
      reply(200, await route(text === "" ? undefined : (JSON.parse(text) as unknown)));
    } catch (error) {
      const status = error instanceof BadRequest || error instanceof SyntaxError ? 400 : 500;
      reply(status, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => closeServer(server),
  };
}

/** Who changes a status "in Notion" when the CLI does not say (`--by`). */
export const DEFAULT_NOTION_PERSON = "Nora Notion";

/** The Notion person named `name` in the emulator, added when there is none: who "changes it in Notion". */
function notionPerson(notion: NotionEmulator, name: string): string {
  return notion.users().find((user) => user.type === "person" && user.name?.toLowerCase() === name.toLowerCase())?.id ?? notion.addUser({ name }).id;
}

function describeDelivery(delivery: WebhookDelivery): SandboxDelivery {
  const event = delivery.event;
  return {
    type: typeof event?.["type"] === "string" ? event["type"] : "handshake",
    ...(typeof event?.["id"] === "string" ? { event_id: event["id"] } : {}),
    ...(delivery.status === undefined ? {} : { status: delivery.status }),
    ...(delivery.error === undefined ? {} : { error: delivery.error }),
  };
}

function parse<T>(schema: z.ZodMiniType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new BadRequest(`bad request: ${parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}`);
  return parsed.data;
}


function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

// ---------------------------------------------------------------------------------------------
// Client (in the Slack CLI)

export interface SandboxControlClient {
  state(): Promise<SandboxState>;
  /**
   * A counter that moves on every Slack or Notion call; `busy`, when the functions can say, is the
   * work they have under way (0: the bot is done).
   */
  activity(): Promise<Activity>;
  board(): Promise<SandboxBoard>;
  triggerId(user: string): Promise<string>;
  responseUrl(origin: { channel: string; user: string }): Promise<string>;
  postUserMessage(message: { channel: string; author: string; text: string; thread_ts?: string | undefined }): Promise<SandboxMessage>;
  /** Changes a task's status (`page`: its id) in Notion as `by` (a person's name, or "bot"), which sends Notion's webhook event. */
  setNotionStatus(change: { page: string; status: string; by?: string | undefined }): Promise<{ page: SandboxPage; delivery?: SandboxDelivery | undefined }>;
  /** Sends Notion's handshake to the functions. */
  notionHandshake(): Promise<SandboxDelivery>;
  /** What Discord does for the sandbox: its guild's state, a person's message, an interaction's id and token, the bot's answer taken. */
  discord: DiscordControlClient;
  /** What Mattermost does for the sandbox: its team's posts and dialogs, a command's body, a dialog's submission, a button's action and its answer taken. */
  mattermost: MattermostControlClient;
  /** What Teams shows for the sandbox: each conversation's messages, dialogs opened, a person's message. */
  teams: TeamsControlClient;
}

/** The control server refused a request (400) before doing anything: what it said is in the message. */
export class SandboxRefused extends Error {}

/** Talks to a running sandbox's control endpoints; every answer is checked against its shape; a refusal rejects with SandboxRefused. */
export function createSandboxControlClient(baseUrl: string): SandboxControlClient {
  async function call<T>(method: "GET" | "POST", path: string, schema: z.ZodMiniType<T>, body?: unknown): Promise<T> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const json: unknown = await response.json();
    if (!response.ok) {
      const error = z.object({ error: z.string() }).safeParse(json);
      const said = error.success ? error.data.error : String(response.status);
      if (response.status === 400) throw new SandboxRefused(said);
      throw new Error(`sandbox ${path}: ${said}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new Error(`sandbox ${path} answered something this CLI does not understand: restart npm run sandbox`);
    return parsed.data;
  }
  return {
    state: () => call("GET", "/_sandbox/state", stateSchema),
    activity: () => call("GET", "/_sandbox/activity", activitySchema),
    board: async () => (await call("GET", "/_sandbox/board", z.object({ data_source: boardSchema }))).data_source,
    triggerId: async (user) => (await call("POST", "/_sandbox/trigger", z.object({ trigger_id: z.string() }), { user })).trigger_id,
    responseUrl: async (origin) => (await call("POST", "/_sandbox/response-url", z.object({ response_url: z.string() }), origin)).response_url,
    postUserMessage: async (message) => (await call("POST", "/_sandbox/messages", z.object({ message: messageSchema }), message)).message,
    setNotionStatus: (change) => call("POST", "/_sandbox/notion/status", statusChangeSchema, change),
    notionHandshake: async () => (await call("POST", "/_sandbox/notion/handshake", z.object({ delivery: deliverySchema }))).delivery,
    discord: discordControlClient(call),
    mattermost: mattermostControlClient(call),
    teams: teamsControlClient(call),
  };
}
