import { describeError } from "../../log.js";
import { NotionStoreError } from "../../notion/client.js";
import type { SavedTask } from "../../notion/task-store.js";
import type { ViewSubmission } from "../../platforms/slack/payloads.js";
import { clearViews, updateView, viewErrors } from "../../platforms/slack/responses.js";
import { createTaskRecord } from "../../store/task-records.js";
import { groupOf, type StatusGroup } from "../../tasks/status.js";
import { validateTaskInput, type NewTask, type Person } from "../../tasks/task.js";
import { answerPrivately } from "../answer.js";
import type { FeatureContext } from "../context.js";
import { explainNotionError, notionCodeOf } from "../notion-failure.js";
import { settleWithin } from "../settle-within.js";
import { announceTask } from "./announce-task.js";
import { buildConfirmation, buildReturnedInput, type TaskStatusView } from "./messages.js";
import { buildSavedView, buildSavingView, decodeMetadata, readTaskModal, TASK_BLOCKS, toBlockErrors, type TaskModalMetadata } from "./modal.js";
import { SAVE_LEASE_MS, SAVE_POLL_MS, saveOnce, type SaveOnce, type SaveOnceInput } from "./save-once.js";

/**
 * Handles the task modal's submission. Within the acknowledgement budget the outcome is shown in
 * the modal itself (closed on success, an error under the title otherwise, the input kept). Past
 * it, the modal says "saving", the save finishes after the response, and the person gets the link,
 * or, if it finally fails, everything they typed.
 */
export async function submitTask(payload: ViewSubmission, ctx: FeatureContext): Promise<Response> {
  const metadata = decodeMetadata(payload.view.private_metadata);
  // 4. Validate: problems go back under the inputs, so the person fixes them in place.
  const checked = validateTaskInput(readTaskModal(payload.view.state.values), { now: ctx.now() });
  if (!checked.ok) return viewErrors(toBlockErrors(checked.errors));

  const submitter: Person = { slackUserId: payload.user.id, name: payload.user.name ?? payload.user.username ?? payload.user.id };
  const task: NewTask = {
    ...checked.task,
    requester: submitter,
    messageAuthor: metadata.messageAuthor && { slackUserId: metadata.messageAuthor.id, name: metadata.messageAuthor.name },
    slackLink: metadata.slackLink,
    // The view id is the same for every submission of one modal: a retry finds the first save.
    requestKey: `slack-view:${payload.view.id}`,
  };
  // 5. Claim: one page per modal, whichever instance each submission lands on.
  const input = { task, viewId: payload.view.id, requesterEmail: () => ctx.slack.getUser(submitter.slackUserId).then((user) => user.email) };
  let once = await saveOnce(input, ctx);
  if (once.kind === "elsewhere") {
    // An earlier submission of this modal is saving it: its link, if it lands in time.
    const waited = await once.wait(ctx.deadline.remainingMs());
    if (waited.kind === "landed") return updateView(buildSavedView(waited.saved.title, waited.saved.url, { existing: true }));
    // Its save failed and freed the claim: this submission saves instead.
    if (waited.kind === "released") once = await saveOnce(input, ctx);
  }
  if (once.kind === "saved") return updateView(buildSavedView(once.saved.title, once.saved.url, { existing: true }));
  if (once.kind === "elsewhere") {
    const elsewhere = once;
    ctx.defer("follow the earlier save", () => followEarlierSave(elsewhere, input, submitter, metadata, payload.view.id, ctx));
    return updateView(buildSavingView(task.title));
  }
  const { saving } = once;

  const settled = await settleWithin(saving, ctx.deadline.remainingMs());
  if (settled.state === "fulfilled") {
    ctx.defer("confirm task", () => confirm(settled.value, submitter.slackUserId, metadata, ctx));
    return clearViews();
  }
  if (settled.state === "rejected") {
    ctx.log.warn("task.save_failed", { ...describeError(settled.error), outcome: "kept_in_modal" });
    const reason = explainNotionError(settled.error);
    // A description Notion refused as too long is the person's to shorten: say so under it.
    const refusedDescription = settled.error instanceof NotionStoreError && settled.error.tooLong?.field === "description";
    const block = refusedDescription ? TASK_BLOCKS.description.block : TASK_BLOCKS.title.block;
    // Unconfirmed: the page may exist, so never "not saved"; pressing again looks for it before saving.
    if (notionCodeOf(settled.error) === "unconfirmed") {
      return viewErrors({ [block]: `${reason} Your text is kept; press Create task again: the bot looks for the task on the board first and never makes it twice.` });
    }
    return viewErrors({ [block]: `Not saved: ${reason} Your text is kept; press Create task to try again.` });
  }

  // 6. Acknowledge now; 7. the save goes on after the response.
  ctx.log.info("task.save_deferred", { waited_until: "deadline" });
  ctx.defer("finish slow save", () => finishSave(saving, input.task, submitter, metadata, payload.view.id, ctx));
  return updateView(buildSavingView(task.title));
}

