/**
 * The Home tab's entry points: opening the tab (the app_home_opened event), and its *New task* and
 * *Refresh* buttons (block_actions). Each publishes through refreshHome, which keeps Notion's load
 * bounded however often the tab is opened.
 */
import type { AppHomeOpened, BlockActions, EventCallback } from "../payloads.js";
import { acknowledge } from "../responses.js";
import { answerPrivately } from "../answer-privately.js";
import type { SlackContext } from "../context.js";
import { slackInteractionContext } from "../reply.js";
import { openTaskForm } from "../../../features/task-request/open-task-modal.js";
import { refreshHome } from "./refresh-home.js";

/** app_home_opened, after the acknowledgement: the Home tab, when that is the tab opened (the Messages tab needs nothing). */
export async function openHome(callback: EventCallback<AppHomeOpened>, ctx: SlackContext): Promise<void> {
  if (callback.event.tab !== "home") return;
  await refreshHome(callback.event.user, ctx, "opened");
}

/** *Refresh*: the tab again, now (unless it is seconds old). */
export async function refreshHomeNow(payload: BlockActions, ctx: SlackContext): Promise<Response> {
  ctx.defer("refresh home", async () => void (await refreshHome(payload.user.id, ctx, "refresh")));
  return acknowledge();
}

/**
 * *New task*: the same modal as `/task`, opened with the click's trigger_id (views.open first: it
 * lasts 3 s). The tab has no channel: the confirmation comes as a direct message, and the tab is
 * published again once the task is saved (submitTask, `openedFrom: "home"`).
 */
export async function newTaskFromHome(payload: BlockActions, ctx: SlackContext): Promise<Response> {
  // The task form is on the port (features/task-request): opened through Slack's Reply for this click.
  const port = slackInteractionContext(ctx, { kind: "block_actions", userId: payload.user.id, triggerId: payload.trigger_id });
  const opened = await openTaskForm(port.ctx, { context: { from: "home" } });
  if (!opened.ok) ctx.defer("answer failed modal", () => answerPrivately(ctx, { userId: payload.user.id }, { text: opened.message }));
  return port.reply.response();
}
