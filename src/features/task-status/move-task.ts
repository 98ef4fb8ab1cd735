/**
 * The status buttons' press, on any platform: moves the task in Notion (pages.update), redraws the
 * message in place, and tells the requester when someone else moved it. Answered within the
 * acknowledgement's deadline; what the move has not finished by then follows after the response.
 *
 * Idempotent: the page is read first and a task already at (or past) the button's group is not
 * written again; two clicks racing on the same reading claim `task-move:<page>:<group>:<edited>`,
 * and only the winner writes. A move made here is recorded as what the requester last heard of, so
 * the webhook event Notion sends about it (authored by the bot) and the hourly sync stay quiet.
 */
import type { Card } from "../../chat/card.js";
import type { IntentOf } from "../../chat/intent.js";
import { PLATFORMS, type Platform } from "../../chat/model.js";
import { describeError } from "../../log.js";
import type { TaskPage } from "../../notion/task-pages.js";
import { AFTER_RESPONSE_LEASE_MS, completeClaim } from "../../store/claims.js";
import type { Entry } from "../../store/store.js";
import { advanceTaskRecord, isRequester, moveTaskRecord, readTaskRecord, type TaskRecord } from "../../store/task-records.js";
import { GROUP_LABELS, isAtOrPast, targetOption, type StatusGroup, type StatusGroups } from "../../tasks/status.js";
import type { FeatureContext, InteractionContext } from "../context.js";
import { explainNotionFailure, notionCodeOf, retryAdvice } from "../notion-failure.js";
import { settleWithin } from "../settle-within.js";
import { buildAnnouncement, buildConfirmation, type TaskStatusView } from "../task-request/messages.js";
import { readStatusClick, type StatusClick } from "./status-buttons.js";
import type { Mover } from "./mover.js";
import { buildMovedNote, buildMoveRefusal, type MoveRefusal } from "./status-messages.js";
import { tellRequester } from "./tell-requester.js";

/** How long a move may hold its claim (its work runs after the response); a second click inside it is told the first one is moving it. */
const MOVE_LEASE_MS = AFTER_RESPONSE_LEASE_MS;
const MOVE_HORIZON_MS = 3_600_000;

export type MoveOutcome =
  | { kind: "moved"; page: TaskPage & { group: StatusGroup }; groups: StatusGroups }
  /**
   * Already there or further along (or another click is moving it): nothing was written. `by`: the
   * person whose click moved it, when a finished click on the same reading says so.
   */
  | { kind: "already"; page: TaskPage; groups: StatusGroups; by?: Mover | undefined }
  | Exclude<MoveRefusal, { kind: "unreadable" }>;

/**
 * What a finished move's claim keeps (flat, as claims are): the group, who pressed, their platform
 * (absent: Slack, as before the port) and the name it showed them (absent before it was kept).
 */
type MoveClaim = {
  group: StatusGroup;
  by?: string | undefined;
  byPlatform?: string | undefined;
  byName?: string | undefined;
};

/**
 * Moves a task to `to` for `by` (a person on any platform), unless it is there already. Never
 * rejects. Usable from any surface (the App Home calls it with its own redraw).
 */
