/**
 * The status buttons' click: moves the task in Notion (pages.update), redraws the message in place,
 * and tells the requester when someone else moved it. Acknowledged at once; the work follows.
 *
 * Idempotent: the page is read first and a task already at (or past) the button's group is not
 * written again; two clicks racing on the same reading claim `task-move:<page>:<group>:<edited>`,
 * and only the winner writes. A move made here is recorded as what the requester last heard of, so
 * the webhook event Notion sends about it (authored by the bot) and the hourly sync stay quiet.
 */
import { describeError } from "../../log.js";
import type { TaskPage } from "../../notion/task-pages.js";
import type { BlockActions } from "../../platforms/slack/payloads.js";
import { acknowledge } from "../../platforms/slack/responses.js";
import { AFTER_RESPONSE_LEASE_MS, completeClaim } from "../../store/claims.js";
import type { Entry } from "../../store/store.js";
import { advanceTaskRecord, moveTaskRecord, readTaskRecord, type TaskRecord } from "../../store/task-records.js";
import { GROUP_LABELS, isAtOrPast, targetOption, type StatusGroup, type StatusGroups } from "../../tasks/status.js";
import { answerPrivately } from "../answer.js";
import { isFromHomeTab, refreshHome } from "../app-home/refresh-home.js";
import type { FeatureContext } from "../context.js";
import { explainNotionFailure, notionCodeOf, retryAdvice } from "../notion-failure.js";
import { buildAnnouncement, buildConfirmation, type TaskStatusView } from "../task-request/messages.js";
import { renderSlackCard } from "../../platforms/slack/render-card.js";
import { readStatusClick, type StatusClick } from "./status-buttons.js";
import { buildMoveRefusal, type MoveRefusal } from "./status-messages.js";
import { tellRequester } from "./tell-requester.js";

/** How long a move may hold its claim (its work runs after the response); a second click inside it is told the first one is moving it. */
const MOVE_LEASE_MS = AFTER_RESPONSE_LEASE_MS;
const MOVE_HORIZON_MS = 3_600_000;

export type MoveOutcome =
  | { kind: "moved"; page: TaskPage & { group: StatusGroup }; groups: StatusGroups }
  /**
   * Already there or further along (or another click is moving it): nothing was written. `by`: the
   * Slack user whose click moved it, when a finished click on the same reading says so.
   */
  | { kind: "already"; page: TaskPage; groups: StatusGroups; by?: string | undefined }
  | Exclude<MoveRefusal, { kind: "unreadable" }>;

/**
 * Moves a task to `to` for the Slack user `by`, unless it is there already. Never rejects. Usable
 * from any surface (the App Home calls it with its own redraw).
 */
export async function moveTask(ctx: FeatureContext, input: { pageId: string; to: StatusGroup; by: string }): Promise<MoveOutcome> {
  let lookup;
  try {
    lookup = await ctx.pages.read(input.pageId);
  } catch (error) {
    return failed(ctx, error, "read");
  }
  if (lookup.kind !== "task") {
    // Not found is Notion's answer for a page deleted for good and for one no longer shared.
    ctx.log.info("task_status.not_moved", { page_id: input.pageId, outcome: lookup.kind, ...(lookup.kind === "not_found" ? { error_code: "not_found" } : {}) });
    return { kind: lookup.kind };
  }
  const { page, board } = lookup;
  if (!board.status) return { kind: "no_status" };
  const groups = board.status.groups;
  const option = targetOption(groups, input.to);
  if (option === undefined) return { kind: "no_status" };
  if (page.group !== undefined && isAtOrPast(page.group, input.to)) return { kind: "already", page, groups };

  const name = `task-move:${input.pageId}:${input.to}:${page.lastEditedTime}`;
  const claim = await ctx.claims.claim<{ group: StatusGroup; by?: string }>(name, { now: ctx.now().getTime(), leaseMs: MOVE_LEASE_MS, horizonMs: MOVE_HORIZON_MS });
  if (claim.kind === "done" || claim.kind === "pending") {
    ctx.log.info("task_status.move_duplicate", { page_id: input.pageId, claim: name });
    return { kind: "already", page: { ...page, status: option, group: input.to }, groups, by: claim.kind === "done" ? claim.result.by : undefined };
  }
  if (claim.kind === "unavailable") ctx.log.warn("store.unavailable", { claim: name, outcome: "degraded", fallback: "compare_before_write", ...describeError(claim.error) });
  // The record moves first: Notion's event about this write can arrive before the write's own
  // answer, and must find the record already at the new group, or it would echo the move back.
  const ahead = await moveRecordAhead(ctx, input.pageId, input.to);
  let moved: TaskPage;
  try {
    moved = await ctx.pages.setStatus(input.pageId, option);
  } catch (error) {
    if (claim.kind === "won" || claim.kind === "unavailable") await claim.release().catch(() => undefined);
    if (ahead) await undoRecordAhead(ctx, input.pageId, ahead);
    return failed(ctx, error, "write", page.title);
  }
  if (claim.kind === "won" || claim.kind === "unavailable") await completeClaim(claim, { group: input.to, by: input.by }, ctx.log, name);
  const result = { ...moved, group: moved.group ?? input.to };
  ctx.log.info("task_status.moved", { page_id: input.pageId, from: page.group ?? "none", to: result.group });
  if (ahead) await tellAfterMove(ctx, input.pageId, ahead.entry, result, input.by);
  else await recordMove(ctx, input.pageId, result, input.by);
  return { kind: "moved", page: result, groups };
}

