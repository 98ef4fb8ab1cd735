import type { Form } from "../../chat/form.js";
import type { IntentOf } from "../../chat/intent.js";
import type { Person as ChatPerson } from "../../chat/model.js";
import { describeError } from "../../log.js";
import { NotionStoreError } from "../../notion/client.js";
import type { SavedTask } from "../../notion/task-store.js";
import { recordTaskOrigin } from "../../store/task-records.js";
import { groupOf, type StatusGroup } from "../../tasks/status.js";
import { DEFAULT_PRIORITIES, validateTaskInput, type NewTask, type Person, type TaskField, type TaskInput } from "../../tasks/task.js";
import type { EnvName } from "../../env.js";
import type { FeatureContext, InteractionContext } from "../context.js";
import { explainNotionError, notionCodeOf } from "../notion-failure.js";
import { settleWithin } from "../settle-within.js";
import { announceTask } from "./announce-task.js";
import { buildConfirmation, buildReturnedInput, type TaskStatusView } from "./messages.js";
import { buildSavedNotice, buildSavingNotice, buildTaskForm, decodeTaskContext, readTaskForm, toFormErrors, type TaskFormContext } from "./modal.js";
import { SAVE_LEASE_MS, SAVE_POLL_MS, saveOnce, type SaveOnce, type SaveOnceInput } from "./save-once.js";
import { formRequestKey, taskCommandOn } from "../../chat/platform-name.js";
import { TASK_COMMAND } from "./request-task.js";

/** What is kept of the acknowledgement budget, past the board's read for a priority's check, to answer a refusal in. */
const PRIORITIES_CHECK_MARGIN_MS = 500;

/**
 * Handles the task form's submission, on any platform. Within the acknowledgement budget the
 * outcome is shown where the form is (closed on success, an error under the title otherwise, the
 * input kept: Slack keeps the modal open; Discord says so and offers the form again). Past it, a
 * "saving" notice stands in its place, the save finishes after the response, and the person gets
 * the link, or, if it finally fails, everything they typed.
 */
export async function submitTask(intent: IntentOf<"submit_form">, ctx: InteractionContext): Promise<void> {
  const context = decodeTaskContext(intent.context, intent.person);
  const typed = readTaskForm(intent.values);
  const priorities = typed.priority?.trim() ? await offeredPriorities(ctx) : undefined;
  // The form as it was sent, for a platform that shows it again with its errors (Discord's Fix it), offering the board's priorities as just read.
  const refuse = (errors: Partial<Record<TaskField, string>>) => ctx.reply.refuseForm(typedForm(typed, context, intent.context, priorities?.offered, ctx), toFormErrors(errors));
  // 4. Validate: problems go back under the inputs, so the person fixes them in place.
  const checked = validateTaskInput(typed, { now: ctx.now(), priorities });
  if (!checked.ok) return refuse(checked.errors);

  const submitter: Person = { platform: intent.person.platform, userId: intent.person.userId, name: intent.person.displayName ?? intent.person.userId };
  const task: NewTask = {
    ...checked.task,
    requester: submitter,
    messageAuthor: context.author && { platform: submitter.platform, userId: context.author.userId, name: context.author.name },
    link: context.link,
    // The instance is the same for every submission of one form: a retry finds the first save.
    requestKey: formRequestKey(intent.person.platform, intent.instance),
  };
  // 5. Claim: one page per form, whichever instance each submission lands on.
  const emailOf = ctx.chat.emailOf?.bind(ctx.chat);
  const input: SaveOnceInput = { task, instance: intent.instance, requesterEmail: async () => emailOf?.(intent.person) };
  let once = await saveOnce(input, ctx);
  if (once.kind === "elsewhere") {
    // An earlier submission of this form is saving it: its link, if it lands in time.
    const waited = await once.wait(ctx.deadline.remainingMs());
    if (waited.kind === "landed") {
      await ctx.reply.holdForm(buildSavedNotice(waited.saved.title, waited.saved.url, { existing: true }));
      return;
    }
    // Its save failed and freed the claim: this submission saves instead.
    if (waited.kind === "released") once = await saveOnce(input, ctx);
  }
  if (once.kind === "saved") {
    await ctx.reply.holdForm(buildSavedNotice(once.saved.title, once.saved.url, { existing: true }));
    return;
  }
  if (once.kind === "elsewhere") {
    const elsewhere = once;
    const held = await ctx.reply.holdForm(buildSavingNotice(task.title));
    ctx.defer("follow the earlier save", () => followEarlierSave(elsewhere, input, intent.person, context, held, ctx));
    return;
  }
  const { saving } = once;

  const settled = await settleWithin(saving, ctx.deadline.remainingMs());
  if (settled.state === "fulfilled") {
    await ctx.reply.closeForm();
    ctx.defer("confirm task", () => confirm(settled.value, intent.person, context, ctx));
    return;
  }
  if (settled.state === "rejected") {
    ctx.log.warn("task.save_failed", { ...describeError(settled.error), outcome: "kept_in_modal" });
    const reason = explainNotionError(settled.error);
    // A description Notion refused as too long is the person's to shorten: say so under it.
    const refusedDescription = settled.error instanceof NotionStoreError && settled.error.tooLong?.field === "description";
    const field = refusedDescription ? "description" : "title";
    // Unconfirmed: the page may exist, so never "not saved"; pressing again looks for it before saving.
    if (notionCodeOf(settled.error) === "unconfirmed") {
      return refuse({ [field]: `${reason} Your text is kept; press Create task again: the bot looks for the task on the board first and never makes it twice.` });
    }
    return refuse({ [field]: `Not saved: ${reason} Your text is kept; press Create task to try again.` });
  }

  // 6. Acknowledge now; 7. the save goes on after the response.
  ctx.log.info("task.save_deferred", { waited_until: "deadline" });
  const held = await ctx.reply.holdForm(buildSavingNotice(task.title));
  ctx.defer("finish slow save", () => finishSave(saving, input.task, intent.person, context, held, ctx));
}

