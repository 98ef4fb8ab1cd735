/**
 * Builds the real dependencies and holds the routing table: every command, modal, shortcut, button
 * and schedule the bot answers is listed in this file.
 *
 * A request always takes the same road:
 * read the raw body once -> verify the signature -> parse -> validate -> route -> acknowledge -> deferred work.
 */
import { EnvError, readEnv, type Env, type EnvName, type EnvSource } from "./env.js";
import type { FeatureContext, Settings } from "./features/context.js";
import { CREATE_TASK_CALLBACK_ID, createTaskFromMessage, createTaskFromReminder } from "./features/process-reminder/create-task-from-message.js";
import { createRemindOfProcess, REMIND_PROCESS_CALLBACK_ID } from "./features/process-reminder/remind-of-process.js";
import { CREATE_TASK_FROM_REMINDER_ACTION } from "./features/process-reminder/reminder-message.js";
import { OPEN_IN_NOTION_ACTION, buildHelp } from "./features/task-request/messages.js";
import { listTasks } from "./features/task-request/list-tasks.js";
import { TASK_MODAL_CALLBACK_ID } from "./features/task-request/modal.js";
import { openTaskModal } from "./features/task-request/open-task-modal.js";
import { submitTask } from "./features/task-request/submit-task.js";
import { createLogger, describeError, type LogFields, type Logger, type LogSink } from "./log.js";
import { DEFAULT_PROPERTY_NAMES } from "./notion/board.js";
import { createNotionClient } from "./notion/client.js";
import { createTaskStore, type TaskStore } from "./notion/task-store.js";
import { createSlackApi, type SlackApi } from "./slack/client.js";
import { parseInteraction, parseSlashCommand, type BlockActions, type Interaction, type MessageAction, type SlashCommand, type ViewSubmission } from "./slack/payloads.js";
import { checkChannel, checkWorkspace, type AccessPolicy } from "./slack/access.js";
import { readSlackRequest } from "./slack/read-request.js";
import { acknowledge, ephemeral, replaceModalWithNotice, viewErrors } from "./slack/responses.js";
import { escapeMrkdwn } from "./slack/mrkdwn.js";
import { titleFrom } from "./tasks/task.js";
import { postWeeklyReview, showWeeklyReview } from "./features/weekly-review/post-weekly-review.js";
import { paceRequests } from "./notion/pace-requests.js";

/** Netlify's Context, reduced to what the bot uses, so tests can pass their own. */
export interface InvocationContext {
  waitUntil?: (promise: Promise<unknown>) => void;
  requestId?: string;
}

export type Handler = (request: Request, context?: InvocationContext) => Promise<Response>;

export interface AppOptions {
  /** Where variables come from; process.env (through env.ts) by default. */
  env?: EnvSource;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch. */
  now?: () => number;
  logSink?: LogSink;
  /**
   * How long a request waits for Notion before acknowledging. Slack allows 3 s end to end,
   * including the network and a cold start, so the default leaves a second for those.
   */
  ackBudgetMs?: number;
  /** Per Notion request; tests shorten it to reach "Notion never answered" quickly. */
  notionTimeoutMs?: number;
  /** Per Slack call (SLACK_TIMEOUT_MS by default); tests shorten it to reach "Slack never answered" quickly. */
  slackTimeoutMs?: number;
}

const DEFAULT_ACK_BUDGET_MS = 2_000;

// ---------------------------------------------------------------------------------------------
// The routing table.
//
// Schedules (cron, UTC): weekly-reminder (netlify/functions/weekly-reminder.ts, Mondays 09:00 by
// default) -> createWeeklyReviewHandler -> postWeeklyReview, into SLACK_REVIEW_CHANNEL_ID.

type CommandRoute = (command: SlashCommand, ctx: FeatureContext) => Promise<Response>;

const commands: Record<string, CommandRoute> = {
  "/task": routeTaskCommand,
};

