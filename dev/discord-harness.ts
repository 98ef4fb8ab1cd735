/**
 * What a Discord integration test needs: the Discord emulator, the Notion emulator with a task board,
 * the real Blobs server, and the real discord-interactions handler wired to them through env (as
 * Netlify would), with Discord's variables only. `send` signs an interaction as Discord does, calls
 * the handler, and hands its HTTP answer to the emulator as Discord would take it (the same checks
 * and windows as the callback route), so what the bot does later through the token finds it there.
 */
import { createDiscordInteractionsHandler, type AppOptions, type createScheduleHandler, type Handler } from "../src/handlers.js";
import { deferredWork, runScheduleOnce } from "./deferred-work.js";
import type { IntentRoutes } from "../src/routes.js";
import { createBlobsStore, type Store } from "../src/store/store.js";
import { startBlobsEmulator, type BlobsEmulator } from "./blobs-server.js";
import { DISCORD_SEED, startDiscordEmulator, type DiscordEmulator } from "./discord-emulator.js";
import { discordKeyPair, signedInteraction, type DiscordKeyPair } from "./discord-signed.js";
import { TEST_NOTION_TOKEN } from "./emulator-env.js";
import { startNotionEmulator, taskBoardSchema, type NotionEmulator } from "./notion-emulator.js";

export interface DiscordHarnessOptions {
  /** Added to (or, with "", blanking) the Discord-only env. */
  env?: Record<string, string>;
  /** The port's routing table the handler uses (the real one by default). */
  routes?: IntentRoutes;
  ackDeadlineMs?: number;
  /** The handlers' clock (ms): signatures are dated by it too. */
  now?: () => number;
  /** The emulator's clock (ms): the 3 s and 15 min windows follow it. */
  discordNow?: () => number;
  storeTimeoutMs?: number;
  /** Per Discord call (DISCORD_TIMEOUT_MS by default): short where a test makes a call hang. */
  discordTimeoutMs?: number;
  /** Changes to the task board's properties (taskBoardSchema's overrides: a property, or null to leave it out). */
  board?: Parameters<typeof taskBoardSchema>[0];
}

export interface DiscordAnswer {
  status: number;
  /** The answer's JSON, when it was JSON. */
  json: { type?: number; data?: Record<string, unknown> } | undefined;
  text: string;
  /** Discord's refusal of the answer (its JSON error), when the emulator refused it. */
  refused: { code: number; message: string } | undefined;
}

export interface DiscordHarness {
  discord: DiscordEmulator;
  notion: NotionEmulator;
  blobs: BlobsEmulator;
  /** The store as the handler sees it, for assertions. */
  store: Store;
  pair: DiscordKeyPair;
  env: Record<string, string>;
  logs: string[];
  handler: Handler;
  /** Signs `payload` (an interaction body) and posts it; its answer goes to the emulator unless `deliver` is false. */
  send(payload: { id?: string; token?: string }, options?: { timestamp?: number; headers?: Record<string, string>; body?: string; deliver?: boolean }): Promise<DiscordAnswer>;
  /** Runs a scheduled function with this env, as Netlify's scheduler does. */
  runSchedule(name: Parameters<typeof createScheduleHandler>[0]): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Waits for all work handed to waitUntil so far (and any it started). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the emulators and builds a fresh handler on them, with only Notion's and Discord's variables. */
export async function startDiscordHarness(options: DiscordHarnessOptions = {}): Promise<DiscordHarness> {
  const discord = await startDiscordEmulator(options.discordNow ? { now: options.discordNow } : {});
  const notion = await startNotionEmulator({ token: TEST_NOTION_TOKEN });
  const blobs = await startBlobsEmulator();
  const pair = discordKeyPair();
  const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema(options.board) });
  const env: Record<string, string> = {
    NOTION_TOKEN: TEST_NOTION_TOKEN,
    NOTION_DATABASE_ID: board.databaseId,
    NOTION_API_URL: notion.url,
    DISCORD_APPLICATION_ID: DISCORD_SEED.applicationId,
    DISCORD_PUBLIC_KEY: pair.publicKeyHex,
    DISCORD_BOT_TOKEN: DISCORD_SEED.botToken,
    DISCORD_API_URL: discord.apiUrl,
    ...options.env,
  };
  const logs: string[] = [];
  const now = options.now ?? Date.now;
  const appOptions: AppOptions = {
    env,
    logSink: (line) => logs.push(line),
    blobs: blobs.connection,
    storeTimeoutMs: options.storeTimeoutMs ?? 5_000,
    sleep: async () => undefined,
    now,
    ...(options.ackDeadlineMs !== undefined ? { ackDeadlineMs: options.ackDeadlineMs } : {}),
    ...(options.discordTimeoutMs !== undefined ? { discordTimeoutMs: options.discordTimeoutMs } : {}),
  };
  const handler = createDiscordInteractionsHandler({ ...appOptions, ...(options.routes ? { routes: options.routes } : {}) });
  const deferred = deferredWork();
  const { context } = deferred;

  return {
    discord,
    notion,
    blobs,
    store: createBlobsStore({ connection: blobs.connection, timeoutMs: 5_000 }),
    pair,
    env,
    logs,
    handler,
    async send(payload, sendOptions = {}) {
      const body = sendOptions.body ?? JSON.stringify(payload);
      const request = signedInteraction(body, pair.privateKey, { timestamp: sendOptions.timestamp ?? Math.floor(now() / 1000), ...(sendOptions.headers ? { headers: sendOptions.headers } : {}) });
      const response = await handler(request, context);
      const text = await response.text();
      let json: DiscordAnswer["json"];
      try {
        json = JSON.parse(text) as DiscordAnswer["json"];
      } catch {
        json = undefined;
      }
      const deliver = sendOptions.deliver !== false && response.status === 200 && json?.type !== 1 && payload.id !== undefined && payload.token !== undefined;
      const refused = deliver ? discord.receiveHttpResponse({ id: payload.id!, token: payload.token! }, json) : undefined;
      return { status: response.status, json, text, refused };
    },
    runSchedule: (name) => runScheduleOnce(name, appOptions, context, now),
    settle: () => deferred.settle(),
    async close() {
      await deferred.drain();
      await Promise.all([discord.close(), notion.close(), blobs.close()]);
    },
  };
}