/**
 * The priorities a submission may carry, as the form offers them: the board's options (its schema as
 * the shared snapshot or Notion gives it, read within the acknowledgement budget, as the save reads it
 * anyway), else High, Medium and Low (a board without options of its own). When the board cannot be
 * read in time (Notion down or slow, no snapshot), only what this instance last knew the board to
 * offer, else High, Medium and Low, which is what a form opened then offered: never any other value,
 * since Notion would add it to the board.
 */
async function offeredPriorities(ctx: InteractionContext): Promise<{ offered: readonly string[]; unread?: boolean }> {
  const offered = (options: readonly string[] | undefined) => (options && options.length > 0 ? options : DEFAULT_PRIORITIES);
  const reading = ctx.tasks.board();
  const settled = await settleWithin(reading, Math.max(0, ctx.deadline.remainingMs() - PRIORITIES_CHECK_MARGIN_MS));
  if (settled.state === "fulfilled") return { offered: offered(settled.value.priority?.options) };
  if (settled.state === "rejected") ctx.log.warn("task.priorities_unread", { outcome: "degraded", ...describeError(settled.error) });
  else reading.catch(() => undefined);
  return { offered: offered(ctx.tasks.peekBoard()?.priority?.options), unread: true };
}

/**
 * The form as the person sent it, for a platform that shows a refused form again (Discord's Fix it):
 * what they typed, the priorities the board offers (`priorities` when a submitted one was checked), and its context as it came, the adapter's own keys included (Discord's opening
 * interaction, `o`), so the form shown again is the same form and still saves one page.
 */
function typedForm(typed: TaskInput, context: TaskFormContext, sent: Readonly<Record<string, string>>, priorities: readonly string[] | undefined, ctx: FeatureContext): Form {
  const form = buildTaskForm({ title: typed.title, description: typed.description, priority: typed.priority, due: typed.due, priorities: priorities ?? ctx.tasks.peekBoard()?.priority?.options, context });
  return { ...form, context: { ...sent, ...form.context } };
}