/** `/task <word>`: a single known word is a subcommand; anything else is a task title. */
const taskSubcommands: Record<string, CommandRoute> = {
  help: async (_command, ctx) => {
    const help = buildHelp(ctx.settings.command);
    return ephemeral(help.text, help.blocks);
  },
  list: listTasks,
  review: showWeeklyReview,
};

const viewSubmissions: Record<string, (payload: ViewSubmission, ctx: FeatureContext) => Promise<Response>> = {
  [TASK_MODAL_CALLBACK_ID]: submitTask,
};

const messageShortcuts: Record<string, (payload: MessageAction, ctx: FeatureContext) => Promise<Response>> = {
  // Remembers recent reminders for as long as this instance stays warm (see recent-reminders.ts).
  [REMIND_PROCESS_CALLBACK_ID]: createRemindOfProcess(),
  [CREATE_TASK_CALLBACK_ID]: createTaskFromMessage,
};

const blockActions: Record<string, (payload: BlockActions, ctx: FeatureContext) => Promise<Response>> = {
  // A link button still sends an action; the browser does the work, so there is nothing to do.
  [OPEN_IN_NOTION_ACTION]: async () => acknowledge(),
  [CREATE_TASK_FROM_REMINDER_ACTION]: createTaskFromReminder,
};

/** The commands and shortcuts above, read-only: manifest.yml is checked against them (test/manifest.test.ts). */
export const ROUTES = Object.freeze({
  commands: Object.freeze(Object.keys(commands)),
  taskSubcommands: Object.freeze(Object.keys(taskSubcommands)),
  messageShortcuts: Object.freeze(Object.keys(messageShortcuts)),
});

/** A table's own entry: `table[key]` would also find "constructor" or "toString", which any payload can name. */
function routeFor<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

async function routeTaskCommand(command: SlashCommand, ctx: FeatureContext): Promise<Response> {
  const text = command.text.trim();
  const subcommand = /^\S+$/.test(text) ? routeFor(taskSubcommands, text.toLowerCase()) : undefined;
  if (subcommand) return subcommand(command, ctx);
  const title = titleFrom(text);
  const opened = await openTaskModal(
    {
      triggerId: command.trigger_id,
      title,
      // A long first line is cut for the title; the whole text then goes in the description.
      description: title !== text.replace(/\s+/g, " ") ? text : undefined,
      metadata: { channelId: command.channel_id, responseUrl: command.response_url, slackLink: channelLink(command) },
    },
    ctx,
  );
  if (opened.ok) return acknowledge();
  // Slack has cleared the message box: what they typed comes back with the reason, so nothing is lost.
  return ephemeral(text ? `${opened.message}\nWhat you typed: ${escapeMrkdwn(text)}` : opened.message);
}

function channelLink(command: SlashCommand): string {
  return `https://slack.com/app_redirect?channel=${encodeURIComponent(command.channel_id)}&team=${encodeURIComponent(command.team_id)}`;
}

// ---------------------------------------------------------------------------------------------
// The handlers behind the Netlify functions.

/** POST /slack/commands */
export function createSlackCommandsHandler(options: AppOptions = {}): Handler {
  const runtime = createRuntime(options, ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "NOTION_TOKEN", "NOTION_DATABASE_ID"]);
  return serveSlack(runtime, "command", async (form, ctx, line, typed) => {
    // 3. Parse and 4. validate.
    const parsed = parseSlashCommand(form);
    if (!parsed.ok) {
      line.outcome = "invalid_payload";
      line.problem = parsed.problem;
      return ephemeral("Slack sent me a command I couldn't read. Please try again.");
    }
    const command = parsed.command;
    Object.assign(line, { callback_id: command.command, team: command.team_id, user: command.user_id, text_length: command.text.length });
    // A subcommand is a word of ours, not text to hide.
    if (!routeFor(taskSubcommands, command.text.trim().toLowerCase())) typed.push(command.text);
    const refused = refuseOutsider(ctx.settings.access, { teamId: command.team_id, appId: command.api_app_id }, line);
    if (refused) return refused;
    if (!checkChannel(ctx.settings.access, command.channel_id).ok) {
      line.outcome = "channel_not_allowed";
      return ephemeral(channelRefusal(ctx.settings.access, command.command));
    }
    // 5. Route.
    const route = routeFor(commands, command.command);
    if (!route) {
      line.outcome = "unknown_command";
      return ephemeral(`I don't know ${command.command}. Try /task help.`);
    }
    // 6. Acknowledge (the route's response) and 7. deferred work (through ctx.defer).
    return route(command, { ...ctx, settings: { ...ctx.settings, command: command.command } });
  });
}

