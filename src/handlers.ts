/**
 * The handler behind each Netlify function: its runtime, and its own steps on the road (serve.ts).
 * Routes come from the one table in routes.ts.
 */
import { paceRequests } from "./notion/pace-requests.js";
import { blockActionRoutes, commandRoute, messageActionRoutes, notionEventRoutes, routeEvent, routeFor, scheduleRoutes, viewSubmissionRoutes, type ScheduleRoute } from "./routes.js";
import { createRuntime, REQUIRED_VARIABLES, type RuntimeOptions } from "./runtime.js";
import { serve, type Handler, type RequestScope } from "./serve.js";
import { channelRefusal, checkChannel, checkWorkspace, OUTSIDER, personOfCommand, personOfEvent, personOfInteraction, type AccessPolicy } from "./slack/access.js";
import { botUserIdOf, COMMAND_TEXT_MAX, parseEventsApiPayload, parseInteraction, parseSlashCommand, typedTextIn, type KnownEvent, type ViewSubmission } from "./slack/payloads.js";
import { plainTextFrom } from "./slack/message.js";
import { readSlackRequest, readVerifiedBody } from "./slack/read-request.js";
import { acknowledge, ephemeral, replaceModalWithNotice, viewErrors } from "./slack/responses.js";
import { describeError, type LogFields } from "./log.js";
import { answerPrivately, isRefusedUrl } from "./features/answer.js";
import { claimNotionEvent } from "./features/notion-event-claim.js";
import { FINISH_SETUP, keepVerificationToken } from "./features/notion-setup/verification-token.js";
import { TASK_SYNC_SCHEDULE } from "./features/task-status/sync-task-status.js";
import { readNotionRequest, unauthorized } from "./notion/read-webhook.js";
import { checkEventTime } from "./notion/verify-webhook.js";
import { parseNotionEvent } from "./notion/webhook-payloads.js";

export type { Handler, InvocationContext } from "./serve.js";
export type { RuntimeOptions as AppOptions } from "./runtime.js";

/** POST /slack/commands: slash commands. */
export function createSlackCommandsHandler(options: RuntimeOptions = {}): Handler {
  const runtime = createRuntime(options, REQUIRED_VARIABLES.slack);
  return serve(runtime, { kind: "command" }, async (request, scope) => {
    const { line, typed } = scope;
    // 1. Read the raw body once and 2. verify the signature.
    const read = await readSlackRequest(request, { signingSecret: scope.load().signingSecret!, nowMs: runtime.now() });
    if (!read.ok) {
      line.outcome = read.reason;
      return read.response;
    }
    // 3. Parse and 4. validate.
    const parsed = parseSlashCommand(read.form);
    if (!parsed.ok) {
      line.outcome = "invalid_payload";
      line.problem = parsed.problem;
      return ephemeral("Slack sent me a command I couldn't read. Please try again.");
    }
    const command = parsed.command;
    Object.assign(line, { callback_id: command.command, team: command.team_id, user: command.user_id, text_length: command.text.length });
    const found = commandRoute(command);
    // A subcommand is a word of ours, not text to hide; hidden as sent and as read (entities decoded).
    if (found?.subcommand === undefined) typed.push(command.text, plainTextFrom(command.text));
    else line.subcommand = found.subcommand;
    const ctx = scope.context();
    if (isOutsider(ctx.settings.access, { workspaces: personOfCommand(command), appId: command.api_app_id }, line)) return ephemeral(OUTSIDER);
    if (!checkChannel(ctx.settings.access, command.channel_id).ok) {
      line.outcome = "channel_not_allowed";
      return ephemeral(channelRefusal(ctx.settings.access, command.command));
    }
    if (command.text.length > COMMAND_TEXT_MAX) {
      line.outcome = "text_too_long";
      return ephemeral(textTooLong(command.command, command.text.length));
    }
    // 5. Route.
    if (!found) {
      line.outcome = "unknown_command";
      return ephemeral(`I don't know ${command.command}. Try /task help.`);
    }
    // 6. Acknowledge (the route's response) and 7. deferred work (through ctx.defer).
    return found.route(command, ctx);
  });
}

