/**
 * What the three Mattermost handlers share (mattermost-commands, -actions, -dialogs): the runtime,
 * the per-request ChatApi and Reply, the route by intent, and the log line's fields. Each handler
 * keeps its own steps on the road (serve.ts): read once, verify (the command's token, or what the
 * bot signed), parse, validate, route, acknowledge, deferred work. No step claims a key: Mattermost
 * sends each request once and never retries one, and a form's save is claimed by the dialog's
 * signed instance (the feature's "save once"), so a dialog sent twice saves one page.
 */
import type { Intent } from "../chat/intent.js";
import type { InteractionContext } from "../features/context.js";
import { settleWithin } from "../features/settle-within.js";
import { describeError, type LogFields } from "../log.js";
import { createMattermostChatApi, type MattermostChatApi } from "../platforms/mattermost/chat-api.js";
import { createMattermostReply, type MattermostReply, type MattermostRequestKind } from "../platforms/mattermost/reply.js";
import { intentRouteIn, type IntentRoutes } from "../routes.js";
import type { MattermostLoaded } from "../platforms/mattermost/wiring.js";
import type { RuntimeOptions } from "../runtime.js";
import type { RequestScope } from "../serve.js";
import { cardOf, FAILED } from "./answer-route.js";
import { describeIntent, typedTextIn } from "./intent-log.js";

/** Shared with the three Mattermost handlers (answer-route.ts has them for every platform). */
export { cardOf, FAILED };

export interface MattermostHandlerOptions extends RuntimeOptions {
  /** The port's routing table (each handler's own kinds by default); tests pass their own routes. */
  routes?: Partial<IntentRoutes>;
}

/** A request's body is at most this: a command's text (16,383 runes) or a dialog's five values, with room. */
export const MAX_BODY_BYTES = 256 * 1024;

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
