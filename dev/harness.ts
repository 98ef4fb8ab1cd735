/**
 * Everything an integration test needs: both emulators, a task board, the real handlers wired to
 * them through env (as Netlify would), signed requests, captured logs and deferred work to await.
 */
import { createSlackCommandsHandler, createSlackInteractionsHandler, createWeeklyReviewHandler, type AppOptions, type Handler, type InvocationContext } from "../src/app.js";
import { TASK_BLOCKS } from "../src/features/task-request/modal.js";
import { startNotionEmulator, taskBoardSchema, type NotionEmulator, type PropertySchema } from "./notion-emulator.js";
import { interactionBody, signedRequest, slashCommandBody, TEST_SIGNING_SECRET } from "./signed-request.js";
import { SLACK_SEED, startSlackEmulator, type OpenedView, type SlackEmulator } from "./slack-emulator.js";

export const TEST_SLACK_TOKEN = "xoxb-test-token-123456";
export const TEST_NOTION_TOKEN = "ntn_test_token_abcdef123456";

export interface HarnessOptions {
  /** Overrides of the default board schema (null drops a property). */
  schema?: Record<string, PropertySchema | null>;
  env?: Record<string, string>;
  ackBudgetMs?: number;
  notionTimeoutMs?: number;
  slackTimeoutMs?: number;
  /** The fetch both clients and response_url answers use (the global one by default). */
  fetch?: typeof fetch;
  now?: () => number;
}

export interface Answer {
  status: number;
  text: string;
  json: Record<string, unknown> | undefined;
  /** How long the handler took to answer, in ms. */
  ms: number;
}

export interface TaskFields {
  title?: string;
  description?: string;
  priority?: string;
  due?: string;
}

export interface Harness {
  slack: SlackEmulator;
  notion: NotionEmulator;
  board: { databaseId: string; dataSourceId: string };
  env: Record<string, string>;
  logs: string[];
  commands: Handler;
  interactions: Handler;
  /** The scheduled weekly-reminder function. */
  weekly: Handler;
  /** Invokes the weekly review as Netlify's scheduler does: an unsigned POST with `next_run`. */
  runWeeklyReview(): Promise<Answer>;
  /** Runs a slash command as Alice (or `fields.user_id`) in #general. */
  command(text: string, fields?: Record<string, string>): Promise<Answer>;
  /** Posts an interactivity payload. */
  interact(payload: unknown): Promise<Answer>;
  /** Submits a view with the given task fields, as `user`. */
  submitTaskModal(view: OpenedView, fields: TaskFields, user?: string): Promise<Answer>;
  /** Waits for all work handed to waitUntil so far (and any it started). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** The variables that point the bot at the two emulators, with the test credentials. */
export function emulatorEnv(slack: Pick<SlackEmulator, "apiUrl">, notion: Pick<NotionEmulator, "url">, databaseId: string): Record<string, string> {
  return {
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_BOT_TOKEN: TEST_SLACK_TOKEN,
    NOTION_TOKEN: TEST_NOTION_TOKEN,
    NOTION_DATABASE_ID: databaseId,
    SLACK_REVIEW_CHANNEL_ID: SLACK_SEED.general,
    SLACK_API_URL: slack.apiUrl,
    NOTION_API_URL: notion.url,
  };
}

/** Starts both emulators and builds fresh handlers (fresh warm-instance caches) on them. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const slack = await startSlackEmulator({ token: TEST_SLACK_TOKEN });
  const notion = await startNotionEmulator({ token: TEST_NOTION_TOKEN });
  const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema(options.schema) });
  const env: Record<string, string> = { ...emulatorEnv(slack, notion, board.databaseId), ...options.env };
  const logs: string[] = [];
  const appOptions: AppOptions = {
    env,
    logSink: (line) => logs.push(line),
    ...(options.ackBudgetMs !== undefined ? { ackBudgetMs: options.ackBudgetMs } : {}),
    ...(options.notionTimeoutMs !== undefined ? { notionTimeoutMs: options.notionTimeoutMs } : {}),
    ...(options.slackTimeoutMs !== undefined ? { slackTimeoutMs: options.slackTimeoutMs } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
  const commands = createSlackCommandsHandler(appOptions);
  const interactions = createSlackInteractionsHandler(appOptions);
  const weekly = createWeeklyReviewHandler(appOptions);
  const pending: Promise<unknown>[] = [];
  const context: InvocationContext = { waitUntil: (promise) => void pending.push(promise) };
  const nowSeconds = () => Math.floor((options.now ?? Date.now)() / 1000);

  async function call(handler: Handler, body: string): Promise<Answer> {
    return answer(handler, signedRequest(body, { timestamp: nowSeconds() }));
  }

  async function answer(handler: Handler, request: Request): Promise<Answer> {
    const started = performance.now();
    const response = await handler(request, context);
    const ms = performance.now() - started;
    const text = await response.text();
    let json: Record<string, unknown> | undefined;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json, ms };
  }

  return {
    slack,
    notion,
    board,
    env,
    logs,
    commands,
    interactions,
    weekly,
    runWeeklyReview: () =>
      answer(
        weekly,
        new Request("http://localhost:8888/.netlify/functions/weekly-reminder", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ next_run: new Date((options.now ?? Date.now)() + 7 * 86_400_000).toISOString() }),
        }),
      ),
    command: (text, fields = {}) =>
      call(
        commands,
        slashCommandBody({
          text,
          trigger_id: slack.triggerId(fields.user_id ?? SLACK_SEED.alice),
          response_url: slack.responseUrl(),
          ...fields,
        }),
      ),
    interact: (payload) => call(interactions, interactionBody(payload)),
    submitTaskModal: (view, fields, user = SLACK_SEED.alice) => call(interactions, interactionBody(viewSubmission(view, fields, user))),
    async settle() {
      while (pending.length > 0) await Promise.allSettled(pending.splice(0));
    },
    async close() {
      await Promise.allSettled(pending);
      await Promise.all([slack.close(), notion.close()]);
    },
  };
}

/** A view_submission payload as Slack sends it for the task modal. */
export function viewSubmission(view: OpenedView, fields: TaskFields, user: string): Record<string, unknown> {
  const values: Record<string, Record<string, unknown>> = {
    [TASK_BLOCKS.title.block]: { [TASK_BLOCKS.title.action]: { type: "plain_text_input", value: fields.title ?? null } },
    [TASK_BLOCKS.description.block]: { [TASK_BLOCKS.description.action]: { type: "plain_text_input", value: fields.description ?? null } },
    [TASK_BLOCKS.priority.block]: {
      [TASK_BLOCKS.priority.action]: {
        type: "static_select",
        selected_option: fields.priority ? { text: { type: "plain_text", text: fields.priority }, value: fields.priority } : null,
      },
    },
    [TASK_BLOCKS.due.block]: { [TASK_BLOCKS.due.action]: { type: "datepicker", selected_date: fields.due ?? null } },
  };
  return {
    type: "view_submission",
    team: { id: SLACK_SEED.teamId, domain: SLACK_SEED.teamDomain },
    user: { id: user, username: user === SLACK_SEED.alice ? "alice" : "bob", name: user === SLACK_SEED.alice ? "alice" : "bob", team_id: SLACK_SEED.teamId },
    api_app_id: SLACK_SEED.appId,
    token: "deprecated",
    trigger_id: "1111.2222.abcd",
    view: {
      ...view.view,
      id: view.id,
      hash: view.hash,
      state: { values },
    },
    response_urls: [],
  };
}