/** The task's record as it was, moved ahead to `to`; undefined when there is none, it is there already, or the store failed. */
async function moveRecordAhead(ctx: FeatureContext, pageId: string, to: StatusGroup): Promise<{ entry: Entry<TaskRecord>; from: StatusGroup | undefined } | undefined> {
  try {
    const entry = await advanceTaskRecord(ctx.store, pageId, to, ctx.now().getTime());
    return entry && { entry, from: entry.value.group };
  } catch (error) {
    ctx.log.warn("task_status.record_not_moved", { page_id: pageId, outcome: "degraded", ...describeError(error) });
    return undefined;
  }
}

/** Puts the record back where it was when the write to Notion failed (best effort: the hourly sync corrects the rest). */
async function undoRecordAhead(ctx: FeatureContext, pageId: string, ahead: { from: StatusGroup | undefined }): Promise<void> {
  try {
    const entry = await readTaskRecord(ctx.store, pageId);
    if (entry && ahead.from !== undefined) await moveTaskRecord(ctx.store, pageId, entry, ahead.from, ctx.now().getTime());
  } catch (error) {
    ctx.log.warn("task_status.record_not_restored", { page_id: pageId, outcome: "degraded", ...describeError(error) });
  }
}

/** After a move recorded ahead: the requester is told when someone else made it. */
async function tellAfterMove(ctx: FeatureContext, pageId: string, entry: Entry<TaskRecord>, page: TaskPage & { group: StatusGroup }, by: string): Promise<void> {
  try {
    await tellRequester(ctx, pageId, entry, { page, by: { slackUserId: by }, quiet: entry.value.requester === by, recorded: true });
  } catch (error) {
    ctx.log.warn("task_status.requester_not_told", { page_id: pageId, outcome: "degraded", ...describeError(error) });
  }
}

/** The move becomes what the requester last heard of; they are told when someone else made it. */
async function recordMove(ctx: FeatureContext, pageId: string, page: TaskPage & { group: StatusGroup }, by: string): Promise<void> {
  try {
    const entry = await readTaskRecord(ctx.store, pageId);
    if (!entry || entry.value.group === page.group) return;
    await tellRequester(ctx, pageId, entry, { page, by: { slackUserId: by }, quiet: entry.value.requester === by });
  } catch (error) {
    // The move happened; at worst the requester hears of it from the hourly sync.
    ctx.log.warn("task_status.record_not_moved", { page_id: pageId, outcome: "degraded", ...describeError(error) });
  }
}

function failed(ctx: FeatureContext, error: unknown, step: "read" | "write", title?: string): MoveOutcome {
  ctx.log.warn("task_status.move_failed", { step, ...describeError(error) });
  const code = notionCodeOf(error);
  return { kind: "failed", reason: explainNotionFailure(code), advice: retryAdvice(code), ...(title === undefined ? {} : { title }) };
}

