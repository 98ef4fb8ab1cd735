/**
 * The handler behind POST /teams/messages (netlify/functions/teams-messages.ts), the bot's messaging
 * endpoint: every Teams activity (a message starting `task`, the dialog's and the message
 * extension's invokes, Action.Execute buttons, the bot being added somewhere), routed by intent
 * through the port's table (routes.ts: intentRoutes) and answered through the Teams Reply.
 */
import type { Intent } from "../chat/intent.js";
import type { InteractionContext } from "../features/context.js";
import { describeError } from "../log.js";
import { typedTextIn } from "./intent-log.js";
import { readPostBody } from "../read-body.js";
import { parseTeamsActivity, unverifiedOrigin, type ActivityHandle } from "../platforms/teams/parse-activity.js";
import { createTeamsReply, defaultInvokeAnswer } from "../platforms/teams/reply.js";
import { dialogOf, OPENED_BY } from "../platforms/teams/render.js";
import { botFrameworkKeys, verifyTeamsActivity, type SigningKeys } from "../platforms/teams/verify-activity.js";
import { TEAMS_WIRING } from "../platforms/teams/wiring.js";
import { intentRoute, intentRoutes, type IntentRoutes } from "../routes.js";
import { createRuntime, REQUIRED_VARIABLES, type RuntimeOptions } from "../runtime.js";
import { serve, type Handler } from "../serve.js";
import { answerRoute, cardOf } from "./answer-route.js";
import { AFTER_RESPONSE_LEASE_MS, completeClaim } from "../store/claims.js";

export interface TeamsMessagesOptions extends RuntimeOptions {
  /** The port's routing table; tests pass their own routes. */
  routes?: IntentRoutes;
}

/** Activities are small (a message extension's messagePayload is the largest); anything bigger is refused unread. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** How long a delivery is remembered: Teams resends an invoke it got no answer to within seconds; a day covers any retry. */
const DUPLICATE_HORIZON_MS = 24 * 3_600_000;

