/**
 * The handler behind POST /slack/events (netlify/functions/slack-events.ts): the Events API. Each
 * event is checked, claimed once, acknowledged, and routed after the response.
 */
import { describeError } from "../log.js";
import { routeEvent } from "../routes.js";
import { createRuntime, REQUIRED_VARIABLES, type RuntimeOptions } from "../runtime.js";
import { SLACK_PERSONAL_VIEWS } from "../platforms/slack/home/refresh-home.js";
import { serve, type Handler, type RequestScope } from "../serve.js";
import { personOfEvent } from "../platforms/slack/access.js";
import { USER_ID } from "../platforms/slack/payload-fields.js";
import { botUserIdOf, parseEventsApiPayload, type KnownEvent } from "../platforms/slack/payloads.js";
import { readVerifiedBody } from "../platforms/slack/read-request.js";
import { acknowledge } from "../platforms/slack/responses.js";
import { withSlack } from "../platforms/slack/context.js";
import { SLACK_WIRING } from "../platforms/slack/wiring.js";
import { AFTER_RESPONSE_LEASE_MS, completeClaim } from "../store/claims.js";
import { isOutsider } from "./is-outsider.js";

/** How long an event's work may hold its claim before a retry of it (or an edit's event) may take over. */
const EVENT_LEASE_MS = AFTER_RESPONSE_LEASE_MS;
/** Slack retries an event up to three times, the last about five minutes after the first. */
const EVENT_HORIZON_MS = 3_600_000;
/**
 * How long a message's mention is remembered: an edit of the message, days later, brings its mention
 * again under a new event_id. A week: a claim always looks into last week's, never further.
 */
const MENTION_HORIZON_MS = 7 * 86_400_000;

/**
 * POST /slack/events: the Events API (the Home tab, mentions). Every event is acknowledged at once
 * and handled after the response, once per event_id (a mention once per message) whichever instance
 * Slack's retries, or its events about an edit of the message, reach.
 */
export function createSlackEventsHandler(options: RuntimeOptions = {}): Handler {
  // People open the Home tab in bursts (a team arriving in the morning): Notion's requests are paced
  // under its ~3 a second on each instance, and only Notion's: the store and Slack answer the ack path.
  const runtime = createRuntime({ personalViews: SLACK_PERSONAL_VIEWS, ...options, paceNotion: true }, REQUIRED_VARIABLES.slack, SLACK_WIRING);
  // Any answer but a 2xx makes Slack send the event again: an unexpected error is acknowledged too.
  return serve(runtime, { kind: "event_callback", failed: () => acknowledge() }, async (request, scope) => {
    const { line } = scope;
    // 1. Read the raw body once and 2. verify the signature: the same check as every Slack request.
    // Slack's parts: always there, since this function requires Slack's variables.
    const read = await readVerifiedBody(request, { signingSecret: scope.load().slack!.signingSecret!, nowMs: runtime.now() });
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
  // The workspace of the person behind the event: a mention's `user_team` (in a channel shared with
  // another organisation, the writer's own), else the event's `team`, else the envelope's.
  const workspaces = personOfEvent(callback.event as { user_team?: string; team?: string }, callback as { team_id?: string; enterprise_id?: string | null });
  Object.assign(line, { callback_id: known.type, team: workspaces[0], user: callback.event.user, event_id: callback.event_id });
  if (known.type === "app_mention") {
    typed.push(known.callback.event.text);
    line.text_length = known.callback.event.text.length;
    if (known.callback.event.edited !== undefined) line.edited = true;
  }
  const slack = scope.load().slack!;
  const ctx = withSlack(scope.context(), slack);
  // Nothing is posted to someone the bot does not serve: the log line says why.
  if (isOutsider(slack.access, { workspaces, appId: callback.api_app_id }, line)) return acknowledge();
  if (!fromAPerson(known)) {
    // A bot's message (the bot's own reply quoting itself, say): answering it could loop.
    line.outcome = "not_a_person";
    return acknowledge();
  }
  const now = ctx.now().getTime();
  if (known.type === "app_mention" && known.callback.event.edited !== undefined && now - tsMs(known.callback.event.ts) >= MENTION_HORIZON_MS) {
    // Its first mention's claim is gone: the bot cannot tell whether it answered, and an edit is not a new request.
    line.outcome = "edit_of_old_message";
    return acknowledge();
  }
  // 5. Claim: each event once, and each message once, whichever instance its deliveries reach.
  const { name, horizonMs } = claimOf(known);
  const claim = await ctx.claims.claim(name, { now, leaseMs: EVENT_LEASE_MS, horizonMs, deadline: ctx.deadline });
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
    if (claim.kind === "won" || claim.kind === "unavailable") await completeClaim(claim, {}, ctx.log, name);
  });
  return acknowledge();
}

/**
 * What an event is claimed by. A mention by its message (`mention:<channel>:<ts>`): Slack sends
 * app_mention again, with a new event_id, when the message is edited, and its retries carry the
 * same message, so one claim answers each message once. Any other event by its `event_id`.
 */
function claimOf(known: KnownEvent): { name: string; horizonMs: number } {
  if (known.type === "app_mention") return { name: `mention:${known.callback.event.channel}:${known.callback.event.ts}`, horizonMs: MENTION_HORIZON_MS };
  return { name: `event:${known.callback.event_id}`, horizonMs: EVENT_HORIZON_MS };
}

/** A message ts ("seconds.micros") in ms since the epoch. */
function tsMs(ts: string): number {
  return Number(ts.split(".")[0]) * 1000;
}

/** Whether a person is behind the event: not a bot (any bot_id), not the bot itself, with a user id. */
function fromAPerson(known: KnownEvent): boolean {
  const event = known.callback.event as { user?: string; bot_id?: string };
  if (event.bot_id !== undefined || event.user === undefined) return false;
  return USER_ID.test(event.user) && event.user !== botUserIdOf(known.callback);
}
