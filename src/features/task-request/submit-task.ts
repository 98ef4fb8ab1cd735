import { describeError } from "../../log.js";
import { NotionStoreError } from "../../notion/client.js";
import type { SavedTask } from "../../notion/task-store.js";
import type { ViewSubmission } from "../../slack/payloads.js";
import { clearViews, updateView, viewErrors } from "../../slack/responses.js";
import { validateTaskInput, type NewTask, type Person } from "../../tasks/task.js";
import { answerPrivately } from "../answer.js";
import type { FeatureContext } from "../context.js";
import { explainNotionError } from "../notion-failure.js";
import { settleWithin } from "../settle-within.js";
import { buildAnnouncement, buildConfirmation, buildReturnedInput } from "./messages.js";
import { buildSavedView, buildSavingView, decodeMetadata, readTaskModal, TASK_BLOCKS, toBlockErrors, type TaskModalMetadata } from "./modal.js";
import { SAVE_LEASE_MS, saveOnce, type SaveOnce } from "./save-once.js";
import { refreshHome } from "../app-home/refresh-home.js";

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
  const once = await saveOnce({ task, viewId: payload.view.id, requesterEmail: () => ctx.slack.getUser(submitter.slackUserId).then((user) => user.email) }, ctx);
  if (once.kind === "saved") return updateView(buildSavedView(once.saved.title, once.saved.url, { existing: true }));
  if (once.kind === "elsewhere") return answerWhileSavedElsewhere(payload.view.id, task.title, once.landed, ctx);
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
    return viewErrors({ [block]: `Not saved: ${reason} Your text is kept; press Create task to try again.` });
  }

  // 6. Acknowledge now; 7. the save goes on after the response.
  ctx.log.info("task.save_deferred", { waited_until: "deadline" });
  ctx.defer("finish slow save", async () => {
    try {
      const saved = await saving;
      await confirm(saved, submitter.slackUserId, metadata, ctx);
      await ctx.slack.updateView(payload.view.id, buildSavedView(saved.title, saved.url)).catch(() => {
        // The person may have closed the modal already; the confirmation message has the link.
      });
    } catch (error) {
      ctx.log.warn("task.save_failed", { ...describeError(error), outcome: "input_sent_back" });
      const reason = explainNotionError(error);
      const to = { userId: submitter.slackUserId, responseUrl: metadata.responseUrl };
      await answerPrivately(ctx, to, buildReturnedInput(task, reason), { prefer: "dm" });
    }
  });
  return updateView(buildSavingView(task.title));
}

/**
 * A second submission while the first one's save is under way: its page's link in the modal if it
 * lands before the deadline, else "saving" and the link in the modal once it lands. The first
 * submission confirms and announces; this one repeats neither.
 */
async function answerWhileSavedElsewhere(viewId: string, title: string, landed: Extract<SaveOnce, { kind: "elsewhere" }>["landed"], ctx: FeatureContext): Promise<Response> {
  const saved = await landed(ctx.deadline.remainingMs());
  if (saved) return updateView(buildSavedView(saved.title, saved.url, { existing: true }));
  ctx.defer("show the earlier save", async () => {
    const later = await landed(SAVE_LEASE_MS);
    if (later) await ctx.slack.updateView(viewId, buildSavedView(later.title, later.url, { existing: true }));
  });
  return updateView(buildSavingView(title));
}

/** Tells the requester where their task is, then announces it where the team asked (and shows it on their Home tab if they came from there). */
async function confirm(saved: SavedTask, userId: string, metadata: TaskModalMetadata, ctx: FeatureContext): Promise<void> {
  try {
    await answerPrivately(ctx, { userId, responseUrl: metadata.responseUrl, channelId: metadata.channelId }, buildConfirmation(saved));
    const channel = ctx.settings.tasksChannelId;
    // A malformed SLACK_TASKS_CHANNEL_ID breaks the announcement alone: the task is saved and confirmed.
    const misconfigured = ctx.settings.problems.SLACK_TASKS_CHANNEL_ID;
    if (misconfigured && !saved.existing) ctx.log.warn("task.announce_skipped", { outcome: "degraded", problem: misconfigured });
    if (channel && !saved.existing) {
      await ctx.slack.postMessage(channel, buildAnnouncement(saved, userId)).catch((error: unknown) => {
        ctx.log.warn("task.announce_failed", { channel, ...describeError(error) });
      });
    }
  } finally {
    if (metadata.openedFrom === "home") {
      await refreshHome(userId, ctx, "changed").catch((error: unknown) => ctx.log.warn("home.refresh_failed", describeError(error)));
    }
  }
}
