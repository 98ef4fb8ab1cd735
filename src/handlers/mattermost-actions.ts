/**
 * The handler behind POST /mattermost/actions (netlify/functions/mattermost-actions.ts): every
 * message button's integration URL. Mattermost signs nothing it sends here, so the bot acts only on
 * a context it signed itself (signed.ts): a forged one is a bare 401, an expired one is told so.
 */
import { intentOfAction } from "../platforms/mattermost/intents.js";
import { parseAction } from "../platforms/mattermost/payloads.js";
import { readPostBody } from "../read-body.js";
import { buttonIntentRoutes } from "../routes.js";
import { MATTERMOST_WIRING } from "../platforms/mattermost/wiring.js";
import { createRuntime, REQUIRED_VARIABLES } from "../runtime.js";
import { serve, type Handler } from "../serve.js";
import { FAILED, MAX_BODY_BYTES, routeMattermostRequest, siteUrlOf, type MattermostHandlerOptions } from "./mattermost-request.js";

/** POST /mattermost/actions: a button press on a post the bot made. */
export function createMattermostActionsHandler(options: MattermostHandlerOptions = {}): Handler {
  const runtime = createRuntime(options, REQUIRED_VARIABLES.mattermost, MATTERMOST_WIRING);
  const routes = options.routes ?? { button: buttonIntentRoutes };
  return serve(runtime, { kind: "button", failed: () => Response.json({ ephemeral_text: FAILED }) }, async (request, scope) => {
    const { line } = scope;
    const loaded = scope.load().mattermost!;
    // 1. Read the raw body once.
    const read = await readPostBody(request, MAX_BODY_BYTES);
    if (!read.ok) {
      line.outcome = read.reason;
      return read.response;
    }
    // 3. Parse (before verifying: the signature is inside the body).
    const parsed = parseAction(read.body);
    if (!parsed.ok) {
      Object.assign(line, { outcome: "invalid_payload", problem: parsed.problem });
      return new Response(null, { status: 400 });
    }
    // 2. Verify: the context is one the bot signed; a forged one changes nothing and hears nothing.
    const reading = intentOfAction(parsed.value, loaded.signingKey, runtime.now());
    if (!reading.ok) {
      Object.assign(line, { outcome: `context_${reading.reason}`, team: parsed.value.team_id, user: parsed.value.user_id });
      return reading.reason === "forged" ? new Response(null, { status: 401 }) : Response.json({ ephemeral_text: EXPIRED });
    }
    // 5.-8. Route, acknowledge, deferred work.
    return routeMattermostRequest(scope, {
      kind: "action",
      intent: reading.intent,
      loaded,
      siteUrl: siteUrlOf(request, loaded),
      triggerId: parsed.value.trigger_id || undefined,
      responseUrl: undefined,
      channelId: parsed.value.channel_id,
      routes,
      now: runtime.now,
    });
  });
}

const EXPIRED = "That button has expired. Please start again with /task.";