/** POST /slack/interactions: Slack sends every modal submission, shortcut and button click here. */
export function createSlackInteractionsHandler(options: RuntimeOptions = {}): Handler {
  const runtime = createRuntime(options, REQUIRED_VARIABLES.slack);
  return serve(runtime, { kind: "interaction" }, async (request, scope) => {
    const { line, typed } = scope;
    // 1. Read the raw body once and 2. verify the signature.
    const read = await readSlackRequest(request, { signingSecret: scope.load().signingSecret!, nowMs: runtime.now() });
    if (!read.ok) {
      line.outcome = read.reason;
      return read.response;
    }
    // 3. Parse and 4. validate.
    const interaction = parseInteraction(read.form);
    line.kind = interaction.kind;
    if (interaction.kind === "invalid") {
      line.outcome = "invalid_payload";
      line.problem = interaction.problem;
      // An empty answer would close a modal without a word: say why instead.
      if (interaction.type === "view_submission") return replaceModalWithNotice("Form not read", UNREADABLE_FORM);
      // A shortcut's or a button's answer is shown to no one: say it through the response_url it named, if allowed.
      const responseUrl = interaction.responseUrl;
      if (responseUrl !== undefined) {
        const ctx = scope.context();
        ctx.defer("answer unreadable payload", () =>
          answerPrivately(ctx, { responseUrl }, { text: UNREADABLE_ACTION }).catch((error: unknown) => {
            // A refused URL has its own line already; anything else is the deferred work's failure.
            if (!isRefusedUrl(error)) throw error;
          }),
        );
      }
      return acknowledge();
    }
    if (interaction.kind === "other") {
      line.outcome = "ignored";
      line.callback_id = interaction.type;
      return acknowledge();
    }
    const { payload } = interaction;
    typed.push(...typedTextIn(interaction));
    Object.assign(line, { team: payload.team?.id, user: payload.user.id, text_length: typed.reduce((sum, text) => sum + text.length, 0) });
    const ctx = scope.context();
    if (isOutsider(ctx.settings.access, { workspaces: personOfInteraction(payload), appId: payload.api_app_id }, line)) {
      // Where Slack shows it: a modal keeps what was typed, with the refusal under its first input;
      // a shortcut's or a button's answer body is shown to no one, so it goes by the response_url.
      if (interaction.kind === "view_submission") return keepModalOpen(interaction.payload, OUTSIDER);
      const to = { userId: payload.user.id, responseUrl: interaction.payload.response_url, channelId: interaction.payload.channel?.id };
      ctx.defer("answer outsider", () => answerPrivately(ctx, to, { text: OUTSIDER }));
      return acknowledge();
    }
    // 5. Route, 6. acknowledge, 7. deferred work.
    switch (interaction.kind) {
      case "view_submission": {
        const { view } = interaction.payload;
        line.callback_id = view.callback_id;
        const route = routeFor(viewSubmissionRoutes, view.callback_id);
        if (route) return route(interaction.payload, ctx);
        line.outcome = "unknown_callback";
        return keepModalOpen(interaction.payload, OLD_FORM);
      }
      case "message_action": {
        const shortcut = interaction.payload;
        line.callback_id = shortcut.callback_id;
        const route = routeFor(messageActionRoutes, shortcut.callback_id);
        if (route) return route(shortcut, ctx);
        line.outcome = "unknown_callback";
        const to = { userId: shortcut.user.id, responseUrl: shortcut.response_url, channelId: shortcut.channel.id };
        ctx.defer("answer unknown shortcut", () => answerPrivately(ctx, to, { text: "This shortcut isn't handled by the bot any more." }));
        return acknowledge();
      }
      case "block_actions": {
        const action = interaction.payload.actions[0]!;
        line.callback_id = action.action_id;
        const route = routeFor(blockActionRoutes, action.action_id);
        if (route) return route(interaction.payload, ctx);
        line.outcome = "unknown_action";
        return acknowledge();
      }
    }
  });
}

/** How long an event's work may hold its claim before a retry of it may take over. */
const EVENT_LEASE_MS = 30_000;
/** Slack retries an event up to three times, the last about five minutes after the first. */
const EVENT_HORIZON_MS = 3_600_000;

/**
 * POST /slack/events: the Events API (the Home tab, mentions). Every event is acknowledged at once
 * and handled after the response, once per event_id whichever instance Slack's retries reach.
 */
