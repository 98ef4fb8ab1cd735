/**
 * What a Mattermost integration test needs: the Mattermost emulator, the Notion emulator with a task
 * board, the real Blobs server, and the three real Mattermost handlers wired to them through env (as
 * Netlify would), with Mattermost's variables only. Each act is sent as Mattermost sends it: the
 * command's form body with its token, a dialog's submission to the dialog's `url`, a button's action
 * to its `integration.url` (each routed by its path to its handler, as Netlify routes them).
 */
import { createMattermostActionsHandler, createMattermostCommandsHandler, createMattermostDialogsHandler, type AppOptions, type createScheduleHandler, type Handler } from "../src/handlers.js";
import { deferredWork, runScheduleOnce } from "./deferred-work.js";
import type { IntentRoutes } from "../src/routes.js";
import { createBlobsStore, type Store } from "../src/store/store.js";
import { startBlobsEmulator, type BlobsEmulator } from "./blobs-server.js";
import { TEST_NOTION_TOKEN } from "./emulator-env.js";
import { HEALTHY_TIMEOUT_MS } from "./harness.js";
import { MATTERMOST_SEED, startMattermostEmulator, type EmulatedDialog, type EmulatedPost, type MattermostEmulator } from "./mattermost-emulator.js";
import { startNotionEmulator, taskBoardSchema, type NotionEmulator } from "./notion-emulator.js";

/** The site the handlers are reached at: where buttons and dialogs post back. */
export const SITE_URL = "https://chatops.example";

export interface MattermostHarnessOptions {
  /** Added to (or, with "", blanking) the Mattermost-only env. */
  env?: Record<string, string>;
  /** The port's routing table each handler uses (each one's own by default). */
  routes?: Partial<IntentRoutes>;
  ackDeadlineMs?: number;
  /** The handlers' clock (ms): signatures' expiries follow it. */
  now?: () => number;
  /** The emulator's clock (ms): the trigger_id's 3 s follow it. */
  mattermostNow?: () => number;
  /** The fetch behind every client (a test records where the bot calls). */
  fetch?: typeof fetch;
  /** Per Mattermost call, and per Notion call: HEALTHY_TIMEOUT_MS unless the test makes that service fail (FAULTED_TIMEOUT_MS). */
  mattermostTimeoutMs?: number;
  notionTimeoutMs?: number;
}

export interface MattermostAnswer {
  status: number;
  json: Record<string, unknown> | undefined;
  text: string;
}