/** POST /slack/interactions: Slack sends every modal submission, shortcut and button click here. */
export function createSlackInteractionsHandler(options: AppOptions = {}): Handler {
  const runtime = createRuntime(options, ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "NOTION_TOKEN", "NOTION_DATABASE_ID"]);
  return serveSlack(runtime, "interaction", async (form, ctx, line, typed) => {
    // 3. Parse and 4. validate.
    const interaction = parseInteraction(form);
    line.kind = interaction.kind;
    if (interaction.kind === "invalid") {
      line.outcome = "invalid_payload";
      line.problem = interaction.problem;
      // An empty answer would close a modal without a word: say why instead.
      return interaction.type === "view_submission" ? replaceModalWithNotice("Form not read", UNREADABLE_FORM) : acknowledge();
    }
    if (interaction.kind === "other") {
      line.outcome = "ignored";
      line.callback_id = interaction.type;
      return acknowledge();
    }
    const { payload } = interaction;
    typed.push(...typedIn(interaction));
    Object.assign(line, { team: payload.team?.id, user: payload.user.id, text_length: typed.reduce((sum, text) => sum + text.length, 0) });
    const refused = refuseOutsider(ctx.settings.access, { teamId: payload.team?.id, appId: payload.api_app_id }, line);
    // A modal cannot show an ephemeral message (Slack would show its own error): say it in the modal.
    if (refused) return interaction.kind === "view_submission" ? replaceModalWithNotice("Not available", OUTSIDER) : refused;
    // 5. Route, 6. acknowledge, 7. deferred work.
    switch (interaction.kind) {
      case "view_submission": {
        const { view } = interaction.payload;
        line.callback_id = view.callback_id;
        const route = routeFor(viewSubmissions, view.callback_id);
        if (route) return route(interaction.payload, ctx);
        line.outcome = "unknown_callback";
        return keepModalOpen(interaction.payload, OLD_FORM);
      }
      case "message_action": {
        line.callback_id = interaction.payload.callback_id;
        const route = routeFor(messageShortcuts, interaction.payload.callback_id);
        if (route) return route(interaction.payload, ctx);
        line.outcome = "unknown_callback";
        const responseUrl = interaction.payload.response_url;
        ctx.defer("answer unknown shortcut", () => ctx.slack.respond(responseUrl, { text: "This shortcut isn't handled by the bot any more." }));
        return acknowledge();
      }
      case "block_actions": {
        const action = interaction.payload.actions[0]!;
        line.callback_id = action.action_id;
        const route = routeFor(blockActions, action.action_id);
        if (route) return route(interaction.payload, ctx);
        line.outcome = "unknown_action";
        return acknowledge();
      }
    }
  });
}

/** What a person typed or quoted in an interaction: logged by length only, masked if a library echoes it. */
function typedIn(interaction: Extract<Interaction, { payload: unknown }>): string[] {
  switch (interaction.kind) {
    case "view_submission":
      return Object.values(interaction.payload.view.state.values)
        .flatMap((block) => Object.values(block))
        .flatMap((input) => (typeof input.value === "string" ? [input.value] : []));
    case "message_action":
      return interaction.payload.message.text ? [interaction.payload.message.text] : [];
    case "block_actions":
      // A button's value can carry a message's text (the reminder's does).
      return [
        ...interaction.payload.actions.flatMap((action) => (action.value ? [action.value] : [])),
        ...(interaction.payload.message?.text ? [interaction.payload.message.text] : []),
      ];
  }
}