/** block_actions on the status buttons: acknowledged at once; the move and the answers follow. */
export async function changeTaskStatus(payload: BlockActions, ctx: FeatureContext): Promise<Response> {
  const action = payload.actions[0]!;
  const click = readStatusClick(action);
  const to = { userId: payload.user.id, responseUrl: payload.response_url, channelId: payload.channel?.id };
  if (!click) {
    ctx.log.warn("task_status.button_unreadable", { value_length: action.value?.length ?? 0 });
    ctx.defer("answer unreadable button", () => answerPrivately(ctx, to, buildMoveRefusal({ kind: "unreadable" })));
    return acknowledge();
  }
  ctx.defer("move task", async () => {
    const outcome = await moveTask(ctx, { pageId: click.pageId, to: click.to, by: payload.user.id });
    // The Home tab redraws itself: published again with the task's new place (or why it did not move).
    if (isFromHomeTab(payload)) await refreshHome(payload.user.id, ctx, "changed").catch((error: unknown) => ctx.log.warn("home.refresh_failed", describeError(error)));
    await answerClick(ctx, click, outcome, payload);
  });
  return acknowledge();
}

/** Redraws the message the button was on, or tells the clicker why nothing moved. */
async function answerClick(ctx: FeatureContext, click: StatusClick, outcome: MoveOutcome, payload: BlockActions): Promise<void> {
  const to = { userId: payload.user.id, responseUrl: payload.response_url, channelId: payload.channel?.id };
  if (outcome.kind !== "moved" && outcome.kind !== "already") {
    await answerPrivately(ctx, to, buildMoveRefusal(outcome, outcome.kind === "failed" ? outcome.title : undefined));
    return;
  }
  const redrawn = await redraw(ctx, click, outcome, payload);
  if (redrawn || outcome.kind === "already") return;
  // A surface the bot does not redraw (the App Home redraws itself), or the redraw failed: say it moved.
  if (click.surface !== undefined || payload.response_url !== undefined) {
    await answerPrivately(ctx, to, { text: `:white_check_mark: Moved to *${outcome.page.status ?? outcome.page.group}*.` });
  }
}

/**
 * Replaces the clicked message (through the click's response_url) with the task's status line and
 * next buttons. Every redraw carries the status line, whatever the click found: a message redrawn
 * without it (a second *Done*, a raced click) would no longer say where the task is.
 */
async function redraw(ctx: FeatureContext, click: StatusClick, outcome: Extract<MoveOutcome, { kind: "moved" | "already" }>, payload: BlockActions): Promise<boolean> {
  if (click.surface === undefined || payload.response_url === undefined) return false;
  const { page, groups } = outcome;
  const status = {
    pageId: click.pageId,
    group: page.group,
    groups,
    shown: statusLine(page, outcome.kind === "moved" ? payload.user.id : outcome.by),
  };
  let message;
  if (click.surface === "confirmation") message = buildConfirmation({ title: page.title, url: page.url }, status);
  else {
    const requester = (await readTaskRecord(ctx.store, click.pageId).catch(() => undefined))?.value.requester ?? (page.requesterId?.platform === "slack" ? page.requesterId.userId : undefined);
    if (requester === undefined) return false;
    message = buildAnnouncement({ title: page.title, url: page.url }, { platform: "slack", userId: requester }, status);
  }
  try {
    await ctx.slack.respond(payload.response_url, { ...renderSlackCard(message), replaceOriginal: true });
    return true;
  } catch (error) {
    ctx.log.warn("task_status.redraw_failed", { surface: click.surface, ...describeError(error) });
    return false;
  }
}

/** The status line of a redrawn message: the board's option (or its group's name), and who moved it when known. */
function statusLine(page: TaskPage, bySlackUserId: string | undefined): TaskStatusView["shown"] {
  const status = page.status ?? (page.group === undefined ? undefined : GROUP_LABELS[page.group]);
  return status === undefined ? undefined : { status, by: bySlackUserId === undefined ? undefined : { platform: "slack", userId: bySlackUserId } };
}
