/**
 * The announcement of a new task in SLACK_TASKS_CHANNEL_ID. Posted after the task is saved; when
 * Slack refuses for now (a 429), its Retry-After is waited out while the invocation has time,
 * else the announcement is owed (store/owed-sends.ts) and posted later (deliver-owed-sends.ts),
 * rebuilt from the page as it is then. A refusal for good (the bot is not in the channel) is logged,
 * and so is a 5xx or a timeout, never tried again: the announcement may have been posted.
 */
import { describeError } from "../../log.js";
import { oweSend } from "../../store/owed-sends.js";
import type { FeatureContext } from "../context.js";
import { sendPatiently } from "../send-patiently.js";
import { buildAnnouncement, type TaskStatusView } from "./messages.js";

export type AnnounceOutcome = "announced" | "owed" | "failed";

/** Posts the announcement of `task` (its page id, title and link) for `requester`; never rejects. */
export async function announceTask(ctx: FeatureContext, channel: string, task: { id: string; title: string; url: string }, requester: string, status: TaskStatusView | undefined): Promise<AnnounceOutcome> {
  const fields = { channel, page_id: task.id };
  const sent = await sendPatiently(ctx, () => ctx.slack.postMessage(channel, buildAnnouncement(task, requester, status)), fields);
  if (sent.ok) return "announced";
  if (sent.retryAt !== undefined) {
    try {
      await oweSend(ctx.store, { kind: "announcement", pageId: task.id, requester, channel }, { now: ctx.now().getTime(), notBefore: sent.retryAt });
      ctx.log.warn("task.announce_owed", { ...fields, outcome: "owed", retry_at: new Date(sent.retryAt).toISOString(), ...describeError(sent.error) });
      return "owed";
    } catch (error) {
      ctx.log.warn("task.announce_not_owed", { ...fields, ...describeError(error) });
    }
  }
  ctx.log.warn("task.announce_failed", { ...fields, ...describeError(sent.error) });
  return "failed";
}
