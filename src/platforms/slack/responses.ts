/** What the bot answers Slack over HTTP, inside the 3-second acknowledgement window. */
import type { KnownBlock, View } from "@slack/types";
import { headWithinUnits } from "../../text.js";

const jsonHeaders = { "content-type": "application/json; charset=utf-8" };

/** An empty 200: Slack's plain acknowledgement (a modal closes, a shortcut shows nothing). */
export function acknowledge(): Response {
  return new Response(null, { status: 200 });
}

/** A 200 with a JSON body, such as a response_action for a modal. */
export function acknowledgeWith(body: object): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: jsonHeaders });
}

/** A message only the person who typed the command sees. */
export function ephemeral(text: string, blocks?: KnownBlock[]): Response {
  return acknowledgeWith({ response_type: "ephemeral", text, ...(blocks ? { blocks } : {}) });
}

/** Keeps the modal open with a message under each named input block (keyed by block_id). */
export function viewErrors(errors: Record<string, string>): Response {
  return acknowledgeWith({ response_action: "errors", errors });
}

/** Replaces the open modal with another view (for example "Saving…" or "Saved"). */
export function updateView(view: View): Response {
  return acknowledgeWith({ response_action: "update", view });
}

/**
 * Replaces the open modal with a message, for a submission the bot cannot keep open with an error
 * under an input (Slack refuses `errors` keyed by a block the modal lacks, with its generic error).
 */
export function replaceModalWithNotice(title: string, text: string): Response {
  return updateView({
    type: "modal",
    // Slack caps a modal's title at 24 characters (UTF-16 units): never half an emoji.
    title: { type: "plain_text", text: headWithinUnits(title, 24) },
    close: { type: "plain_text", text: "Close" },
    blocks: [{ type: "section", text: { type: "mrkdwn", text } }],
  });
}

/** Closes the whole modal stack. */
export function clearViews(): Response {
  return acknowledgeWith({ response_action: "clear" });
}
