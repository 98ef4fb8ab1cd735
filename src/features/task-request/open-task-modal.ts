import type { SlackApiError } from "../../slack/client.js";
import { describeError } from "../../log.js";
import type { FeatureContext } from "../context.js";
import { buildTaskModal, type TaskModalMetadata } from "./modal.js";

export interface OpenTaskModalInput {
  triggerId: string;
  title?: string | undefined;
  description?: string | undefined;
  metadata: TaskModalMetadata;
}

export type OpenTaskModalResult = { ok: true } | { ok: false; message: string };

/**
 * Opens the task modal. views.open is the first remote call: a trigger_id expires about three
 * seconds after Slack sends it, so nothing (Notion least of all) may come before it. The board's
 * priority options are filled in afterwards when this instance had not read them yet.
 */
export async function openTaskModal(input: OpenTaskModalInput, ctx: FeatureContext): Promise<OpenTaskModalResult> {
  const known = ctx.tasks.peekBoard()?.priority?.options;
  const modal = (priorities: readonly string[] | undefined) =>
    buildTaskModal({ title: input.title, description: input.description, priorities, metadata: input.metadata });
  let viewId: string;
  try {
    viewId = (await ctx.slack.openView(input.triggerId, modal(known))).id;
  } catch (error) {
    ctx.log.warn("slack.views_open_failed", describeError(error));
    return { ok: false, message: explainOpenFailure(error as SlackApiError) };
  }
  if (known === undefined) {
    ctx.defer("refresh priority options", async () => {
      const options = (await ctx.tasks.board()).priority?.options;
      if (options && options.length > 0) await ctx.slack.updateView(viewId, modal(options));
    });
  }
  return { ok: true };
}

function explainOpenFailure(error: SlackApiError): string {
  if (error.code === "expired_trigger_id" || error.code === "timeout") {
    return "Slack took too long to hand me your request, so the form could not open. Please try again.";
  }
  if (error.code === "rate_limited") return "Slack is rate-limiting the bot right now. Please try again in a minute.";
  return "I couldn't open the task form just now. Please try again; if it keeps failing, tell whoever runs the bot.";
}