/** Optional access control: a request from another workspace or app gets a short, polite refusal. */
function refuseOutsider(policy: AccessPolicy, request: { teamId: string | undefined; appId: string | undefined }, line: LogFields): Response | undefined {
  const decision = checkWorkspace(policy, request);
  if (decision.ok) return undefined;
  line.outcome = decision.reason;
  return ephemeral(OUTSIDER);
}

function channelRefusal(policy: AccessPolicy, command: string): string {
  const channels = (policy.allowedChannelIds ?? []).slice(0, 10).map((id) => `<#${id}>`);
  return `${command} isn't used in this channel. Try it in ${channels.join(", ")}.`;
}

/** Scheduled (netlify/functions/weekly-reminder.ts): the weekly review, posted to SLACK_REVIEW_CHANNEL_ID. */
export function createWeeklyReviewHandler(options: AppOptions = {}): Handler {
  // A schedule is not a Slack request: no signing secret to check, but a channel to post to. Its
  // Notion reads are paced to ~3 a second, so a cold run stays at 4 requests (see pace-requests.ts).
  const paced: AppOptions = { ...options, fetch: paceRequests(options.fetch ?? fetch) };
  const runtime = createRuntime(paced, ["SLACK_BOT_TOKEN", "NOTION_TOKEN", "NOTION_DATABASE_ID", "SLACK_REVIEW_CHANNEL_ID"]);
  return async (_request, invocation = {}) => {
    const started = performance.now();
    const requestId = invocation.requestId ?? crypto.randomUUID();
    const line: LogFields = { request_id: requestId, kind: "schedule", callback_id: "weekly-review" };
    const answering: Answering = { done: false };
    const log = runtime.log.with({ request_id: requestId }).tap((level, event, fields) => noteFailure(line, answering, level, event, fields));
    let body: object;
    try {
      const { slack, tasks, settings } = runtime.load();
      const run = await postWeeklyReview({
        slack,
        tasks,
        settings,
        log,
        now: () => new Date(runtime.now()),
        defer: (label, work) => defer(invocation, log, label, work),
        ackBudgetMs: runtime.ackBudgetMs,
      });
      line.outcome = run.outcome;
      // What failed and why, in the run's own line; the cause, if any, came with the failure's log.
      if (run.outcome === "failed") Object.assign(line, { failed: run.failed, error_code: line.error_code ?? run.reason });
      body = run;
    } catch (error) {
      // postWeeklyReview reports its own failures; what is left is the env, or a bug.
      if (error instanceof EnvError) {
        line.outcome = "not_configured";
        log.error("env.invalid", { problems: error.problems });
      } else {
        line.outcome = "error";
        Object.assign(line, describeError(error));
      }
      body = { outcome: line.outcome };
    }
    answering.done = true;
    // Netlify only logs a scheduled function's answer: 500 marks a failed run there.
    const status = line.outcome === "posted" || line.outcome === "skipped_empty" ? 200 : 500;
    line.status = status;
    line.duration_ms = Math.round(performance.now() - started);
    log.info("request", line);
    return Response.json(body, { status });
  };
}

/**
 * A modal cannot be answered with an ephemeral message, and an empty answer would close it and
 * lose the person's input: put the message under the modal's first input instead.
 */
function keepModalOpen(payload: ViewSubmission, message: string): Response {
  const firstBlock = Object.keys(payload.view.state.values)[0];
  return firstBlock ? viewErrors({ [firstBlock]: message }) : replaceModalWithNotice("Form not read", message);
}

const OUTSIDER = "This bot isn't available in this workspace.";
const OLD_FORM = "This form is from an older version of the bot. Close it and start again.";
const UNREADABLE_FORM = "I couldn't read what this form sent, so nothing was saved. Close it and try again; if it keeps happening, tell whoever runs the bot.";

// ---------------------------------------------------------------------------------------------
// Shared plumbing: runtime per warm instance, the request road, one log line per request.

