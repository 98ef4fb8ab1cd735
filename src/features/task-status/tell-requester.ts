/**
 * Telling a requester that their task moved: once per change, whichever of the webhook event, its
 * redeliveries, the hourly sync or a status button gets there first. The task's record is moved
 * first, conditionally (store/task-records.ts); only the caller whose write lands posts.
 *
 * Where: into the thread of the message the task came from (a shortcut's task), else a direct
 * message. A post the thread's conversation refuses (the bot was removed, the thread is gone) goes
 * by direct message instead. When Slack is busy (a 429), its Retry-After is waited out while
 * the invocation has time (send-patiently.ts); past that, the message is owed in the store
 * (store/owed-sends.ts) and delivered once, after a later Notion event or by the next task sync
 * (deliver-owed-sends.ts). A timeout, a dropped connection or a 5xx is never tried again: the
 * message may have been posted.
 * Nothing here ever fails the request Notion is waiting on.
 */
import { describeError } from "../../log.js";
import { renderSlackCard } from "../../platforms/slack/render-card.js";
import type { TaskPage } from "../../notion/task-pages.js";
import { oweSend } from "../../store/owed-sends.js";
import type { Entry } from "../../store/store.js";
import { advanceTaskRecord, type TaskRecord } from "../../store/task-records.js";
import type { StatusGroup } from "../../tasks/status.js";
import type { FeatureContext } from "../context.js";
import { sendPatiently, type PatientSend } from "../send-patiently.js";
import { buildStatusNotification, type MovedBy } from "./status-messages.js";

export type TellOutcome =
  /** Posted. */
  | "told"
  /** Another delivery of the same change moved the record first: it tells, not this one. */
  | "already_told"
  /** Recorded without a message: the requester moved it themselves. */
  | "recorded"
  /** Recorded; Slack refused for now, so the message is owed (deliver-owed-sends.ts delivers it). */
  | "owed"
  /** Recorded, but Slack refused it for good (or may have posted it: a timeout): logged. */
  | "not_delivered";

export interface StatusChange {
  page: Pick<TaskPage, "title" | "url" | "status"> & { group: StatusGroup };
  by: MovedBy;
  /** Record the change without a message (the requester made it). */
  quiet?: boolean;
  /** The caller moved the record already (a status button, ahead of its write to Notion): only tell. */
  recorded?: boolean;
}

/** Moves the task's record to the page's group and, if this call moved it, tells the requester. */
export async function tellRequester(ctx: FeatureContext, pageId: string, entry: Entry<TaskRecord>, change: StatusChange): Promise<TellOutcome> {
  const record = entry.value;
  const moved = change.recorded === true || (await advanceTaskRecord(ctx.store, pageId, change.page.group, ctx.now().getTime(), entry)) !== undefined;
  if (!moved) return "already_told";
  if (change.quiet) return "recorded";
  return notifyRequester(ctx, pageId, record, change);
}

/**
 * Posts the message about a move already recorded: to the thread, else by direct message; owed when
 * Slack refuses for now. Also how an owed message is delivered (deliver-owed-sends.ts).
 */
export async function notifyRequester(ctx: FeatureContext, pageId: string, record: TaskRecord, change: Pick<StatusChange, "page" | "by">): Promise<"told" | "owed" | "not_delivered"> {
  const thread = record.place && (record.place.thread ?? record.place.message);
  const message = (inThread: boolean) =>
    buildStatusNotification({ task: change.page, status: change.page.status, group: change.page.group, requester: record.requester, by: change.by, inThread });
  const roads: Road[] = [];
  if (record.place && thread !== undefined) roads.push({ via: "thread", send: () => ctx.slack.postMessage(record.place!.conversation, { ...renderSlackCard(message(true)), threadTs: thread }) });
  roads.push({ via: "dm", send: () => ctx.slack.postMessage(record.requester.userId, renderSlackCard(message(false))) });
  const fields = { page_id: pageId, group: change.page.group };
  const { via, sent } = await postByRoads(ctx, roads, fields);
  if (sent.ok) {
    ctx.log.info("task_status.told", { ...fields, via });
    return "told";
  }
  if (sent.retryAt !== undefined) {
    const by = change.by !== undefined && "person" in change.by ? { platform: change.by.person.platform, userId: change.by.person.userId } : undefined;
    try {
      await oweSend(ctx.store, { kind: "status", pageId, group: change.page.group, ...(by ? { by } : {}) }, { now: ctx.now().getTime(), notBefore: sent.retryAt });
      ctx.log.warn("task_status.owed", { ...fields, via, outcome: "owed", retry_at: new Date(sent.retryAt).toISOString(), ...describeError(sent.error) });
      return "owed";
    } catch (error) {
      ctx.log.warn("task_status.not_owed", { ...fields, ...describeError(error) });
    }
  }
  ctx.log.error("task_status.not_delivered", { ...fields, via, outcome: "not_delivered", ...describeError(sent.error) });
  return "not_delivered";
}

interface Road {
  via: "thread" | "dm";
  send: () => Promise<unknown>;
}

/**
 * The first road, patiently; the next road when the first was refused for good (not when Slack was
 * busy: the thread is still the place, later; nor after a timeout, a dropped connection or a 5xx,
 * which may have posted it: the noise budget is one message per change).
 */
async function postByRoads(ctx: FeatureContext, roads: Road[], fields: Record<string, string>): Promise<{ via: Road["via"]; sent: PatientSend<unknown> }> {
  const [first, fallback] = roads as [Road, Road | undefined];
  const sent = await sendPatiently(ctx, first.send, { ...fields, via: first.via });
  if (sent.ok || sent.retryAt !== undefined || !fallback) return { via: first.via, sent };
  if (sent.error.code === "timeout" || sent.error.code === "network_error" || sent.error.code === "http_error") return { via: first.via, sent };
  ctx.log.warn("task_status.retrying", { ...fields, via: first.via, next: fallback.via, ...describeError(sent.error) });
  return { via: fallback.via, sent: await sendPatiently(ctx, fallback.send, { ...fields, via: fallback.via }) };
}
