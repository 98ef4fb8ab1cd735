/**
 * The announcement of a new task in the tasks channel of the requester's platform
 * (SLACK_TASKS_CHANNEL_ID, DISCORD_TASKS_CHANNEL_ID). Posted after the task is saved; when the
 * platform refuses for now (a 429), its Retry-After is waited out while the invocation has time,
 * else the announcement is owed (store/owed-sends.ts) and posted later (deliver-owed-sends.ts),
 * rebuilt from the page as it is then. A refusal for good (the bot is not in the channel) is logged,
 * and so is a 5xx or a timeout, never tried again: the announcement may have been posted.
 */
import type { Platform } from "../../chat/model.js";
import { describeError } from "../../log.js";
import { oweSend } from "../../store/owed-sends.js";
import type { FeatureContext } from "../context.js";
import { describeSendError, sendPatiently } from "../send-patiently.js";
import { buildAnnouncement, type Mentioned, type TaskStatusView } from "./messages.js";

export type AnnounceOutcome = "announced" | "owed" | "failed";

/** Where an announcement goes: a channel on one platform (`workspace`: the Slack team, the Discord guild; empty when unknown). */
export interface AnnounceTo {
  platform: Platform;
  workspace: string;
  channel: string;
}

/** Posts the announcement of `task` (its page id, title and link) for `requester` in `to`; never rejects. */
export async function announceTask(ctx: FeatureContext, to: AnnounceTo, task: { id: string; title: string; url: string }, requester: Mentioned, status: TaskStatusView | undefined): Promise<AnnounceOutcome> {
  const fields = { channel: to.channel, page_id: task.id };
  const chat = ctx.chats[to.platform];
  if (chat === undefined) {
    ctx.log.warn("task.announce_failed", { ...fields, outcome: "degraded", error_code: "platform_off" });
    return "failed";
  }
  const place = { platform: to.platform, workspace: to.workspace, conversation: to.channel };
  const sent = await sendPatiently(ctx, () => chat.post(place, buildAnnouncement(task, requester, status)), fields);
  if (sent.ok) return "announced";
  if (sent.retryAt !== undefined) {
    try {
      // Slack's owed announcement names no platform, as one owed before the port (owed-sends.ts reads it as Slack's).
      const platform = to.platform === "slack" ? {} : { platform: to.platform };
      await oweSend(ctx.store, { kind: "announcement", pageId: task.id, requester: requester.userId, channel: to.channel, ...platform }, { now: ctx.now().getTime(), notBefore: sent.retryAt });
      ctx.log.warn("task.announce_owed", { ...fields, outcome: "owed", retry_at: new Date(sent.retryAt).toISOString(), ...describeSendError(sent.error) });
      return "owed";
    } catch (error) {
      ctx.log.warn("task.announce_not_owed", { ...fields, ...describeError(error) });
    }
  }
  ctx.log.warn("task.announce_failed", { ...fields, ...describeSendError(sent.error) });
  return "failed";
}
