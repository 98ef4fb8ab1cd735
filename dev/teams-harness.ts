/**
 * What a Teams integration test needs: the Teams emulator (OpenID configuration, keys, token
 * endpoint, connector), the Notion emulator with a task board, the real Blobs server, and the real
 * teams-messages handler wired to them through env (as Netlify would), with Teams' variables only.
 * `send` posts an activity with the Bot Connector's Authorization header, as Teams delivers it.
 */
import { createTeamsMessagesHandler, type AppOptions, type createScheduleHandler, type Handler } from "../src/handlers.js";
import { deferredWork, runScheduleOnce } from "./deferred-work.js";
import type { IntentRoutes } from "../src/routes.js";
import { createBlobsStore, type Store } from "../src/store/store.js";
import { startBlobsEmulator, type BlobsEmulator } from "./blobs-server.js";
import { TEST_NOTION_TOKEN } from "./emulator-env.js";
import { startNotionEmulator, taskBoardSchema, type NotionEmulator } from "./notion-emulator.js";
import { startTeamsEmulator, TEAMS_SEED, type TeamsEmulator } from "./teams-emulator.js";

export interface TeamsHarnessOptions {
  /** Added to (or, with "", blanking) the Teams-only env. */
  env?: Record<string, string>;
  routes?: IntentRoutes;
  now?: () => number;
  ackDeadlineMs?: number;
  /** The fetch behind every client (a test's, to see every URL the bot calls). */
  fetch?: typeof fetch;
  /** Per call to the connector and the token endpoint, to Notion, to the store: short for the service a test makes fail. */
  teamsTimeoutMs?: number;
  notionTimeoutMs?: number;
  storeTimeoutMs?: number;
}

export interface TeamsAnswer {
  status: number;
  json: Record<string, unknown> | undefined;
  text: string;
}

export interface TeamsHarness {
  teams: TeamsEmulator;
  notion: NotionEmulator;
  blobs: BlobsEmulator;
  board: { databaseId: string; dataSourceId: string };
  store: Store;
  env: Record<string, string>;
  logs: string[];
  handler: Handler;
  /** A new instance of the function on the same emulators and store, as Netlify starts one: no keys, no token, no cache yet. */
  coldStart(): void;
  /** Posts `activity` with a valid Authorization for its serviceUrl, or `authorization` as given (null: none). */
  send(activity: Record<string, unknown>, options?: { authorization?: string | null; body?: string }): Promise<TeamsAnswer>;
  /** Runs a scheduled function with this env, as Netlify's scheduler does. */
  runSchedule(name: Parameters<typeof createScheduleHandler>[0]): Promise<{ status: number; json: Record<string, unknown> }>;
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the emulators and builds a fresh handler on them, with only Notion's and Teams' variables. */
export async function startTeamsHarness(options: TeamsHarnessOptions = {}): Promise<TeamsHarness> {
  const now = options.now ?? Date.now;
  const teams = await startTeamsEmulator({ now });
  const notion = await startNotionEmulator({ token: TEST_NOTION_TOKEN });
  const blobs = await startBlobsEmulator();
  const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema() });
  const env: Record<string, string> = {
    NOTION_TOKEN: TEST_NOTION_TOKEN,
    NOTION_DATABASE_ID: board.databaseId,
    NOTION_API_URL: notion.url,
    TEAMS_APP_ID: TEAMS_SEED.appId,
    TEAMS_APP_PASSWORD: TEAMS_SEED.appPassword,
    TEAMS_TENANT_ID: TEAMS_SEED.tenantId,
    TEAMS_OPENID_URL: teams.openIdUrl,
    TEAMS_TOKEN_URL: teams.tokenUrl,
    TEAMS_SERVICE_URL_ALLOW: teams.origin,
    ...options.env,
  };
  const logs: string[] = [];
  const appOptions: AppOptions = {
    env,
    logSink: (line) => logs.push(line),
    blobs: blobs.connection,
    storeTimeoutMs: options.storeTimeoutMs ?? 5_000,
    sleep: async () => undefined,
    now,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.teamsTimeoutMs !== undefined ? { teamsTimeoutMs: options.teamsTimeoutMs } : {}),
    ...(options.notionTimeoutMs !== undefined ? { notionTimeoutMs: options.notionTimeoutMs } : {}),
    ...(options.ackDeadlineMs !== undefined ? { ackDeadlineMs: options.ackDeadlineMs } : {}),
  };
  const build = () => createTeamsMessagesHandler({ ...appOptions, ...(options.routes ? { routes: options.routes } : {}) });
  let handler = build();
  const deferred = deferredWork();
  const { context } = deferred;
  return {
    teams,
    notion,
    blobs,
    board,
    store: createBlobsStore({ connection: blobs.connection, timeoutMs: 5_000 }),
    env,
    logs,
    get handler() {
      return handler;
    },
    coldStart() {
      handler = build();
    },
    async send(activity, sendOptions = {}) {
      const body = sendOptions.body ?? JSON.stringify(activity);
      const serviceUrl = typeof activity.serviceUrl === "string" ? activity.serviceUrl : teams.serviceUrl;
      const authorization = sendOptions.authorization === undefined ? teams.authorization({ serviceUrl }) : sendOptions.authorization;
      const request = new Request("http://localhost/teams/messages", { method: "POST", headers: { "content-type": "application/json", ...(authorization === null ? {} : { authorization }) }, body });
      const response = await handler(request, context);
      const text = await response.text();
      let json: TeamsAnswer["json"];
      try {
        json = JSON.parse(text) as TeamsAnswer["json"];
      } catch {
        json = undefined;
      }
      return { status: response.status, json, text };
    },
    runSchedule: (name) => runScheduleOnce(name, appOptions, context, now),
    settle: () => deferred.settle(),
    async close() {
      await deferred.drain();
      await Promise.all([teams.close(), notion.close(), blobs.close()]);
    },
  };
}

let minted = 0;
/** An activity id as Teams makes them (digits), unique within a run. */
const activityId = () => `17${String(Date.now()).slice(-8)}${String(++minted).padStart(4, "0")}`;

/** A message activity from Alice, in her personal chat with the bot unless `conversation` says otherwise (Activity schema, trimmed). */
export function teamsMessage(serviceUrl: string, text: string, options: { conversation?: { id: string; conversationType: string }; from?: { id: string; name: string }; tenantId?: string; id?: string } = {}): Record<string, unknown> {
  const tenantId = options.tenantId ?? TEAMS_SEED.tenantId;
  return {
    type: "message",
    id: options.id ?? activityId(),
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: "msteams",
    from: options.from ?? { id: TEAMS_SEED.alice.id, name: TEAMS_SEED.alice.name, aadObjectId: TEAMS_SEED.alice.aadObjectId },
    conversation: { ...(options.conversation ?? { id: TEAMS_SEED.personal, conversationType: "personal" }), tenantId },
    recipient: { id: `28:${TEAMS_SEED.appId}`, name: "chatops" },
    text,
    textFormat: "plain",
    channelData: { tenant: { id: tenantId } },
  };
}

/** An invoke activity (`task/fetch`, `adaptiveCard/action`, …) from Alice with `value`. */
export function teamsInvoke(serviceUrl: string, name: string, value: unknown, options: { conversation?: { id: string; conversationType: string }; replyToId?: string; id?: string } = {}): Record<string, unknown> {
  return { ...teamsMessage(serviceUrl, "", options), type: "invoke", name, value, text: undefined, ...(options.replyToId ? { replyToId: options.replyToId } : {}) };
}