export async function moveTask(ctx: FeatureContext, input: { pageId: string; to: StatusGroup; by: Mover }): Promise<MoveOutcome> {
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
  const claim = await ctx.claims.claim<MoveClaim>(name, { now: ctx.now().getTime(), leaseMs: MOVE_LEASE_MS, horizonMs: MOVE_HORIZON_MS });
  if (claim.kind === "done" || claim.kind === "pending") {
    ctx.log.info("task_status.move_duplicate", { page_id: input.pageId, claim: name });
    return { kind: "already", page: { ...page, status: option, group: input.to }, groups, by: claim.kind === "done" ? presserOf(claim.result) : undefined };
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
  if (claim.kind === "won" || claim.kind === "unavailable") await completeClaim(claim, { group: input.to, by: input.by.userId, ...(input.by.platform === "slack" ? {} : { byPlatform: input.by.platform }), ...(input.by.displayName ? { byName: input.by.displayName } : {}) } satisfies MoveClaim, ctx.log, name);
  const result = { ...moved, group: moved.group ?? input.to };
  ctx.log.info("task_status.moved", { page_id: input.pageId, from: page.group ?? "none", to: result.group });
  if (ahead) await tellAfterMove(ctx, input.pageId, ahead.entry, result, input.by);
  else await recordMove(ctx, input.pageId, result, input.by);
  return { kind: "moved", page: result, groups };
}

/** Who pressed, from a finished claim; a platform this code does not know names nobody. */
function presserOf(claim: MoveClaim): Mover | undefined {
  const platform = claim.byPlatform ?? "slack";
  if (typeof claim.by !== "string" || !(PLATFORMS as readonly string[]).includes(platform)) return undefined;
  return { platform: platform as Platform, userId: claim.by, ...(typeof claim.byName === "string" && claim.byName !== "" ? { displayName: claim.byName } : {}) };
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
async function tellAfterMove(ctx: FeatureContext, pageId: string, entry: Entry<TaskRecord>, page: TaskPage & { group: StatusGroup }, by: Mover): Promise<void> {
  try {
    await tellRequester(ctx, pageId, entry, { page, by: { person: by }, quiet: isRequester(entry.value, by), recorded: true });
  } catch (error) {
    ctx.log.warn("task_status.requester_not_told", { page_id: pageId, outcome: "degraded", ...describeError(error) });
  }
}

/** The move becomes what the requester last heard of; they are told when someone else made it. */
async function recordMove(ctx: FeatureContext, pageId: string, page: TaskPage & { group: StatusGroup }, by: Mover): Promise<void> {
  try {
    const entry = await readTaskRecord(ctx.store, pageId);
    if (!entry || entry.value.group === page.group) return;
    await tellRequester(ctx, pageId, entry, { page, by: { person: by }, quiet: isRequester(entry.value, by) });
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

/**
 * A status button's press, on any platform (a `button` intent, routes.ts intentRoutes.button). The
 * first response waits for the move and its answer while the acknowledgement's deadline allows, so
 * Discord can redraw the message as its first response (type 7); past the deadline the work goes on
 * after the response (Slack is answered within 3 s whatever Notion does, and Discord gets its
 * deferred update, the redraw then an edit of the message).
 */
export async function pressStatusButton(intent: IntentOf<"button">, ctx: InteractionContext, options: PressOptions = {}): Promise<void> {
  const work = answerPress(intent, ctx, options);
  const settled = await settleWithin(work, ctx.deadline.remainingMs());
  if (settled.state === "pending") ctx.defer("move task", () => work);
  // It never rejects; if it did, serve.ts's one place for unexpected errors says so.
  if (settled.state === "rejected") throw settled.error;
}

/** How a platform's own surfaces take part in a press (routes.ts gives Slack's). */
export interface PressOptions {
  /**
   * Publishes again a view of its own that a press came from (no place, no message: the Slack Home
   * tab), once the move is done; rejects when it could not (logged). Absent: nothing is redrawn.
   */
  redrawOwnView?: ((person: Mover, ctx: FeatureContext) => Promise<unknown>) | undefined;
}

/** The move and what the presser sees of it; never rejects (a failed answer is logged). */
async function answerPress(intent: IntentOf<"button">, ctx: InteractionContext, options: PressOptions): Promise<void> {
  const click = readStatusClick(intent);
  if (!click) {
    ctx.log.warn("task_status.button_unreadable", { value_length: intent.value?.length ?? 0 });
    return tellPresser(ctx, buildMoveRefusal({ kind: "unreadable" }));
  }
  // The name the press came with names the presser to a requester on another platform (mover.ts).
  const by: Mover = { platform: intent.person.platform, userId: intent.person.userId, displayName: intent.person.displayName };
  const outcome = await moveTask(ctx, { pageId: click.pageId, to: click.to, by });
  // A view of its own (the Slack Home tab: no conversation, no message) redraws itself: published
  // again with the task's new place (or why it did not move), and nothing is said besides.
  const ownView = intent.place === undefined && intent.message === undefined;
  if (ownView && options.redrawOwnView) await options.redrawOwnView(by, ctx).catch((error: unknown) => ctx.log.warn("task_status.view_not_redrawn", describeError(error)));
  await answerClick(ctx, click, outcome, intent, ownView);
}

/** Redraws the message the button was on, or tells the presser why nothing moved. */
async function answerClick(ctx: InteractionContext, click: StatusClick, outcome: MoveOutcome, intent: IntentOf<"button">, ownView: boolean): Promise<void> {
  if (outcome.kind !== "moved" && outcome.kind !== "already") return tellPresser(ctx, buildMoveRefusal(outcome, outcome.kind === "failed" ? outcome.title : undefined));
  const redrawn = await redraw(ctx, click, outcome, intent);
  if (redrawn || outcome.kind === "already" || ownView) return;
  // A message the bot does not redraw (a list's), or the redraw failed: say it moved.
  await tellPresser(ctx, buildMovedNote(outcome.page.status ?? outcome.page.group));
}

/** Only the presser sees it; every road failing is logged (the move itself stands). */
async function tellPresser(ctx: InteractionContext, card: Card): Promise<void> {
  await ctx.reply.tellPrivately(card).catch((error: unknown) => ctx.log.warn("task_status.answer_failed", describeError(error)));
}

/**
 * Redraws the pressed message in place (Reply.updateSource: Slack's response_url, Discord's type 7
 * or an edit) with the task's status line and next buttons. Every redraw carries the status line,
 * whatever the click found: a message redrawn without it (a second *Done*, a raced click) would no
 * longer say where the task is.
 */
async function redraw(ctx: InteractionContext, click: StatusClick, outcome: Extract<MoveOutcome, { kind: "moved" | "already" }>, intent: IntentOf<"button">): Promise<boolean> {
  if (click.surface === undefined) return false;
  const { page, groups } = outcome;
  const by = outcome.kind === "moved" ? { platform: intent.person.platform, userId: intent.person.userId, displayName: intent.person.displayName } : outcome.by;
  // The pressed message is on the presser's platform; a mover from another (a finished press found by the claim) is named in words there.
  const status: TaskStatusView = { pageId: click.pageId, group: page.group, groups, shown: statusLine(page, by, intent.person.platform) };
  let card: Card;
  if (click.surface === "confirmation") card = buildConfirmation({ title: page.title, url: page.url }, status);
  else {
    const recorded = (await readTaskRecord(ctx.store, click.pageId).catch(() => undefined))?.value.requester;
    // A task made before records: the requester the board names (Slack's, the only platform then).
    const requester = recorded ?? page.requesterId;
    if (requester === undefined) return false;
    card = buildAnnouncement({ title: page.title, url: page.url }, { platform: requester.platform, userId: requester.userId }, status);
  }
  try {
    await ctx.reply.updateSource(card);
    return true;
  } catch (error) {
    ctx.log.warn("task_status.redraw_failed", { surface: click.surface, ...describeError(error) });
    return false;
  }
}

/** The status line of a redrawn message on `on`: the board's option (or its group's name), and who moved it when known. */
function statusLine(page: TaskPage, by: Mover | undefined, on: Platform): TaskStatusView["shown"] {
  const status = page.status ?? (page.group === undefined ? undefined : GROUP_LABELS[page.group]);
  return status === undefined ? undefined : { status, ...(by ? { by, on } : {}) };
}