type RuntimeEnvName = "SLACK_BOT_TOKEN" | "NOTION_TOKEN" | "NOTION_DATABASE_ID";

interface Runtime {
  load(): { env: Env<RuntimeEnvName>; signingSecret: string | undefined; slack: SlackApi; tasks: TaskStore; settings: Settings };
  log: Logger;
  now: () => number;
  ackBudgetMs: number;
}

/** Reads env and builds clients once per warm instance, on the first request rather than at import. */
function createRuntime(options: AppOptions, required: readonly EnvName[]): Runtime {
  // Each function names what it uses (a schedule has no signing secret); every one builds both clients.
  const always: readonly RuntimeEnvName[] = ["SLACK_BOT_TOKEN", "NOTION_TOKEN", "NOTION_DATABASE_ID"];
  // Tokens and the signing secret are masked in every line by value, once env has been read.
  const secrets: string[] = [];
  const log = createLogger(options.logSink).masking(secrets);
  const now = options.now ?? Date.now;
  let built: ReturnType<Runtime["load"]> | undefined;
  return {
    log,
    now,
    ackBudgetMs: options.ackBudgetMs ?? DEFAULT_ACK_BUDGET_MS,
    load() {
      if (built) return built;
      const env: Env<RuntimeEnvName> = readEnv([...always, ...required], options.env);
      const fetchImpl = options.fetch;
      const signingSecret = (env as Env<"SLACK_SIGNING_SECRET">).SLACK_SIGNING_SECRET;
      secrets.push(...[env.SLACK_BOT_TOKEN, env.NOTION_TOKEN, signingSecret].filter((value): value is string => value !== undefined));
      const slack = createSlackApi({
        token: env.SLACK_BOT_TOKEN,
        apiUrl: env.SLACK_API_URL,
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
        ...(options.slackTimeoutMs ? { timeoutMs: options.slackTimeoutMs } : {}),
      });
      let notion: ReturnType<typeof createNotionClient> | undefined;
      const tasks = createTaskStore({
        client: () => (notion ??= createNotionClient({
            token: env.NOTION_TOKEN,
            baseUrl: env.NOTION_API_URL,
            log,
            ...(fetchImpl ? { fetch: fetchImpl } : {}),
            ...(options.notionTimeoutMs ? { timeoutMs: options.notionTimeoutMs } : {}),
          })),
        databaseId: env.NOTION_DATABASE_ID,
        propertyNames: {
          status: env.NOTION_STATUS_PROPERTY ?? DEFAULT_PROPERTY_NAMES.status,
          priority: env.NOTION_PRIORITY_PROPERTY ?? DEFAULT_PROPERTY_NAMES.priority,
          due: env.NOTION_DUE_PROPERTY ?? DEFAULT_PROPERTY_NAMES.due,
          requester: env.NOTION_REQUESTER_PROPERTY ?? DEFAULT_PROPERTY_NAMES.requester,
          slackLink: env.NOTION_SLACK_LINK_PROPERTY ?? DEFAULT_PROPERTY_NAMES.slackLink,
          requestId: env.NOTION_REQUEST_ID_PROPERTY ?? DEFAULT_PROPERTY_NAMES.requestId,
        },
        log,
        now,
      });
      const settings: Settings = {
        tasksChannelId: env.SLACK_TASKS_CHANNEL_ID,
        reviewChannelId: env.SLACK_REVIEW_CHANNEL_ID,
        reminderText: env.PROCESS_REMINDER_TEXT,
        reviewTimeZone: env.REVIEW_TIMEZONE ?? "UTC",
        skipEmptyReview: env.WEEKLY_REVIEW_SKIP_EMPTY ?? false,
        command: "/task",
        access: { allowedTeamIds: env.SLACK_ALLOWED_TEAM_IDS, appId: env.SLACK_APP_ID, allowedChannelIds: env.TASK_ALLOWED_CHANNEL_IDS },
      };
      built = { env, signingSecret, slack, tasks, settings };
      return built;
    },
  };
}

