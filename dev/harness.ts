/**
 * Everything an integration test needs: both emulators, a task board, the real handlers wired to
 * them through env (as Netlify would), signed requests, captured logs and deferred work to await.
 */
import type { routes } from "../src/routes.js";
import {
  createNotionWebhooksHandler,
  createScheduleHandler,
  createSlackCommandsHandler,
  createSlackEventsHandler,
  createSlackInteractionsHandler,
  createTaskSyncHandler,
  createWeeklyReviewHandler,
  type AppOptions,
  type Handler,
  type InvocationContext,
} from "../src/handlers.js";
import { createBlobsStore, type Store } from "../src/store/store.js";
import { startBlobsEmulator, type BlobsEmulator } from "./blobs-server.js";
import { emulatorEnv, TEST_NOTION_TOKEN, TEST_NOTION_WEBHOOK_SECRET, TEST_SLACK_TOKEN } from "./emulator-env.js";
import { startNotionEmulator, taskBoardSchema, type NotionEmulator, type PropertySchema } from "./notion-emulator.js";
import { serveHandler } from "./serve-handler.js";
import { JSON_CONTENT, readAnswer, signedRequest, type SlackAnswer } from "./signed-request.js";
import { SLACK_SEED, startSlackEmulator, type OpenedView, type SlackEmulator } from "./slack-emulator.js";
import { eventBody, interactionBody, slashCommandBody, taskModalValues, viewSubmission, type TaskFields } from "./slack-payloads.js";

/**
 * The timeout a test gives a service one of whose calls it makes hang or answer late: "no answer" is
 * reached in under a second, and the same service's other calls, answered at once, still fit on a
 * busy two-core machine. A service whose every call hangs needs no such room.
 */
export const FAULTED_TIMEOUT_MS = 800;

/**
 * The timeout of a service no call of which is made to fail: long, so a test of one thing never
 * also tests how fast a busy machine answers everything else. The store's own (800 ms, which a call
 * on a machine running several suites at once outlasted) is the default only where a test says so.
 */
export const HEALTHY_TIMEOUT_MS = 5_000;

export interface HarnessOptions {
  /** Overrides of the default board schema (null drops a property). */
  schema?: Record<string, PropertySchema | null>;
  env?: Record<string, string>;
  ackDeadlineMs?: number;
  notionTimeoutMs?: number;
  slackTimeoutMs?: number;
  /** The fetch both clients and response_url answers use (the global one by default). */
  fetch?: typeof fetch;
  /** The handlers' clock (ms): request timestamps are signed by it too. */
  now?: () => number;
  /** The Slack emulator's clock (ms), which expires trigger_ids after 3 s: the real one by default. */
  slackNow?: () => number;
  /**
   * Every wait the bot chooses (a Retry-After, a pause before a retry, a poll): instant by default,
   * so no test sleeps on a real timer; each wait is recorded in `harness.sleeps`.
   */
  sleep?: (ms: number) => Promise<void>;
  /** Per store request: HEALTHY_TIMEOUT_MS unless the test makes the store fail. */
  storeTimeoutMs?: number;
  /** The Notion emulator's clock (ms): pass a virtual clock's `now` with its `sleep` to test pacing by the clock. */
  notionNow?: () => number;
  /**
   * The Notion emulator's webhook subscription, delivering to the real notion-webhooks handler
   * (served on a loopback port): on by default, for page.properties_updated, signed with
   * NOTION_WEBHOOK_SECRET. `false` leaves it out; `eventTypes` selects other types.
   */
  notionWebhooks?: false | { eventTypes?: string[] };
}

export interface Answer extends SlackAnswer {
  /** How long the handler took to answer, in ms. */
  ms: number;
}

