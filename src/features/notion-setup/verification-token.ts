/**
 * The first step of Notion's webhook set-up: Notion's handshake carries the verification token that
 * will sign every event. The bot keeps it in the store, where only whoever can read the site's
 * Blobs finds it (`netlify blobs:get chatops notion/verification-token`), and never logs or echoes
 * it. The admin pastes it into Notion's Verify dialog and sets it as NOTION_WEBHOOK_SECRET.
 */
import { describeError } from "../../log.js";
import { STORE_NAME } from "../../store/store.js";
import type { FeatureContext } from "../context.js";

/** Where the token waits for the admin. */
export const VERIFICATION_TOKEN_KEY = "notion/verification-token";

/** The command that shows it, as the log line, doctor and the README give it. */
export const READ_TOKEN_COMMAND = `npx netlify blobs:get ${STORE_NAME} ${VERIFICATION_TOKEN_KEY}`;

/** What is kept: the token and when it came, nothing else. */
export interface PendingToken {
  verification_token: string;
  received_at: string;
}

/** What to do once the token is kept, and when events are refused for want of it. */
export const FINISH_SETUP = `run ${READ_TOKEN_COMMAND}, paste the token in Notion's Verify dialog (integration settings -> Webhooks), set it as NOTION_WEBHOOK_SECRET in Netlify and redeploy`;

/**
 * Keeps the token unless a secret is configured already: a handshake, which anyone can send
 * unsigned, never replaces the secret events are checked with. Answers 200, or 503 when the store
 * could not keep it (Notion's *Resend token* sends it again).
 */
export async function keepVerificationToken(token: string, ctx: FeatureContext, options: { secretConfigured: boolean }): Promise<Response> {
  if (options.secretConfigured) {
    ctx.log.warn("notion.handshake_ignored", {
      outcome: "secret_already_set",
      fix: "NOTION_WEBHOOK_SECRET is set, so this token was not kept. If you made a new subscription in Notion, unset NOTION_WEBHOOK_SECRET, redeploy, press Resend token in Notion, then " + FINISH_SETUP,
    });
    return new Response(null, { status: 200 });
  }
  const pending: PendingToken = { verification_token: token, received_at: ctx.now().toISOString() };
  try {
    await ctx.store.write(VERIFICATION_TOKEN_KEY, pending);
  } catch (error) {
    ctx.log.error("notion.handshake_not_kept", { outcome: "store_unavailable", fix: "press Resend token in Notion's webhook settings to send it again", ...describeError(error) });
    return new Response("Try again", { status: 503 });
  }
  ctx.log.info("notion.handshake", { outcome: "token_kept", fix: FINISH_SETUP });
  return new Response(null, { status: 200 });
}
