/**
 * The handler behind POST /mattermost/dialogs (netlify/functions/mattermost-dialogs.ts): every
 * interactive dialog's submission. Mattermost signs nothing it sends here, so the bot acts only on
 * a `state` it signed itself for this form and this person (signed.ts): a forged one is a bare 401,
 * an expired one is told so on the dialog, which stays open with what was typed.
 */
import { intentOfDialog } from "../platforms/mattermost/intents.js";
import { parseDialogSubmission } from "../platforms/mattermost/payloads.js";
import { submitFormIntentRoutes } from "../routes.js";
import type { Handler } from "../serve.js";
import { FAILED } from "./answer-route.js";
import { serveMattermost, type MattermostHandlerOptions } from "./mattermost-request.js";

/** POST /mattermost/dialogs: a dialog the bot opened, submitted. */
export function createMattermostDialogsHandler(options: MattermostHandlerOptions = {}): Handler {
  const endpoint = { logKind: "submit_form", kind: "dialog", failed: () => Response.json({ error: FAILED }), routes: { submit_form: submitFormIntentRoutes } } as const;
  return serveMattermost(options, endpoint, async ({ body, scope: { line }, loaded, now }) => {
    // 3. Parse (before verifying: the signature is inside the body).
    const parsed = parseDialogSubmission(body);
    if (!parsed.ok) {
      Object.assign(line, { outcome: "invalid_payload", problem: parsed.problem });
      return new Response(null, { status: 400 });
    }
    const submission = parsed.value;
    // A cancel is only sent when asked for (notify_on_cancel), which the bot never does: nothing to do.
    if (submission.cancelled) {
      line.outcome = "cancelled";
      return Response.json({});
    }
    // 2. Verify: the state is one the bot signed for this form and this person.
    const reading = intentOfDialog(submission, loaded.signingKey, now());
    if (!reading.ok) {
      Object.assign(line, { outcome: `state_${reading.reason}`, team: submission.team_id, user: submission.user_id });
      return reading.reason === "forged" ? new Response(null, { status: 401 }) : Response.json({ error: EXPIRED });
    }
    return { intent: reading.intent, triggerId: undefined, responseUrl: undefined, channelId: submission.channel_id || undefined };
  });
}

const EXPIRED = "This form has expired. Copy what you typed, close it, and start again with /task.";
