/**
 * The handler behind POST /mattermost/actions (netlify/functions/mattermost-actions.ts): every
 * message button's integration URL. Mattermost signs nothing it sends here, so the bot acts only on
 * a context it signed itself (signed.ts): a forged one is a bare 401, an expired one is told so.
 */
import { intentOfAction } from "../platforms/mattermost/intents.js";
import { parseAction } from "../platforms/mattermost/payloads.js";
import { buttonIntentRoutes } from "../routes.js";
import type { Handler } from "../serve.js";
import { FAILED } from "./answer-route.js";
import { serveMattermost, type MattermostHandlerOptions } from "./mattermost-request.js";

/** POST /mattermost/actions: a button press on a post the bot made. */
export function createMattermostActionsHandler(options: MattermostHandlerOptions = {}): Handler {
  const endpoint = { logKind: "button", kind: "action", failed: () => Response.json({ ephemeral_text: FAILED }), routes: { button: buttonIntentRoutes } } as const;
  return serveMattermost(options, endpoint, async ({ body, scope: { line }, loaded, now }) => {
    // 3. Parse (before verifying: the signature is inside the body).
    const parsed = parseAction(body);
    if (!parsed.ok) {
      Object.assign(line, { outcome: "invalid_payload", problem: parsed.problem });
      return new Response(null, { status: 400 });
    }
    // 2. Verify: the context is one the bot signed; a forged one changes nothing and hears nothing.
    const reading = intentOfAction(parsed.value, loaded.signingKey, now());
    if (!reading.ok) {
      Object.assign(line, { outcome: `context_${reading.reason}`, team: parsed.value.team_id, user: parsed.value.user_id });
      return reading.reason === "forged" ? new Response(null, { status: 401 }) : Response.json({ ephemeral_text: EXPIRED });
    }
    return { intent: reading.intent, triggerId: parsed.value.trigger_id || undefined, responseUrl: undefined, channelId: parsed.value.channel_id };
  });
}

const EXPIRED = "That button has expired. Please start again with /task.";
