/**
 * Telling a requester that their task moved: once per change, whichever of the webhook event, its
 * redeliveries, the hourly sync or a status button gets there first. The task's record is moved
 * first, conditionally (store/task-records.ts); only the caller whose write lands posts.
 *
 * Where, on the requester's own platform: a reply where the task came from (a shortcut's task: in
 * the Slack thread, or to the Discord message), else a direct message. A reply the conversation
 * refuses (the bot was removed, the thread is gone) goes by direct message instead; a direct
 * message the person refuses (Discord 50007: no server in common, or DMs closed) goes as a reply in
 * the conversation the task was asked for in, when the record knows it. When the platform is busy
 * (a 429), its Retry-After is waited out while
 * the invocation has time (send-patiently.ts); past that, the message is owed in the store
 * (store/owed-sends.ts) and delivered once, after a later Notion event or by the next task sync
 * (deliver-owed-sends.ts). A timeout, a dropped connection or a 5xx is never tried again: the
 * message may have been posted.
 * Nothing here ever fails the request Notion is waiting on.
 */
import type { ChatErrorCode } from "../../chat/chat-error.js";
import { sameConversation } from "../../chat/place.js";
import { describeError } from "../../log.js";
import type { TaskPage } from "../../notion/task-pages.js";
import { oweSend } from "../../store/owed-sends.js";
import type { Entry } from "../../store/store.js";
import { advanceTaskRecord, type TaskRecord } from "../../store/task-records.js";
import type { StatusGroup } from "../../tasks/status.js";
import type { FeatureContext } from "../context.js";
import { describeSendError, sendPatiently, type PatientSend } from "../send-patiently.js";
import type { Mover } from "./mover.js";
import { buildStatusNotification, type MovedBy } from "./status-messages.js";

export type TellOutcome =
  /** Posted. */
  | "told"
  /** Another delivery of the same change moved the record first: it tells, not this one. */
  | "already_told"
  /** Recorded without a message: the requester moved it themselves. */
  | "recorded"
  /** Recorded; the platform refused for now, so the message is owed (deliver-owed-sends.ts delivers it). */
  | "owed"
  /** Recorded, but the platform refused it for good (or may have posted it: a timeout), or is off: logged. */
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
 * Posts the message about a move already recorded, on the requester's own platform
 * (ctx.chats[record.requester.platform]): a reply where the task came from, else a direct message;
 * owed when the platform refuses for now. Also how an owed message is delivered (deliver-owed-sends.ts).
 */