/** After the acknowledgement: the save lands (link to the requester, in the modal too) or fails (everything they typed, sent back). */
async function finishSave(saving: Promise<SavedTask>, task: NewTask, submitter: Person, metadata: TaskModalMetadata, viewId: string, ctx: FeatureContext): Promise<void> {
  try {
    const saved = await saving;
    await confirm(saved, submitter.slackUserId, metadata, ctx);
    await ctx.slack.updateView(viewId, buildSavedView(saved.title, saved.url)).catch(() => {
      // The person may have closed the modal already; the confirmation message has the link.
    });
  } catch (error) {
    ctx.log.warn("task.save_failed", { ...describeError(error), outcome: "input_sent_back" });
    const reason = explainNotionError(error);
    const to = { userId: submitter.slackUserId, responseUrl: metadata.responseUrl };
    await answerPrivately(ctx, to, buildReturnedInput(task, reason, { unconfirmed: notionCodeOf(error) === "unconfirmed" }), { prefer: "dm" });
  }
}

/**
 * After answering "saving" to a second submission: the earlier save's link in the modal once it
 * lands (the earlier submission confirms and announces; this one repeats neither). If it never
 * lands (its save failed, or its instance stopped and its lease ran out), this submission saves,
 * so what the person typed is never lost to a claim nobody holds any more.
 */
async function followEarlierSave(elsewhere: Extract<SaveOnce, { kind: "elsewhere" }>, input: SaveOnceInput, submitter: Person, metadata: TaskModalMetadata, viewId: string, ctx: FeatureContext): Promise<void> {
  const later = await elsewhere.wait(SAVE_LEASE_MS + SAVE_POLL_MS);
  if (later.kind === "landed") {
    await ctx.slack.updateView(viewId, buildSavedView(later.saved.title, later.saved.url, { existing: true }));
    return;
  }
  const again = await saveOnce(input, ctx, { deadline: undefined });
  if (again.kind === "saved") await ctx.slack.updateView(viewId, buildSavedView(again.saved.title, again.saved.url, { existing: true }));
  else if (again.kind === "saving") await finishSave(again.saving, input.task, submitter, metadata, viewId, ctx);
  else ctx.log.warn("task.save_not_followed", { view: viewId, outcome: "degraded" });
}

/**
 * Records where the task came from (so the requester hears back when it moves), tells the requester
 * where their task is, then announces it where the team asked, both messages with the status
 * buttons (and shows it on their Home tab if they came from there).
 */
async function confirm(saved: SavedTask, userId: string, metadata: TaskModalMetadata, ctx: FeatureContext): Promise<void> {
  try {
    const status = statusOf(saved, ctx);
    await recordOrigin(saved, userId, metadata, status?.group, ctx);
    await answerPrivately(ctx, { userId, responseUrl: metadata.responseUrl, channelId: metadata.channelId }, buildConfirmation(saved, status));
    const channel = ctx.settings.tasksChannelId;
    // A malformed SLACK_TASKS_CHANNEL_ID breaks the announcement alone: the task is saved and confirmed.
    const misconfigured = ctx.settings.problems.SLACK_TASKS_CHANNEL_ID;
    if (misconfigured && !saved.existing) ctx.log.warn("task.announce_skipped", { outcome: "degraded", problem: misconfigured });
    if (channel && !saved.existing) {
      await announceTask(ctx, channel, saved, userId, status);
    }
  } finally {
    if (metadata.openedFrom === "home") {
      // A modal opened from a Home tab is a Slack modal: the tab shows the new task.
      await ctx.personalViews?.slack?.refresh(userId, ctx, "changed").catch((error: unknown) => ctx.log.warn("home.refresh_failed", describeError(error)));
    }
  }
}

/** A new task starts in the board's initial option; without a status property there are no status buttons. */
function statusOf(saved: SavedTask, ctx: FeatureContext): TaskStatusView | undefined {
  const status = ctx.tasks.peekBoard()?.status;
  if (!status) return undefined;
  return { pageId: saved.id, group: groupOf(status.groups, status.initial), groups: status.groups };
}

/**
 * The task's origin, kept in the store (store/task-records.ts) before anyone can move it: who asked
 * and, for a task made from a message, its thread. Without it the task still works; its requester
 * just does not hear back.
 */
async function recordOrigin(saved: SavedTask, userId: string, metadata: TaskModalMetadata, group: StatusGroup | undefined, ctx: FeatureContext): Promise<void> {
  const thread = metadata.threadTs && metadata.channelId ? { channel: metadata.channelId, threadTs: metadata.threadTs } : {};
  try {
    await createTaskRecord(ctx.store, saved.id, { v: 1, requester: userId, ...thread, group, createdAt: ctx.now().getTime() });
  } catch (error) {
    ctx.log.warn("task.record_not_kept", { page_id: saved.id, outcome: "degraded", ...describeError(error) });
  }
}