/**
 * A route fills in the request's log line and lists what the person typed (`typed`): those values
 * are masked in every line this request logs, deferred work included.
 */
type SlackRoute = (form: URLSearchParams, ctx: FeatureContext, line: LogFields, typed: string[]) => Promise<Response>;

/** The request road shared by both Slack endpoints, with one log line per request. */
function serveSlack(runtime: Runtime, kind: string, route: SlackRoute): Handler {
  return async (request, invocation = {}) => {
    const started = performance.now();
    const requestId = invocation.requestId ?? request.headers.get("x-nf-request-id") ?? crypto.randomUUID();
    const line: LogFields = { request_id: requestId, kind };
    const typed: string[] = [];
    const answering: Answering = { done: false };
    const log = runtime.log
      .with({ request_id: requestId })
      .masking(typed, "[typed text]")
      .tap((level, event, fields) => noteFailure(line, answering, level, event, fields));
    let response: Response;
    try {
      const { signingSecret, slack, tasks, settings } = runtime.load();
      // 1. Read the raw body once and 2. verify the signature.
      const read = await readSlackRequest(request, { signingSecret: signingSecret!, nowMs: runtime.now() });
      if (!read.ok) {
        line.outcome = read.reason;
        response = read.response;
      } else {
        const ctx: FeatureContext = {
          slack,
          tasks,
          settings,
          log,
          now: () => new Date(runtime.now()),
          defer: (label, work) => defer(invocation, log, label, work, line),
          ackBudgetMs: runtime.ackBudgetMs,
        };
        response = await route(read.form, ctx, line, typed);
        line.outcome ??= answering.outcome ?? "ok";
      }
    } catch (error) {
      response = failSafely(error, line, log);
    }
    answering.done = true;
    line.status = response.status;
    line.duration_ms = Math.round(performance.now() - started);
    log.info("request", line);
    return response;
  };
}

/** The one place an unexpected error becomes a response: never a 500 Slack would show as "dispatch_failed". */
function failSafely(error: unknown, line: LogFields, log: Logger): Response {
  if (error instanceof EnvError) {
    line.outcome = "not_configured";
    log.error("env.invalid", { problems: error.problems });
    // Without a signing secret nothing can be verified, so nothing is said to the caller.
    return new Response("chatops is not configured: see the function log, or run npm run doctor", { status: 503 });
  }
  line.outcome = "error";
  Object.assign(line, describeError(error));
  return ephemeral("Something went wrong on my side. Please try again in a moment.");
}

/**
 * A feature that handles a failure logs it (a warning or an error with `error_code`) and answers the
 * person; the request's line then says so too. The last such failure before the answer, the one
 * that decided it (a save failing after a retry, say), gives the line its `failure` event,
 * `error_code` and `error_cause`, and its `outcome` ("failed" unless the feature named one).
 */
function noteFailure(line: LogFields, answering: Answering, level: string, event: string, fields: LogFields): void {
  if (answering.done || level === "info" || typeof fields.error_code !== "string") return;
  line.failure = event;
  line.error_code = fields.error_code;
  line.error_cause = fields.error_cause ?? fields.error;
  answering.outcome = typeof fields.outcome === "string" ? fields.outcome : "failed";
}

/** Whether the request has been answered, and the outcome its last failure before that called for. */
interface Answering {
  done: boolean;
  outcome?: string;
}

/**
 * Hands work to Netlify to finish after the response; failures are logged, never unhandled. A
 * failure's line names the request it belongs to (its id, kind, callback id, team and user).
 */
function defer(invocation: InvocationContext, log: Logger, label: string, work: () => Promise<void>, line: LogFields = {}): void {
  const running = (async () => {
    try {
      // Start after the response is on its way: the work must not delay the acknowledgement it follows.
      await new Promise((resolve) => setImmediate(resolve));
      await work();
    } catch (error) {
      const { kind, callback_id, team, user } = line;
      log.error("deferred.failed", { label, kind, callback_id, team, user, ...describeError(error) });
    }
  })();
  invocation.waitUntil?.(running);
}
