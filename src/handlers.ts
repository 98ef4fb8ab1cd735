/**
 * The handler behind each Netlify function: its runtime, and its own steps on the road (serve.ts).
 * Routes come from the one table in routes.ts.
 */
import { paceRequests } from "./notion/pace-requests.js";
import { commandRoute, routeFor, routes, type ScheduleRoute } from "./routes.js";
import { createRuntime, REQUIRED_VARIABLES, type RuntimeOptions } from "./runtime.js";
import { serve, type Handler } from "./serve.js";
import { channelRefusal, checkChannel, checkWorkspace, OUTSIDER, type AccessPolicy } from "./slack/access.js";
import { parseInteraction, parseSlashCommand, typedTextIn, type ViewSubmission } from "./slack/payloads.js";
import { readSlackRequest } from "./slack/read-request.js";
import { acknowledge, ephemeral, replaceModalWithNotice, viewErrors } from "./slack/responses.js";
import type { LogFields } from "./log.js";
import { answerPrivately, isRefusedUrl } from "./features/answer.js";

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
    // A subcommand is a word of ours, not text to hide.
    if (found?.subcommand === undefined) typed.push(command.text);
    else line.subcommand = found.subcommand;
    const ctx = scope.context();
    const refused = refuseOutsider(ctx.settings.access, { teamId: command.team_id, appId: command.api_app_id }, line);
    if (refused) return refused;
    if (!checkChannel(ctx.settings.access, command.channel_id).ok) {
      line.outcome = "channel_not_allowed";
      return ephemeral(channelRefusal(ctx.settings.access, command.command));
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
    const refused = refuseOutsider(ctx.settings.access, { teamId: payload.team?.id, appId: payload.api_app_id }, line);
    // A modal cannot show an ephemeral message (Slack would show its own error): say it in the modal.
    if (refused) return interaction.kind === "view_submission" ? replaceModalWithNotice("Not available", OUTSIDER) : refused;
    // 5. Route, 6. acknowledge, 7. deferred work.
    switch (interaction.kind) {
      case "view_submission": {
        const { view } = interaction.payload;
        line.callback_id = view.callback_id;
        const route = routeFor(routes.view_submission, view.callback_id);
        if (route) return route(interaction.payload, ctx);
        line.outcome = "unknown_callback";
        return keepModalOpen(interaction.payload, OLD_FORM);
      }
      case "message_action": {
        const shortcut = interaction.payload;
        line.callback_id = shortcut.callback_id;
        const route = routeFor(routes.message_action, shortcut.callback_id);
        if (route) return route(shortcut, ctx);
        line.outcome = "unknown_callback";
        const to = { userId: shortcut.user.id, responseUrl: shortcut.response_url, channelId: shortcut.channel.id };
        ctx.defer("answer unknown shortcut", () => answerPrivately(ctx, to, { text: "This shortcut isn't handled by the bot any more." }));
        return acknowledge();
      }
      case "block_actions": {
        const action = interaction.payload.actions[0]!;
        line.callback_id = action.action_id;
        const route = routeFor(routes.block_actions, action.action_id);
        if (route) return route(interaction.payload, ctx);
        line.outcome = "unknown_action";
        return acknowledge();
      }
    }
  });
}

/**
 * A scheduled function (cron, UTC): runs the schedule's route from the table. A schedule is not a
 * Slack request: no signature to check. Its Notion requests are paced under Notion's ~3 a second
 * (pace-requests.ts), so a run never slows people saving tasks at the same moment.
 */
export function createScheduleHandler(name: keyof typeof routes.schedule, options: RuntimeOptions = {}): Handler {
  // Paced by the runtime's own clock and sleep when given (a test's virtual clock), else by real time.
  const pacing = options.sleep && options.now ? { wait: options.sleep, now: options.now } : {};
  const paced: RuntimeOptions = { ...options, fetch: paceRequests(options.fetch ?? fetch, pacing) };
  const runtime = createRuntime(paced, REQUIRED_VARIABLES.schedule);
  const route: ScheduleRoute = routes.schedule[name];
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

/** The weekly review (netlify/functions/weekly-reminder.ts). */
export function createWeeklyReviewHandler(options: RuntimeOptions = {}): Handler {
  return createScheduleHandler("weekly-review", options);
}

/** Optional access control: a request from another workspace or app gets a short, polite refusal. */
function refuseOutsider(policy: AccessPolicy, request: { teamId: string | undefined; appId: string | undefined }, line: LogFields): Response | undefined {
  const decision = checkWorkspace(policy, request);
  if (decision.ok) return undefined;
  line.outcome = decision.reason;
  return ephemeral(OUTSIDER);
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