export interface MattermostHarness {
  mattermost: MattermostEmulator;
  notion: NotionEmulator;
  /** The task board: its pages are the tasks (`notion.pages(board.dataSourceId)`). */
  board: ReturnType<NotionEmulator["addDatabase"]>;
  blobs: BlobsEmulator;
  store: Store;
  env: Record<string, string>;
  logs: string[];
  handlers: { commands: Handler; actions: Handler; dialogs: Handler };
  /** `/task <text>` as Mattermost posts it (its token unless `token` or `headers` say otherwise). */
  command(text: string, options?: { userId?: string; channelId?: string; token?: string; headers?: Record<string, string>; responseUrl?: string; triggerId?: string }): Promise<MattermostAnswer>;
  /** Submits a dialog the bot opened, with these values, to the dialog's url. */
  submit(dialog: EmulatedDialog, values: Record<string, string | null>, options?: { userId?: string; body?: Record<string, unknown> }): Promise<MattermostAnswer>;
  /** Presses a post's button, by its name, as Mattermost posts the action to its integration URL. */
  press(post: EmulatedPost, buttonName: string, options?: { userId?: string }): Promise<MattermostAnswer>;
  /** Posts a raw body to one of the three paths. */
  post(path: "/mattermost/commands" | "/mattermost/actions" | "/mattermost/dialogs", body: string, headers?: Record<string, string>): Promise<MattermostAnswer>;
  runSchedule(name: Parameters<typeof createScheduleHandler>[0]): Promise<{ status: number; json: Record<string, unknown> }>;
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the emulators and builds fresh handlers on them, with only Notion's and Mattermost's variables. */
export async function startMattermostHarness(options: MattermostHarnessOptions = {}): Promise<MattermostHarness> {
  const mattermost = await startMattermostEmulator(options.mattermostNow ? { now: options.mattermostNow } : {});
  const notion = await startNotionEmulator({ token: TEST_NOTION_TOKEN });
  const blobs = await startBlobsEmulator();
  const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema() });
  const env: Record<string, string> = {
    NOTION_TOKEN: TEST_NOTION_TOKEN,
    NOTION_DATABASE_ID: board.databaseId,
    NOTION_API_URL: notion.url,
    MATTERMOST_URL: mattermost.url,
    MATTERMOST_BOT_TOKEN: MATTERMOST_SEED.botToken,
    MATTERMOST_COMMAND_TOKEN: MATTERMOST_SEED.commandToken,
    URL: SITE_URL,
    ...options.env,
  };
  const logs: string[] = [];
  const now = options.now ?? Date.now;
  const appOptions: AppOptions = {
    env,
    logSink: (line) => logs.push(line),
    blobs: blobs.connection,
    storeTimeoutMs: 5_000,
    mattermostTimeoutMs: options.mattermostTimeoutMs ?? HEALTHY_TIMEOUT_MS,
    ...(options.notionTimeoutMs !== undefined ? { notionTimeoutMs: options.notionTimeoutMs } : {}),
    sleep: async () => undefined,
    now,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.ackDeadlineMs !== undefined ? { ackDeadlineMs: options.ackDeadlineMs } : {}),
  };
  const routes = options.routes ? { routes: options.routes } : {};
  const handlers = {
    commands: createMattermostCommandsHandler({ ...appOptions, ...routes }),
    actions: createMattermostActionsHandler({ ...appOptions, ...routes }),
    dialogs: createMattermostDialogsHandler({ ...appOptions, ...routes }),
  };
  const deferred = deferredWork();
  const { context } = deferred;

  async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<MattermostAnswer> {
    const handler = path === "/mattermost/commands" ? handlers.commands : path === "/mattermost/actions" ? handlers.actions : path === "/mattermost/dialogs" ? handlers.dialogs : undefined;
    if (handler === undefined) throw new Error(`no function serves ${path}`);
    const response = await handler(new Request(`${SITE_URL}${path}`, { method: "POST", headers, body }), context);
    const text = await response.text();
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text };
  }

  return {
    mattermost,
    notion,
    board,
    blobs,
    store: createBlobsStore({ connection: blobs.connection, timeoutMs: 5_000 }),
    env,
    logs,
    handlers,
    command(text, commandOptions = {}) {
      const body = mattermost.commandBody({ text, ...commandOptions });
      return post("/mattermost/commands", body, { "content-type": "application/x-www-form-urlencoded", ...commandOptions.headers });
    },
    submit(dialog, values, submitOptions = {}) {
      const body = submitOptions.body ?? mattermost.dialogSubmission(dialog, values, submitOptions.userId ? { userId: submitOptions.userId } : {});
      return post(new URL(dialog.url).pathname, JSON.stringify(body), { "content-type": "application/json" });
    },
    async press(target, buttonName, pressOptions = {}) {
      const action = mattermost.actionRequest(target, buttonName, pressOptions);
      if (action === undefined) throw new Error(`no button ${buttonName} on the post`);
      const answer = await post(new URL(action.url).pathname, JSON.stringify(action.body), { "content-type": "application/json" });
      // Mattermost applies the answer: the post redrawn, the person told.
      if (answer.status === 200) mattermost.receiveActionResponse(target, String(action.body.user_id), answer.json);
      return answer;
    },
    post,
    runSchedule: (name) => runScheduleOnce(name, appOptions, context, now),
    settle: () => deferred.settle(),
    async close() {
      await deferred.drain();
      await Promise.all([mattermost.close(), notion.close(), blobs.close()]);
    },
  };
}
