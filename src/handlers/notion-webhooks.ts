/** The handler behind POST /notion/webhooks (netlify/functions/notion-webhooks.ts): Notion's integration webhooks. */
import { claimNotionEvent } from "../features/notion-event-claim.js";
import { FINISH_SETUP, keepVerificationToken } from "../features/notion-setup/verification-token.js";
import { readNotionRequest, unauthorized } from "../notion/read-webhook.js";
import { checkEventTime } from "../notion/verify-webhook.js";
import { parseNotionEvent } from "../notion/webhook-payloads.js";
import { notionEventRoutes, routeFor } from "../routes.js";
import { createRuntime, REQUIRED_VARIABLES, type RuntimeOptions } from "../runtime.js";
import { SLACK_PERSONAL_VIEWS } from "../platforms/slack/home/refresh-home.js";
import { serve, type Handler } from "../serve.js";
import { everyPlatformWiring } from "./every-platform.js";

/**
 * POST /notion/webhooks: Notion's integration webhooks. Acknowledged at once and worked on after
 * (Notion retries what it thinks failed); a permanent problem (an event the bot cannot use, a page it
 * cannot read) is answered 200 with a log line, never a 5xx that Notion would retry. 5xx only for
 * what may pass: the set-up not finished (503), the store unreachable (503).
 */
export function createNotionWebhooksHandler(options: RuntimeOptions = {}): Handler {
  const runtime = createRuntime({ personalViews: SLACK_PERSONAL_VIEWS, ...options }, REQUIRED_VARIABLES.notion, everyPlatformWiring());
  return serve(runtime, { kind: "notion_event", failed: () => new Response(null, { status: 200 }) }, async (request, scope) => {
    const { line, typed } = scope;
    const loaded = scope.load();
    // 1. Read the raw body once and 2. verify the signature (the handshake is the one unsigned request).
    const read = await readNotionRequest(request, { secret: loaded.notionWebhookSecret });
    if (!read.ok) {
      line.outcome = read.reason;
      if (read.reason === "not_configured") {
        const problem = loaded.ports.settings.problems.NOTION_WEBHOOK_SECRET;
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