export function createSlackEventsHandler(options: RuntimeOptions = {}): Handler {
  // People open the Home tab in bursts (a team arriving in the morning): Notion's requests are paced
  // under its ~3 a second on each instance, and only Notion's: the store and Slack answer the ack path.
  const pacing = options.sleep && options.now ? { wait: options.sleep, now: options.now } : {};
  const notionFetch = paceRequests(options.notionFetch ?? options.fetch ?? fetch, pacing);
  const runtime = createRuntime({ ...options, notionFetch }, REQUIRED_VARIABLES.slack);
  // Any answer but a 2xx makes Slack send the event again: an unexpected error is acknowledged too.
  return serve(runtime, { kind: "event_callback", failed: () => acknowledge() }, async (request, scope) => {
    const { line } = scope;
    // 1. Read the raw body once and 2. verify the signature: the same check as every Slack request.
    const read = await readVerifiedBody(request, { signingSecret: scope.load().signingSecret!, nowMs: runtime.now() });
    if (!read.ok) {
      line.outcome = read.reason;
      return read.response;
    }
    // Slack sends an event again when it saw no 2xx within 3 s (or an error): logged; the claim catches it.
    const retryNum = request.headers.get("x-slack-retry-num");
    if (retryNum !== null) Object.assign(line, { retry_num: retryNum.slice(0, 8), retry_reason: request.headers.get("x-slack-retry-reason")?.slice(0, 64) });
    // 3. Parse and 4. validate.
    const payload = parseEventsApiPayload(read.body);
    switch (payload.kind) {
      case "invalid":
        Object.assign(line, { outcome: "invalid_payload", problem: payload.problem, callback_id: payload.eventType });
        return acknowledge();
      case "url_verification":
        // Only a signed request gets here: Slack checks the URL is ours by the echo.
        line.kind = "url_verification";
        return new Response(payload.challenge, { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
      case "other":
        Object.assign(line, { kind: "other", outcome: "ignored", callback_id: payload.type });
        return acknowledge();
      case "unhandled_event":
        Object.assign(line, { outcome: "ignored", callback_id: payload.type, team: payload.envelope.team_id });
        return acknowledge();
      case "event_callback":
        return handleEvent(payload, scope);
    }
  });
}

/** An event the bot handles: checked, claimed, acknowledged; its route runs after the response. */
async function handleEvent(known: KnownEvent, scope: RequestScope): Promise<Response> {
  const { line, typed } = scope;
  const { callback } = known;
  Object.assign(line, { callback_id: known.type, team: eventTeamId(known), user: callback.event.user, event_id: callback.event_id });
  if (known.type === "app_mention") {
    typed.push(known.callback.event.text);
    line.text_length = known.callback.event.text.length;
  }
  const ctx = scope.context();
  const event = callback.event as { user_team?: string; team?: string };
  const workspaces = personOfEvent(event, callback as { team_id?: string; enterprise_id?: string | null });
  const refused = checkWorkspace(ctx.settings.access, { workspaces, appId: callback.api_app_id });
  if (!refused.ok) {
    // Nothing is posted to someone the bot does not serve: the log line says why.
    line.outcome = refused.reason;
    return acknowledge();
  }
  if (!fromAPerson(known)) {
    // A bot's message (the bot's own reply quoting itself, say): answering it could loop.
    line.outcome = "not_a_person";
    return acknowledge();
  }
  // 5. Claim: each event once, whichever instance its first delivery and Slack's retries reach.
  const name = `event:${callback.event_id}`;
  const claim = await ctx.claims.claim(name, { now: ctx.now().getTime(), leaseMs: EVENT_LEASE_MS, horizonMs: EVENT_HORIZON_MS, deadline: ctx.deadline });
  if (claim.kind === "done" || claim.kind === "pending") {
    line.outcome = "duplicate";
    return acknowledge();
  }
  if (claim.kind === "unavailable") ctx.log.warn("store.unavailable", { claim: name, outcome: "degraded", fallback: "handled_anyway", ...describeError(claim.error) });
  // 5. Route, 6. acknowledge, 7. the event's work after the response.
  ctx.defer(`event ${known.type}`, async () => {
    try {
      await routeEvent(known, ctx);
    } catch (error) {
      // Not done: a retry of the event (if Slack sends one) may try again.
      if (claim.kind === "won" || claim.kind === "unavailable") await claim.release().catch(() => undefined);
      throw error;
    }
    if (claim.kind === "won" || claim.kind === "unavailable") await claim.complete({}).catch((error: unknown) => ctx.log.warn("store.claim_not_completed", { claim: name, outcome: "degraded", ...describeError(error) }));
  });
  return acknowledge();
}

/**
 * The workspace of the person behind an event, as Slack reports it: a mention's `user_team` (in a
 * channel shared with another organisation, the writer's own), else the event's `team`, else the
 * envelope's. The one place events are placed in a workspace, for the access check.
 */
function eventTeamId(known: KnownEvent): string | undefined {
  const { callback } = known;
  const event = callback.event as { user_team?: string; team?: string };
  return event.user_team ?? event.team ?? callback.team_id;
}

/** Whether a person is behind the event: not a bot (any bot_id), not the bot itself, with a user id. */
function fromAPerson(known: KnownEvent): boolean {
  const event = known.callback.event as { user?: string; bot_id?: string };
  if (event.bot_id !== undefined || event.user === undefined) return false;
  return /^[UW][A-Z0-9]{2,}$/.test(event.user) && event.user !== botUserIdOf(known.callback);
}

/**
 * A scheduled function (cron, UTC): runs the schedule's route from the table. A schedule is not a
 * Slack request: no signature to check. Its Notion requests are paced under Notion's ~3 a second
 * (pace-requests.ts), so a run never slows people saving tasks at the same moment.
 */
export function createScheduleHandler(name: keyof typeof scheduleRoutes, options: RuntimeOptions = {}): Handler {
  // Paced by the runtime's own clock and sleep when given (a test's virtual clock), else by real time.
  const pacing = options.sleep && options.now ? { wait: options.sleep, now: options.now } : {};
  // Only Notion's requests: the store (one read per changed task in the hourly sync) and Slack have no such limit.
  const paced: RuntimeOptions = { ...options, notionFetch: paceRequests(options.notionFetch ?? options.fetch ?? fetch, pacing) };
  const runtime = createRuntime(paced, REQUIRED_VARIABLES.schedule);
  const route: ScheduleRoute = scheduleRoutes[name];
  return serve(
    runtime,
    { kind: "schedule", notConfigured: () => Response.json({ outcome: "not_configured" }, { status: 500 }), failed: () => Response.json({ outcome: "error" }, { status: 500 }) },
    async (_request, scope) => {
      scope.line.callback_id = name;
      // 5. Route; the run is its own deferred work: nobody waits on a schedule's answer.
      const run = await route(scope.context());
      scope.line.outcome = run.outcome;
      // What failed and why, in the run's own line; the cause, if any, came with the failure's log.
      if (run.failed !== undefined) Object.assign(scope.line, { failed: run.failed, error_code: scope.line.error_code ?? run.reason });
      // Netlify only logs a scheduled function's answer: 500 marks a failed run there.
      return Response.json(run, { status: run.failed === undefined ? 200 : 500 });
    },
  );
}

/**
 * POST /notion/webhooks: Notion's integration webhooks. Acknowledged at once and worked on after
 * (Notion retries what it thinks failed); a permanent problem (an event the bot cannot use, a page it
 * cannot read) is answered 200 with a log line, never a 5xx that Notion would retry. 5xx only for
 * what may pass: the set-up not finished (503), the store unreachable (503).
 */
export function createNotionWebhooksHandler(options: RuntimeOptions = {}): Handler {
  const runtime = createRuntime(options, REQUIRED_VARIABLES.notion);
  return serve(runtime, { kind: "notion_event", failed: () => new Response(null, { status: 200 }) }, async (request, scope) => {
    const { line, typed } = scope;
    const loaded = scope.load();
    // 1. Read the raw body once and 2. verify the signature (the handshake is the one unsigned request).
    const read = await readNotionRequest(request, { secret: loaded.notionWebhookSecret });
    if (!read.ok) {
      line.outcome = read.reason;
      if (read.reason === "not_configured") {
        const problem = loaded.settings.problems.NOTION_WEBHOOK_SECRET;
        scope.log.error("notion.webhook_not_configured", { ...(problem ? { problem } : {}), fix: `events are refused until NOTION_WEBHOOK_SECRET is set: ${FINISH_SETUP}` });
      }
      return read.response;
    }
    if (read.kind === "handshake") {
      // Masked in every line from here on: the token must never reach a log.
      typed.push(read.token);
      line.kind = "handshake";
      return keepVerificationToken(read.token, scope.context(), { secretConfigured: loaded.notionWebhookSecret !== undefined });
    }
    // 3. Parse and 4. validate: a signed event Notion cannot fix by retrying is answered 200.
    const parsed = parseNotionEvent(read.body);
    if (parsed.kind === "invalid") {
      line.outcome = "invalid_payload";
      line.problem = parsed.problem;
      return new Response(null, { status: 200 });
    }
    const { event } = parsed;
    Object.assign(line, { callback_id: event.type, event_id: event.id, attempt: event.attempt_number ?? 1 });
    // A captured request stays validly signed forever: one whose event is days old is a replay.
    const fresh = checkEventTime({ timestamp: event.timestamp, nowMs: runtime.now() });
    if (!fresh.ok) {
      line.outcome = fresh.reason;
      return fresh.reason === "malformed_timestamp" ? new Response(null, { status: 200 }) : unauthorized();
    }
    // 5. Claim: one outcome per event id, however often it is delivered.
    const ctx = scope.context();
    const claim = await claimNotionEvent(event, ctx);
    if (claim.kind === "replay") {
      line.outcome = "replayed";
      return unauthorized();
    }
    if (claim.kind === "redelivery") {
      line.outcome = "duplicate";
      return new Response(null, { status: 200 });
    }
    if (claim.kind === "unavailable") {
      // Without the store nothing can be done once: Notion delivers it again later.
      line.outcome = "store_unavailable";
      Object.assign(line, { error_code: claim.error.code });
      return new Response("Try again later", { status: 503 });
    }
    // 6. Route and acknowledge; 7. the route's work is deferred.
    const route = routeFor(notionEventRoutes, event.type);
    if (!route) {
      // An event type the subscription has selected but the bot does not use.
      line.outcome = "ignored";
      return new Response(null, { status: 200 });
    }
    return route(event, ctx);
  });
}

/** The hourly recovery of status changes no webhook event announced (netlify/functions/task-sync.ts). */
export function createTaskSyncHandler(options: RuntimeOptions = {}): Handler {
  return createScheduleHandler(TASK_SYNC_SCHEDULE, options);
}

/** The weekly review (netlify/functions/weekly-reminder.ts). */
export function createWeeklyReviewHandler(options: RuntimeOptions = {}): Handler {
  return createScheduleHandler("weekly-review", options);
}

/** Optional access control: whether the person is from another workspace (or the payload from another app); the line says which. */
function isOutsider(policy: AccessPolicy, request: Parameters<typeof checkWorkspace>[1], line: LogFields): boolean {
  const decision = checkWorkspace(policy, request);
  if (decision.ok) return false;
  // The ids that were checked: `team` is where the person acted, which for a guest is not theirs.
  Object.assign(line, { outcome: decision.reason, workspaces: request.workspaces.join(",") });
  return true;
}

/** What a person is told when a command's text is longer than Slack's limit: the limit, and what to do instead. */
function textTooLong(command: string, length: number): string {
  const count = (n: number) => n.toLocaleString("en-US");
  return `That's too long for ${command}: it takes at most ${count(COMMAND_TEXT_MAX)} characters, and yours has ${count(length)}. Type a short title after ${command}, then add the details in the form.`;
}

/**
 * A modal cannot be answered with an ephemeral message, and an empty answer would close it and
 * lose the person's input: put the message under the modal's first input instead.
 */
function keepModalOpen(payload: ViewSubmission, message: string): Response {
  const firstBlock = Object.keys(payload.view.state.values)[0];
  return firstBlock ? viewErrors({ [firstBlock]: message }) : replaceModalWithNotice("Form not read", message);
}

const OLD_FORM = "This form is from an older version of the bot. Close it and start again.";
const UNREADABLE_ACTION = "I couldn't read what Slack sent for this, so I did nothing. Please try again; if it keeps happening, tell whoever runs the bot.";
const UNREADABLE_FORM = "I couldn't read what this form sent, so nothing was saved. Close it and try again; if it keeps happening, tell whoever runs the bot.";
