/**
 * What the three Mattermost handlers share (mattermost-commands, -actions, -dialogs): the runtime,
 * the body read once, the per-request ChatApi and Reply, the route by intent, and the log line's
 * fields. Each handler keeps its own steps on the road (serve.ts) between reading and routing:
 * verify (the command's token, or what the bot signed), parse, validate, in the order its proof
 * asks. No step claims a key: Mattermost sends each request once and never retries one, and a
 * form's save is claimed by the dialog's signed instance (the feature's "save once"), so a dialog
 * sent twice saves one page.
 */
import type { Intent } from "../chat/intent.js";
import type { InteractionContext } from "../features/context.js";
import { settleWithin } from "../features/settle-within.js";
import { describeError, type LogFields } from "../log.js";
import { createMattermostChatApi, type MattermostChatApi } from "../platforms/mattermost/chat-api.js";
import { createMattermostReply, type MattermostReply, type MattermostRequestKind } from "../platforms/mattermost/reply.js";
import { MATTERMOST_WIRING, type MattermostLoaded } from "../platforms/mattermost/wiring.js";
import { readPostBody } from "../read-body.js";
import { intentRouteIn, type IntentRoutes } from "../routes.js";
import { createRuntime, REQUIRED_VARIABLES, type RuntimeOptions } from "../runtime.js";
import { serve, type Handler, type RequestScope } from "../serve.js";
import { cardOf, FAILED } from "./answer-route.js";
import { describeIntent, typedTextIn } from "./intent-log.js";

export interface MattermostHandlerOptions extends RuntimeOptions {
  /** The port's routing table (each handler's own kinds by default); tests pass their own routes. */
  routes?: Partial<IntentRoutes>;
}

/** A request's body is at most this: a command's text (16,383 runes) or a dialog's five values, with room. */
export const MAX_BODY_BYTES = 256 * 1024;

/** One endpoint: how its requests are logged, answered when something breaks, and routed. */
export interface MattermostEndpoint {
  /** The log line's `kind` until the intent is known ("command", "button", "submit_form"). */
  logKind: string;
  /** Which request the Reply answers: a command, a button's action, a dialog's submission. */
  kind: MattermostRequestKind;
  /** The answer to an unexpected error, in the form this endpoint's caller shows. */
  failed: () => Response;
  /** The endpoint's routes, unless the options pass their own. */
  routes: Partial<IntentRoutes>;
}

/** What an endpoint's own steps are handed: the body, read once, and the request's scope and parts. */
export interface ReadRequest {
  body: string;
  request: Request;
  scope: RequestScope;
  loaded: MattermostLoaded;
  now: () => number;
}

/** What the endpoint's steps made of a request: the intent and where its Reply answers, to be routed. */
export type OpenedRequest = Pick<RouteRequest, "intent" | "triggerId" | "responseUrl" | "channelId">;

/**
 * A Mattermost endpoint's handler: 1. the raw body read once, then the endpoint's own steps
 * (`open`: 2.-4. verify, parse, validate; a Response ends the request there), then 5.-8. the route.
 */
export function serveMattermost(options: MattermostHandlerOptions, endpoint: MattermostEndpoint, open: (read: ReadRequest) => Promise<OpenedRequest | Response>): Handler {
  const runtime = createRuntime(options, REQUIRED_VARIABLES.mattermost, MATTERMOST_WIRING);
  const routes = options.routes ?? endpoint.routes;
  return serve(runtime, { kind: endpoint.logKind, failed: endpoint.failed }, async (request, scope) => {
    const loaded = scope.load().mattermost!;
    // 1. Read the raw body once.
    const read = await readPostBody(request, MAX_BODY_BYTES);
    if (!read.ok) {
      scope.line.outcome = read.reason;
      return read.response;
    }
    const opened = await open({ body: read.body, request, scope, loaded, now: runtime.now });
    if (opened instanceof Response) return opened;
    // 5.-8. Route, acknowledge, deferred work.
    return routeMattermostRequest(scope, { ...opened, kind: endpoint.kind, loaded, siteUrl: siteUrlOf(request, loaded), routes, now: runtime.now });
  });
}

/**
 * Where Mattermost posts back to (dialogs, buttons): the origin the request came to, which is the
 * site Mattermost was set up with (Netlify's URL when the request does not say, a schedule's posts).
 */
export function siteUrlOf(request: Request, loaded: MattermostLoaded): string {
  return URL.canParse(request.url) ? new URL(request.url).origin : (loaded.siteUrl ?? "");
}

/** The ChatApi for one request: buttons post back to the site the request came to. */
export function requestChat(loaded: MattermostLoaded, siteUrl: string, now: () => number): MattermostChatApi {
  return createMattermostChatApi(loaded.rest, { signingKey: loaded.signingKey, siteUrl, serverUrl: loaded.serverUrl, now, usernames: loaded.usernames, me: loaded.me });
}

export interface RouteRequest {
  kind: MattermostRequestKind;
  intent: Intent;
  loaded: MattermostLoaded;
  siteUrl: string;
  triggerId: string | undefined;
  responseUrl: string | undefined;
  channelId: string | undefined;
  routes: Partial<IntentRoutes>;
  now: () => number;
}

/**
 * 6. Route the intent (an unknown one is told so), 7. acknowledge with what the route said by the
 * deadline (a route still running then goes on as deferred work, answering through the API), 8. the
 * rest as deferred work. A route that fails before saying anything: the person hears so.
 */
export async function routeMattermostRequest(scope: RequestScope, request: RouteRequest): Promise<Response> {
  const { line, typed } = scope;
  typed.push(...typedTextIn(request.intent));
  describeIntent(line, request.intent);
  const ctx = scope.context();
  const chat = requestChat(request.loaded, request.siteUrl, request.now);
  const reply: MattermostReply = createMattermostReply({
    kind: request.kind,
    intent: request.intent,
    rest: request.loaded.rest,
    chat,
    signingKey: request.loaded.signingKey,
    now: request.now,
    siteUrl: request.siteUrl,
    triggerId: request.triggerId,
    responseUrl: request.responseUrl,
    channelId: request.channelId,
    deadline: ctx.deadline,
  });
  const interaction: InteractionContext = { ...ctx, chat, reply };
  const route = intentRouteIn(request.routes, request.intent);
  const work = route === undefined ? unhandled(line, reply) : route(interaction);
  const settled = await settleWithin(work, ctx.deadline.remainingMs());
  if (settled.state === "rejected") {
    Object.assign(line, { outcome: "error", ...describeError(settled.error) });
    await reply.tellPrivately(cardOf(FAILED)).catch(() => undefined);
  }
  if (settled.state === "pending") {
    line.deferred = true;
    ctx.defer("finish request", () => work);
  }
  return reply.response();
}

async function unhandled(line: LogFields, reply: MattermostReply): Promise<void> {
  line.outcome = "unknown_callback";
  await reply.tellPrivately(cardOf(NOT_HANDLED));
}


export const NOT_HANDLED = "This isn't handled by the bot any more.";