export async function notifyRequester(ctx: FeatureContext, pageId: string, record: TaskRecord, change: Pick<StatusChange, "page" | "by">): Promise<"told" | "owed" | "not_delivered"> {
  const fields = { page_id: pageId, group: change.page.group };
  const chat = ctx.chats[record.requester.platform];
  if (chat === undefined && ctx.settings.unwired?.includes(record.requester.platform)) {
    // On, but not in this function (a Slack Home tab's press about a Discord requester's task): the
    // record has moved, so no event or sync would tell them; a function wired for it delivers it.
    const by = byOf(change);
    try {
      await oweSend(ctx.store, { kind: "status", pageId, group: change.page.group, ...(by ? { by } : {}) }, { now: ctx.now().getTime(), notBefore: ctx.now().getTime() });
      ctx.log.info("task_status.owed", { ...fields, platform: record.requester.platform, outcome: "owed", reason: "not_wired" });
      return "owed";
    } catch (error) {
      ctx.log.error("task_status.not_delivered", { ...fields, platform: record.requester.platform, outcome: "not_delivered", error_code: "not_owed", ...describeError(error) });
      return "not_delivered";
    }
  }
  if (chat === undefined) {
    // The platform's variables were removed since the task was made: nobody can be told there.
    ctx.log.error("task_status.not_delivered", { ...fields, platform: record.requester.platform, outcome: "not_delivered", error_code: "platform_off" });
    return "not_delivered";
  }
  const message = (inThread: boolean) => buildStatusNotification({ task: change.page, status: change.page.status, group: change.page.group, requester: record.requester, by: change.by, inThread });
  // The one person the reply may ping (Discord's allowed_mentions; on Slack the card's mention is the
  // only one), with the name they asked under: Teams writes a mention as `<at>Name</at>`.
  const mention = { ...record.requester, displayName: record.requester.displayName };
  const roads: Road[] = [];
  const place = record.place;
  if (place) roads.push({ via: "thread", send: () => chat.reply(place, message(true), { mention }) });
  roads.push({ via: "dm", send: () => chat.tellPrivately(record.requester, message(false)) });
  // Only after a refused direct message (Discord 50007: no shared server, or DMs closed), and not
  // into the conversation that just refused the reply.
  const asked = record.asked;
  if (asked && !(place && sameConversation(place, asked))) roads.push({ via: "channel", send: () => chat.reply(asked, message(true), { mention }), onlyAfter: "cannot_message_user" });
  const { via, sent } = await postByRoads(ctx, roads, fields);
  if (sent.ok) {
    ctx.log.info("task_status.told", { ...fields, via });
    return "told";
  }
  if (sent.retryAt !== undefined) {
    const by = byOf(change);
    try {
      await oweSend(ctx.store, { kind: "status", pageId, group: change.page.group, ...(by ? { by } : {}) }, { now: ctx.now().getTime(), notBefore: sent.retryAt });
      ctx.log.warn("task_status.owed", { ...fields, via, outcome: "owed", retry_at: new Date(sent.retryAt).toISOString(), ...describeSendError(sent.error) });
      return "owed";
    } catch (error) {
      ctx.log.warn("task_status.not_owed", { ...fields, ...describeError(error) });
    }
  }
  ctx.log.error("task_status.not_delivered", { ...fields, via, outcome: "not_delivered", ...describeSendError(sent.error) });
  return "not_delivered";
}

/**
 * Who pressed, as an owed send keeps it: their ids, and the name their platform gave, so a delivery
 * by a later function (one wired for the requester's platform) can still name them there; undefined
 * for a move made in Notion.
 */
function byOf(change: Pick<StatusChange, "by">): Mover | undefined {
  if (change.by === undefined || !("person" in change.by)) return undefined;
  const { platform, userId, displayName } = change.by.person;
  return displayName ? { platform, userId, displayName } : { platform, userId };
}

interface Road {
  via: "thread" | "dm" | "channel";
  send: () => Promise<unknown>;
  /** Taken only when the road before was refused with this code. */
  onlyAfter?: ChatErrorCode;
}

/** Failures after which the message may have been posted: the noise budget is one message per change, so no other road is taken. */
const MAYBE_POSTED: ReadonlySet<string> = new Set(["timeout", "network_error", "http_error"]);

/**
 * The first road, patiently; each next road when the one before was refused for good (not when
 * the platform was busy: that place is still the place, later; nor after a timeout, a dropped
 * connection or a 5xx, which may have posted it).
 */
async function postByRoads(ctx: FeatureContext, roads: Road[], fields: Record<string, string>): Promise<{ via: Road["via"]; sent: PatientSend<unknown> }> {
  let via = roads[0]!.via;
  let sent = await sendPatiently(ctx, roads[0]!.send, { ...fields, via });
  for (const next of roads.slice(1)) {
    if (sent.ok || sent.retryAt !== undefined || MAYBE_POSTED.has(sent.error.code)) break;
    if (next.onlyAfter !== undefined && sent.error.code !== next.onlyAfter) continue;
    ctx.log.warn("task_status.retrying", { ...fields, via, next: next.via, ...describeSendError(sent.error) });
    via = next.via;
    sent = await sendPatiently(ctx, next.send, { ...fields, via });
  }
  return { via, sent };
}
