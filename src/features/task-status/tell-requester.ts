/**
 * Telling a requester that their task moved: once per change, whichever of the webhook event, its
 * redeliveries, the hourly sync or a status button gets there first. The task's record is moved
 * first, conditionally (store/task-records.ts); only the caller whose write lands posts.
 *
 * Where: into the thread of the message the task came from (a shortcut's task), else a direct
 * message. A post Slack refuses is tried once more: in a direct message when the thread's
 * conversation refused it (the bot was removed, the thread is gone), or on the same road after a
 * short wait when Slack was busy. Then it is logged and dropped: a notification is never worth a
 * retry storm, and nothing here ever fails the request Notion is waiting on.
 */
import { describeError } from "../../log.js";
import type { TaskPage } from "../../notion/task-pages.js";
import { SlackApiError } from "../../slack/client.js";
import type { Entry } from "../../store/store.js";
import { advanceTaskRecord, type TaskRecord } from "../../store/task-records.js";
import type { StatusGroup } from "../../tasks/status.js";
import type { FeatureContext } from "../context.js";
import { buildStatusNotification, type MovedBy } from "./status-messages.js";

/** The longest wait before the one retry of a post Slack was too busy for. */
const MAX_RETRY_WAIT_MS = 1_500;

export type TellOutcome =
  /** Posted. */
  | "told"
  /** Another delivery of the same change moved the record first: it tells, not this one. */
  | "already_told"
  /** Recorded without a message: the requester moved it themselves. */
  | "recorded"
  /** Recorded, but Slack refused both tries: logged. */
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
  const inThread = record.channel !== undefined && record.threadTs !== undefined;
  const message = (thread: boolean) =>
    buildStatusNotification({ task: change.page, status: change.page.status, group: change.page.group, requesterId: record.requester, by: change.by, inThread: thread });
  const roads: Road[] = [];
  if (inThread) roads.push({ via: "thread", send: () => ctx.slack.postMessage(record.channel!, { ...message(true), threadTs: record.threadTs! }) });
  roads.push({ via: "dm", send: () => ctx.slack.postMessage(record.requester, message(false)) });
  const fields = { page_id: pageId, group: change.page.group };
  const delivered = await postWithOneRetry(ctx, roads, fields);
  if (delivered) {
    ctx.log.info("task_status.told", { ...fields, via: delivered });
    return "told";
  }
  return "not_delivered";
}

interface Road {
  via: "thread" | "dm";
  send: () => Promise<unknown>;
}

/**
 * The first road, then at most one more try: the next road when the first was refused, the same one
 * after Slack's Retry-After (capped) when Slack was busy or unreachable. A timeout is not retried:
 * the message may have been posted, and the noise budget is one message per change.
 */
async function postWithOneRetry(ctx: FeatureContext, roads: Road[], fields: Record<string, string>): Promise<Road["via"] | undefined> {
  const [first, fallback] = roads as [Road, Road | undefined];
  let failure: unknown;
  try {
    await first.send();
    return first.via;
  } catch (error) {
    failure = error;
  }
  const code = failure instanceof SlackApiError ? failure.code : "unknown_error";
  const busy = code === "rate_limited" || code === "http_error" || code === "network_error";
  const retry = busy ? first : code === "timeout" ? undefined : fallback;
  if (!retry) {
    ctx.log.error("task_status.not_delivered", { ...fields, via: first.via, outcome: "not_delivered", ...describeError(failure) });
    return undefined;
  }
  ctx.log.warn("task_status.retrying", { ...fields, via: first.via, next: retry.via, ...describeError(failure) });
  if (busy) {
    const retryAfter = failure instanceof SlackApiError && failure.retryAfterSeconds ? failure.retryAfterSeconds * 1000 : 500;
    await ctx.sleep(Math.min(retryAfter, MAX_RETRY_WAIT_MS));
  }
  try {
    await retry.send();
    return retry.via;
  } catch (error) {
    ctx.log.error("task_status.not_delivered", { ...fields, via: retry.via, outcome: "not_delivered", ...describeError(error) });
    return undefined;
  }
}