export interface Harness {
  slack: SlackEmulator;
  notion: NotionEmulator;
  /** The real Blobs server (behind a fault-injecting proxy) the handlers' store uses. */
  blobs: BlobsEmulator;
  /** The store as the handlers see it, for assertions. */
  store: Store;
  /** Every wait the bot asked for, in ms, in order. */
  sleeps: number[];
  board: { databaseId: string; dataSourceId: string };
  env: Record<string, string>;
  logs: string[];
  commands: Handler;
  interactions: Handler;
  /** The Events API function (slack-events). */
  events: Handler;
  /** The scheduled weekly-reminder function. */
  weekly: Handler;
  /** POST /notion/webhooks, which the Notion emulator's subscription delivers to. */
  notionWebhooks: Handler;
  /** The hourly task-sync function. */
  taskSync: Handler;
  /** Where the Notion emulator delivers webhook events: the served notion-webhooks handler. */
  notionWebhooksUrl: string;
  /** Invokes the hourly task sync as Netlify's scheduler does. */
  runTaskSync(): Promise<Answer>;
  /** Invokes the weekly review as Netlify's scheduler does: an unsigned POST with `next_run`. */
  runWeeklyReview(): Promise<Answer>;
  /** Invokes any scheduled function by its route name (routes.schedule), as Netlify's scheduler does. */
  runSchedule(name: keyof typeof routes.schedule): Promise<Answer>;
  /** Runs a slash command as Alice in #general; `fields` replace form fields (`user_id` also owns the trigger_id). */
  command(text: string, fields?: Record<string, string>): Promise<Answer>;
  /** Posts an interactivity payload. */
  interact(payload: unknown): Promise<Answer>;
  /**
   * Posts an Events API payload (JSON, signed); `retry` sends it as Slack's retry of a delivery it
   * thinks failed (X-Slack-Retry-Num, X-Slack-Retry-Reason).
   */
  event(payload: unknown, options?: { retry?: { num: number; reason: string } }): Promise<Answer>;
  /**
   * Set-up: opens the /task modal (`text` prefilling it; `fields` as for `command`), waits for the
   * bot's work, and returns the view Slack holds. Through a slack-commands instance with the
   * production deadline whatever `ackDeadlineMs` this harness has, and HEALTHY_TIMEOUT_MS for every
   * service whatever this harness gives one, so a test's short deadline or timeout cannot make its
   * set-up fail on a busy machine. Rejects when no modal opened.
   */
  openTaskModal(text?: string, fields?: Record<string, string>): Promise<OpenedView>;
  /** Submits a view with the given task fields, as `user`. */
  submitTaskModal(view: OpenedView, fields: TaskFields, user?: string): Promise<Answer>;
  /** Waits for all work handed to waitUntil so far (and any it started), and every webhook delivery under way. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Starts both emulators and builds fresh handlers (fresh warm-instance caches) on them. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const slack = await startSlackEmulator({ token: TEST_SLACK_TOKEN, ...(options.slackNow ? { now: options.slackNow } : {}) });
  const notion = await startNotionEmulator({ token: TEST_NOTION_TOKEN, ...(options.notionNow ? { now: options.notionNow } : {}) });
  const blobs = await startBlobsEmulator();
  const sleeps: number[] = [];
  const sleep = options.sleep ?? (async (ms: number) => void sleeps.push(ms));
  const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema(options.schema) });
  const env: Record<string, string> = { ...emulatorEnv(slack, notion, board.databaseId), ...options.env };
  const logs: string[] = [];
  const appOptions: AppOptions = {
    env,
    logSink: (line) => logs.push(line),
    ...(options.ackDeadlineMs !== undefined ? { ackDeadlineMs: options.ackDeadlineMs } : {}),
    ...(options.notionTimeoutMs !== undefined ? { notionTimeoutMs: options.notionTimeoutMs } : {}),
    ...(options.slackTimeoutMs !== undefined ? { slackTimeoutMs: options.slackTimeoutMs } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
    storeTimeoutMs: options.storeTimeoutMs ?? HEALTHY_TIMEOUT_MS,
    blobs: blobs.connection,
    sleep,
  };
  const commands = createSlackCommandsHandler(appOptions);
  // The set-up is never a test's subject: the production deadline and healthy timeouts for every service, whatever this
  // harness gives the one it makes fail (the fault matrix's 800 ms for Slack timed out a healthy views.open on a busy machine).
  const { ackDeadlineMs: _shortDeadline, ...setUpOptions } = { ...appOptions, slackTimeoutMs: HEALTHY_TIMEOUT_MS, notionTimeoutMs: HEALTHY_TIMEOUT_MS, storeTimeoutMs: HEALTHY_TIMEOUT_MS };
  const setUpCommands = createSlackCommandsHandler(setUpOptions);
  const interactions = createSlackInteractionsHandler(appOptions);
  const events = createSlackEventsHandler(appOptions);
  const weekly = createWeeklyReviewHandler(appOptions);
  const notionWebhooks = createNotionWebhooksHandler(appOptions);
  const taskSync = createTaskSyncHandler(appOptions);
  const pending: Promise<unknown>[] = [];
  const context: InvocationContext = { waitUntil: (promise) => void pending.push(promise) };
  const receiver = await serveHandler(notionWebhooks, context);
  const notionWebhooksUrl = `${receiver.origin}/notion/webhooks`;
  if (options.notionWebhooks !== false) {
    notion.configureWebhooks({ url: notionWebhooksUrl, token: TEST_NOTION_WEBHOOK_SECRET, ...(options.notionWebhooks?.eventTypes ? { eventTypes: options.notionWebhooks.eventTypes } : {}) });
  }
  const nowSeconds = () => Math.floor((options.now ?? Date.now)() / 1000);
  /** The handler with this harness's invocation context unless the caller passes its own. */
  const withContext = (handler: Handler): Handler => (request, invocation) => handler(request, invocation ?? context);

