import type { SlackApiError } from "../../platforms/slack/client.js";
import { describeError } from "../../log.js";
import type { FeatureContext } from "../context.js";
import { buildTaskModal, type TaskModalMetadata } from "./modal.js";

export interface OpenTaskModalInput {
  triggerId: string;
  title?: string | undefined;
  description?: string | undefined;
  metadata: TaskModalMetadata;
  /**
   * Metadata that needs remote calls (a permalink, a name). Started just after views.open is sent,
   * never before it: once it resolves, views.update puts it in the open modal.
   */
  lateMetadata?: (() => Promise<Partial<TaskModalMetadata>>) | undefined;
}

export type OpenTaskModalResult = { ok: true } | { ok: false; message: string };

/**
 * Opens the task modal; resolves with ok, or with the message to give the person (never rejects).
 * views.open is the first remote call and stops at the request's deadline: a trigger_id expires
 * three seconds after Slack sends it, so nothing (Notion least of all) may come before it. The
 * board's priority options are filled in afterwards when this instance had not read them yet.
 */
export async function openTaskModal(input: OpenTaskModalInput, ctx: FeatureContext): Promise<OpenTaskModalResult> {
  const known = ctx.tasks.peekBoard()?.priority?.options;
  // What the open modal holds; each late update carries both, so neither overwrites the other.
  let priorities = known;
  let metadata = input.metadata;
  const modal = () => buildTaskModal({ title: input.title, description: input.description, priorities, metadata });
  const opening = ctx.slack.openView(input.triggerId, modal(), { deadline: ctx.deadline });
  const lateMetadata = input.lateMetadata?.().catch((error: unknown) => {
    ctx.log.warn("task.late_metadata_failed", { outcome: "degraded", ...describeError(error) });
    return {};
  });
  let viewId: string;
  try {
    viewId = (await opening).id;
  } catch (error) {
    ctx.log.warn("slack.views_open_failed", describeError(error));
    return { ok: false, message: explainOpenFailure(error as SlackApiError) };
  }
  // One views.update at a time, in order, so an older version never lands after a newer one.
  let updating: Promise<void> = Promise.resolve();
  const update = () => (updating = updating.catch(() => undefined).then(() => ctx.slack.updateView(viewId, modal())));
  if (known === undefined) {
    ctx.defer("refresh priority options", async () => {
      const options = (await ctx.tasks.board()).priority?.options;
      if (options && options.length > 0) {
        priorities = options;
        await update();
      }
    });
  }
  if (lateMetadata) {
    ctx.defer("complete task metadata", async () => {
      // A field left undefined keeps the value the modal opened with (a fallback link, say).
      const late = Object.entries(await lateMetadata).filter(([, value]) => value !== undefined);
      if (late.length === 0) return;
      metadata = { ...metadata, ...(Object.fromEntries(late) as Partial<TaskModalMetadata>) };
      await update();
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