/** POST /teams/messages: the Bot Connector sends every activity here, with a JWT it signed. */
export function createTeamsMessagesHandler(options: TeamsMessagesOptions = {}): Handler {
  const runtime = createRuntime(options, REQUIRED_VARIABLES.teams, TEAMS_WIRING);
  const routes = options.routes ?? intentRoutes;
  const subcommands: ReadonlySet<string> = new Set(Object.keys(routes.subcommand));
  const unauthorized = () => new Response("Unauthorized", { status: 401 });
  // The Bot Connector's keys, per instance: fetched on the first activity, kept after.
  let keys: SigningKeys | undefined;
  return serve(runtime, { kind: "activity", failed: () => Response.json({}) }, async (request, scope) => {
    const { line, typed } = scope;
    const teams = scope.load().teams!;
    // 1. Read the raw body once.
    const read = await readPostBody(request, MAX_BODY_BYTES);
    if (!read.ok) {
      line.outcome = read.reason;
      return read.response;
    }
    // 2. Verify the Bot Connector's JWT, the serviceUrl it was issued for included; every failure a bare 401.
    const origin = unverifiedOrigin(read.body);
    const verified = await verifyTeamsActivity({ authorization: request.headers.get("authorization"), appId: teams.appId, serviceUrl: origin.serviceUrl, channelId: origin.channelId, keys: (keys ??= botFrameworkKeys(teams.openIdUrl, { now: runtime.now, fetch: options.fetch })), nowMs: runtime.now(), deadline: scope.context().deadline });
    if (!verified.ok) {
      line.outcome = verified.reason;
      return unauthorized();
    }
    // 3. Parse into the port's intents.
    const parsed = parseTeamsActivity(read.body, subcommands);
    if (parsed.kind === "invalid") {
      Object.assign(line, { outcome: "invalid", problem: parsed.problem });
      return new Response("Bad Request", { status: 400 });
    }
    const activity = parsed.activity;
    Object.assign(line, { kind: activity.name ?? activity.type, team: activity.tenantId, user: activity.from.id });
    // 4. Validate: only Microsoft's serviceUrls (or those allowed): the bot never calls one that merely arrived.
    if (!teams.isAllowed(activity.serviceUrl)) {
      line.outcome = "service_url_not_allowed";
      return answerNothing(activity);
    }
    // A single-tenant bot: only its own tenant's people.
    const ctx = scope.context();
    if (activity.tenantId !== teams.tenantId) {
      line.outcome = "tenant_not_allowed";
      return answerNothing(activity);
    }
    // The conversation's reference, kept for what the bot says there later (a status reply, the weekly review).
    await teams.references
      .remember(activity.conversationId.split(";messageid=")[0] ?? activity.conversationId, { serviceUrl: activity.serviceUrl, tenantId: activity.tenantId, conversationType: activity.conversationType }, { deadline: ctx.deadline })
      .catch((error: unknown) => ctx.log.warn("store.unavailable", { claim: "teams-reference", outcome: "degraded", ...describeError(error) }));
    if (parsed.kind === "conversation" || parsed.kind === "other") {
      Object.assign(line, { outcome: parsed.kind === "conversation" ? "reference_kept" : "ignored", ...(parsed.kind === "other" ? { callback_id: parsed.what } : {}) });
      return answerNothing(activity);
    }
    if (parsed.kind === "open_form") {
      // A button that carries a form (a message's "open the form"): the dialog is the answer.
      line.callback_id = parsed.form.id;
      return Response.json(dialogOf({ ...parsed.form, context: { ...parsed.form.context, [OPENED_BY]: parsed.form.context[OPENED_BY] ?? activity.id } }));
    }
    const { intent } = parsed;
    typed.push(...typedTextIn(intent));
    describeIntent(line, intent);
    // 5. Claim once by the activity's id in its conversation, thread included (a message's id is its time
    // in ms, unique only there; encoded as the references' keys are): an invoke Teams sends again (no
    // answer in time) does nothing twice.
    const claim = await ctx.claims.claim(`teams-activity:${encodeURIComponent(activity.conversationId)}:${activity.id}`, { now: runtime.now(), leaseMs: AFTER_RESPONSE_LEASE_MS, horizonMs: DUPLICATE_HORIZON_MS, deadline: ctx.deadline });
    if (claim.kind === "done" || claim.kind === "pending") {
      line.outcome = "duplicate";
      return answerNothing(activity);
    }
    if (claim.kind === "unavailable") ctx.log.warn("store.unavailable", { claim: "teams-activity", outcome: "degraded", ...describeError(claim.error) });
    const chat = ctx.chats.teams!;
    const reply = createTeamsReply(activity, intent, { connector: teams.connector, deadline: ctx.deadline });
    const interaction: InteractionContext = { ...ctx, chat, reply };
    // 6. Route.
    const route = intentRoute(intent, routes);
    if (route === undefined) line.outcome = "unknown_callback";
    const work = route ? route(interaction) : reply.tellPrivately(cardOf(NOT_HANDLED));
    await answerRoute(work, reply, ctx, line, {
      label: "finish activity",
      done: async () => {
        if (claim.kind === "won" || claim.kind === "unavailable") await completeClaim(claim, {}, ctx.log, "teams-activity");
      },
    });
    return reply.response();
  });
}

/** What an activity the bot does nothing with is answered: a plain 200 for a message, a non-empty default for an invoke. */
function answerNothing(activity: ActivityHandle): Response {
  return activity.type === "invoke" ? Response.json(defaultInvokeAnswer(activity.name)) : new Response(null, { status: 200 });
}

function describeIntent(line: Record<string, unknown>, intent: Intent): void {
  const callbackId = intent.kind === "ask_for_task" ? "task" : intent.kind === "subcommand" ? `task ${intent.name}` : intent.kind === "message_shortcut" ? intent.shortcut : intent.kind === "button" ? intent.action : intent.form;
  Object.assign(line, { intent: intent.kind, callback_id: callbackId });
}


const NOT_HANDLED = "This isn't handled by the bot any more.";