  async function call(handler: Handler, body: string, headers?: Record<string, string>): Promise<Answer> {
    return answer(handler, signedRequest(body, { timestamp: nowSeconds(), ...(headers ? { headers } : {}) }));
  }

  /** What Netlify's scheduler sends: an unsigned POST whose body names the next run. */
  function scheduledRequest(): Request {
    return new Request("http://localhost:8888/.netlify/functions/scheduled", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ next_run: new Date((options.now ?? Date.now)() + 86_400_000).toISOString() }),
    });
  }

  async function settle(): Promise<void> {
    // Deferred work can make Notion send an event, whose handling defers more work: until both are still.
    for (;;) {
      await notion.webhooks.flush();
      if (pending.length === 0) return;
      while (pending.length > 0) await Promise.allSettled(pending.splice(0));
    }
  }

  async function answer(handler: Handler, request: Request): Promise<Answer> {
    const started = performance.now();
    const response = await handler(request, context);
    const ms = performance.now() - started;
    return { ...(await readAnswer(response)), ms };
  }

  return {
    slack,
    notion,
    blobs,
    store: createBlobsStore({ connection: blobs.connection, timeoutMs: HEALTHY_TIMEOUT_MS }),
    sleeps,
    board,
    env,
    logs,
    // Called directly, each handler still hands its deferred work to this harness, so settle() waits for it.
    commands: withContext(commands),
    interactions: withContext(interactions),
    events: withContext(events),
    weekly: withContext(weekly),
    notionWebhooks: withContext(notionWebhooks),
    taskSync: withContext(taskSync),
    notionWebhooksUrl,
    runTaskSync: () => answer(taskSync, scheduledRequest()),
    runWeeklyReview: () => answer(weekly, scheduledRequest()),
    runSchedule: (name) => answer(createScheduleHandler(name, appOptions), scheduledRequest()),
    command: (text, fields = {}) => {
      const user = fields.user_id ?? SLACK_SEED.alice;
      return call(commands, slashCommandBody({ text, user, triggerId: slack.triggerId(user), responseUrl: slack.responseUrl() }, fields));
    },
    interact: (payload) => call(interactions, interactionBody(payload)),
    event: (payload, options = {}) =>
      call(events, eventBody(payload), {
        ...JSON_CONTENT,
        ...(options.retry ? { "x-slack-retry-num": String(options.retry.num), "x-slack-retry-reason": options.retry.reason } : {}),
      }),
    async openTaskModal(text = "", fields = {}) {
      const user = fields.user_id ?? SLACK_SEED.alice;
      const triggerId = slack.triggerId(user);
      const answered = await call(setUpCommands, slashCommandBody({ text, user, triggerId, responseUrl: slack.responseUrl() }, fields));
      await settle();
      const view = slack.views.find((opened) => opened.trigger_id === triggerId);
      if (!view) throw new Error(`no modal opened for /task ${text}: ${answered.status} ${answered.text}`);
      return view;
    },
    submitTaskModal: (view, fields, user = SLACK_SEED.alice) => call(interactions, interactionBody(viewSubmission({ view, values: taskModalValues(fields), user }))),
    settle,
    async close() {
      await Promise.allSettled(pending);
      await notion.webhooks.flush();
      await Promise.all([slack.close(), notion.close(), blobs.close(), receiver.close()]);
    },
  };
}
