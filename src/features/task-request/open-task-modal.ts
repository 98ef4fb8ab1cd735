/** Opening the task form on any platform: first, before any other remote call; what needs a call follows into the open form. */
import { ChatError } from "../../chat/chat-error.js";
import { platformName } from "../../chat/platform-name.js";
import { describeError, type LogFields } from "../../log.js";
import type { Board } from "../../notion/board.js";
import type { InteractionContext } from "../context.js";
import { settleWithin } from "../settle-within.js";
import { buildTaskForm, type TaskFormContext } from "./modal.js";

/**
 * On a platform that cannot redraw an open form (Discord), the longest the board's priorities are
 * waited for before the form opens without them (High, Medium, Low): the first response must go
 * within 3 s, and a board read from the store's snapshot takes well under this.
 */
export const PRIORITIES_WAIT_MS = 1_000;
/** What is kept of the first response's time for the response itself. */
const RESPONSE_MARGIN_MS = 500;

export interface OpenTaskFormInput {
  title?: string | undefined;
  description?: string | undefined;
  context: TaskFormContext;
  /**
   * Context that needs remote calls (a permalink, a name). Started just after the form is sent,
   * never before it: once it resolves, the open form is redrawn with it where the platform can.
   */
  lateContext?: (() => Promise<Partial<TaskFormContext>>) | undefined;
}

export type OpenTaskFormResult = { ok: true } | { ok: false; message: string };

/**
 * Opens the task form; resolves with ok, or with the message to give the person (never rejects).
 * Where an open form can be redrawn (Slack), it opens first, with the priorities this instance
 * knows: a trigger_id expires three seconds after Slack sends it, so nothing (Notion least of all)
 * may come before it, and the board's priorities follow by an update. Where it cannot (Discord),
 * the board is read first, within PRIORITIES_WAIT_MS (the shared snapshot, usually), else the form
 * offers High, Medium and Low.
 */
export async function openTaskForm(ctx: InteractionContext, input: OpenTaskFormInput): Promise<OpenTaskFormResult> {
  const live = ctx.reply.updatesOpenForms === true;
  let known: readonly string[] | undefined = ctx.tasks.peekBoard()?.priority?.options;
  if (known === undefined && !live) known = await boardPriorities(ctx);
  // What the open form holds; each late update carries both, so neither overwrites the other.
  let priorities = known;
  let context = input.context;
  const form = () => buildTaskForm({ title: input.title, description: input.description, priorities, context });
  const opening = ctx.reply.openForm(form());
  const lateContext = live
    ? input.lateContext?.().catch((error: unknown) => {
        ctx.log.warn("task.late_metadata_failed", { outcome: "degraded", ...describeError(error) });
        return {};
      })
    : undefined;
  let opened;
  try {
    opened = await opening;
  } catch (error) {
    // The event Slack's opens have always logged (views.open), for every platform; the platform's own code.
    ctx.log.warn(`${ctx.chat.platform}.views_open_failed`, describeChatError(error));
    return { ok: false, message: explainOpenFailure(error, ctx.chat.platform) };
  }
  if (!live) return { ok: true };
  // One update at a time (the adapter keeps them in order), so an older form never lands after a newer one.
  const update = () => opened.update(form());
  if (known === undefined) {
    ctx.defer("refresh priority options", async () => {
      const options = (await ctx.tasks.board()).priority?.options;
      if (options && options.length > 0) {
        priorities = options;
        await update();
      }
    });
  }
  if (lateContext) {
    ctx.defer("complete task metadata", async () => {
      // A field left undefined keeps the value the form opened with (a fallback link, say).
      const late = Object.entries(await lateContext).filter(([, value]) => value !== undefined);
      if (late.length === 0) return;
      context = { ...context, ...(Object.fromEntries(late) as Partial<TaskFormContext>) };
      await update();
    });
  }
  return { ok: true };
}

/** The board's priorities within PRIORITIES_WAIT_MS and the first response's time, else undefined (the form offers the defaults). */
async function boardPriorities(ctx: InteractionContext): Promise<readonly string[] | undefined> {
  const reading: Promise<Board> = ctx.tasks.board();
  const settled = await settleWithin(reading, Math.max(0, Math.min(PRIORITIES_WAIT_MS, ctx.deadline.remainingMs() - RESPONSE_MARGIN_MS)));
  if (settled.state === "fulfilled") return settled.value.priority?.options;
  if (settled.state === "rejected") ctx.log.warn("task.priorities_unread", { outcome: "degraded", ...describeError(settled.error) });
  else reading.catch(() => undefined);
  return undefined;
}

function explainOpenFailure(error: unknown, platform: InteractionContext["chat"]["platform"]): string {
  const code = error instanceof ChatError ? error.code : undefined;
  if (code === "expired") return `${platformName(platform)} took too long to hand me your request, so the form could not open. Please try again.`;
  // No answer in time: the open may not have gone out (the deadline was spent first), or may land late and open the form after all.
  if (code === "timeout") return `${platformName(platform)} took too long to answer, so the form may not have opened: if it opens after all, use it; otherwise please try again.`;
  if (code === "rate_limited") {
    const seconds = Math.ceil((error instanceof ChatError ? (error.retryAfterMs ?? 0) : 0) / 1000);
    return `${platformName(platform)} is rate-limiting the bot right now. Please try again ${seconds > 0 ? `in ${seconds} seconds` : "in a minute"}.`;
  }
  return "I couldn't open the task form just now. Please try again; if it keeps failing, tell whoever runs the bot.";
}

/** describeError, with the platform's own code (Slack's `expired_trigger_id`) as the code a ChatError's line carries. */
export function describeChatError(error: unknown): LogFields {
  const fields = describeError(error);
  return error instanceof ChatError && error.platformCode !== undefined ? { ...fields, error_code: String(error.platformCode) } : fields;
}