/** After the acknowledgement: the save lands (link to the requester, in the notice too) or fails (everything they typed, sent back). */
async function finishSave(saving: Promise<SavedTask>, task: NewTask, requester: ChatPerson, context: TaskFormContext, held: Held, ctx: InteractionContext): Promise<void> {
  try {
    const saved = await saving;
    await confirm(saved, requester, context, ctx);
    await held.finish(buildSavedNotice(saved.title, saved.url)).catch(() => {
      // The person may have closed the notice already; the confirmation message has the link.
    });
  } catch (error) {
    ctx.log.warn("task.save_failed", { ...describeError(error), outcome: "input_sent_back" });
    const reason = explainNotionError(error);
    await ctx.reply.tellPrivately(buildReturnedInput(task, reason, { unconfirmed: notionCodeOf(error) === "unconfirmed", command: taskCommandOn(requester.platform, TASK_COMMAND) }), { prefer: "dm" });
  }
}

type Held = Awaited<ReturnType<InteractionContext["reply"]["holdForm"]>>;

/**
 * After answering "saving" to a second submission: the earlier save's link in the notice once it
 * lands (the earlier submission confirms and announces; this one repeats neither). If it never
 * lands (its save failed, or its instance stopped and its lease ran out), this submission saves,
 * so what the person typed is never lost to a claim nobody holds any more.
 */
async function followEarlierSave(elsewhere: Extract<SaveOnce, { kind: "elsewhere" }>, input: SaveOnceInput, requester: ChatPerson, context: TaskFormContext, held: Held, ctx: InteractionContext): Promise<void> {
  const later = await elsewhere.wait(SAVE_LEASE_MS + SAVE_POLL_MS);
  if (later.kind === "landed") {
    await held.finish(buildSavedNotice(later.saved.title, later.saved.url, { existing: true }));
    return;
  }
  const again = await saveOnce(input, ctx, { deadline: undefined });
  if (again.kind === "saved") await held.finish(buildSavedNotice(again.saved.title, again.saved.url, { existing: true }));
  else if (again.kind === "saving") await finishSave(again.saving, input.task, requester, context, held, ctx);
  else ctx.log.warn("task.save_not_followed", { view: input.instance, outcome: "degraded" });
}

/**
 * Records where the task came from (so the requester hears back when it moves), tells the requester
 * where their task is, then announces it in their platform's tasks channel, both messages with the
 * status buttons (and shows it on their Slack Home tab if they came from there).
 */
async function confirm(saved: SavedTask, requester: ChatPerson, context: TaskFormContext, ctx: InteractionContext): Promise<void> {
  try {
    const status = statusOf(saved, ctx);
    await recordOrigin(saved, requester, context, status?.group, ctx);
    // The task is saved whatever becomes of its confirmation: the announcement still goes, and a slow
    // save's requester is never told it was not saved (finishSave's catch).
    await ctx.reply.tellPrivately(buildConfirmation(saved, status)).catch((error: unknown) => ctx.log.warn("task.confirm_failed", { page_id: saved.id, ...describeError(error) }));
    const channel = ctx.settings.channels[requester.platform]?.tasks;
    // A malformed tasks channel setting breaks the announcement alone: the task is saved and confirmed.
    const misconfigured = ctx.settings.problems[`${requester.platform.toUpperCase()}_TASKS_CHANNEL_ID` as EnvName];
    if (misconfigured && !saved.existing) ctx.log.warn("task.announce_skipped", { outcome: "degraded", problem: misconfigured });
    if (channel && !saved.existing) {
      await announceTask(ctx, { platform: requester.platform, workspace: requester.workspace, channel }, saved, requester, status);
    }
  } finally {
    if (context.from === "home") {
      await ctx.personalViews?.[requester.platform]?.refresh(requester.userId, ctx, "changed").catch((error: unknown) => ctx.log.warn("home.refresh_failed", describeError(error)));
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
 * The task's origin, kept in the store (store/task-records.ts) before anyone can move it: who asked,
 * where, and, for a task made from a message, the message (its thread, on Slack). Without it the
 * task still works; its requester just does not hear back.
 */
async function recordOrigin(saved: SavedTask, requester: ChatPerson, context: TaskFormContext, group: StatusGroup | undefined, ctx: FeatureContext): Promise<void> {
  const person = { platform: requester.platform, workspace: requester.workspace, userId: requester.userId, displayName: requester.displayName };
  try {
    await recordTaskOrigin(ctx.store, saved.id, { requester: person, place: context.message, asked: context.asked, group, createdAt: ctx.now().getTime() });
  } catch (error) {
    ctx.log.warn("task.record_not_kept", { page_id: saved.id, outcome: "degraded", ...describeError(error) });
  }
}
