/**
 * Scheduled work is owed until done. Netlify runs a scheduled function at its time and never again
 * after a failure, so a weekly review that met Notion's rate limit (or a Slack or Notion failure that
 * passes) would be missing that week. A run that fails for a passing reason leaves `owed-work/<schedule>`
 * in the store; the `owed-work` schedule (every ten minutes: netlify/functions/owed-work.ts) runs
 * what is owed again until it is done, and a run that succeeds, by its own schedule or owed, clears
 * it. The review's week claim (post-weekly-review.ts) keeps it to one post whichever run posts it;
 * each platform's review is owed on its own (routes.ts), and one still owed when its week is over is
 * dropped (the next week's is its own).
 */
import { describeError, errorCodeOf } from "../../log.js";
import type { ScheduleRun } from "../../schedule-routes.js";
import { weekOf } from "../../tasks/due.js";
import type { FeatureContext } from "../context.js";

/** Where owed work is kept: `owed-work/<schedule name>`, apart from the owed sends under `owed/` (store/owed-sends.ts), so neither lists the other. */
export const OWED_PREFIX = "owed-work/";

/**
 * An owed schedule is not begun with less than this left of the run's budget (ctx.budget,
 * SCHEDULE_BUDGET_MS): a weekly review needs a Notion read (2 s paced, a 429's wait) and a Slack
 * post (SLACK_TIMEOUT_MS) at least, and Netlify stops the function at its limit whatever is under way.
 * It stays owed for the next run, ten minutes later.
 */
export const OWED_RUN_MIN_MS = 10_000;

/** What an owed entry holds: ids and times only. */
export interface OwedRecord {
  v: 1;
  /** When it first failed, ms since the epoch. */
  since: number;
  /** The failed runs so far. */
  attempts: number;
  /** The last failure's narrow code. */
  reason: string | undefined;
  /** For the weekly review: the Monday (YYYY-MM-DD, REVIEW_TIMEZONE) of the week it is owed for. */
  week?: string | undefined;
}

/**
 * Failures that do not pass by themselves (a setting, a refused token, a channel the bot is not in):
 * retrying cannot help. A sync that could not tell some requesters (not_delivered) has moved on:
 * what is owed there is the message, not the run.
 */
const LASTING = new Set(["config", "invalid_setting", "missing_channel", "unauthorized", "not_found", "invalid_request", "forbidden", "cannot_message_user", "not_in_channel", "channel_not_found", "is_archived", "invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "missing_scope", "invalid_blocks", "msg_too_long", "not_delivered"]);

/** Whether a failed run may succeed if run again later. */
export function passes(run: ScheduleRun): boolean {
  return run.failed !== undefined && !LASTING.has(run.failed) && !LASTING.has(run.reason ?? "");
}

export function owedKey(schedule: string): string {
  return `${OWED_PREFIX}${schedule}`;
}

/** The week a weekly review is for, as its claim names it. */
export function reviewWeek(ctx: FeatureContext): string {
  return weekOf(ctx.now(), ctx.settings.reviewTimeZone).monday;
}

/**
 * Runs a schedule's work and keeps the store's owed entry right: left (or counted again) after a
 * passing failure, cleared after success. The run's result is returned as it was; a store failure
 * here is logged, never thrown (the run itself happened).
 */
export async function runOwing<R extends ScheduleRun>(schedule: string, ctx: FeatureContext, work: () => Promise<R>, week?: string): Promise<R> {
  const run = await work();
  await keepOwed(schedule, ctx, run, week);
  return run;
}

/**
 * Keeps the store's owed entry for `schedule` right after `run`: left (or counted again) after a
 * passing failure, cleared after success. For work done in parts owed one by one (the weekly review,
 * each platform's post its own schedule name). A store failure is logged, never thrown.
 */
export async function keepOwed(schedule: string, ctx: FeatureContext, run: ScheduleRun, week?: string): Promise<void> {
  const key = owedKey(schedule);
  try {
    if (run.failed === undefined) {
      const owed = await ctx.store.read<OwedRecord>(key);
      if (owed) {
        await ctx.store.delete(key);
        ctx.log.info("owed.done", { schedule, attempts: owed.value.attempts, owed_ms: ctx.now().getTime() - owed.value.since });
      }
    } else if (passes(run)) {
      const owed = await ctx.store.read<OwedRecord>(key);
      const record: OwedRecord = { v: 1, since: owed?.value.since ?? ctx.now().getTime(), attempts: (owed?.value.attempts ?? 0) + 1, reason: run.reason ?? run.failed, week };
      await ctx.store.write(key, record);
      ctx.log.warn("owed.kept", { schedule, attempts: record.attempts, reason: record.reason, fix: "the owed-work schedule runs it again within ten minutes" });
    }
  } catch (error) {
    ctx.log.warn("store.unavailable", { key, outcome: "degraded", fallback: "not_owed", ...describeError(error) });
  }
}

export interface OwedWorkRun extends ScheduleRun {
  /** The schedules run again. */
  ran: string[];
  /** Owed entries dropped: a review whose week is over. */
  dropped: string[];
  /** Owed schedules not begun: too little of the run's budget was left (OWED_RUN_MIN_MS); still owed. */
  postponed: string[];
}

/**
 * The owed-work schedule: runs again each schedule the store says is owed (`runs`, by schedule
 * name). Nothing owed is one store listing, no Notion or Slack request.
 */
export async function runOwedWork(ctx: FeatureContext, runs: Readonly<Record<string, (ctx: FeatureContext) => Promise<ScheduleRun>>>): Promise<OwedWorkRun> {
  const result: OwedWorkRun = { outcome: "done", ran: [], dropped: [], postponed: [] };
  let keys: string[];
  try {
    ({ keys } = await ctx.store.list(OWED_PREFIX));
  } catch (error) {
    ctx.log.error("owed.unreadable", { ...describeError(error), fix: "the next run looks again" });
    return { ...result, outcome: "failed", failed: "store", reason: errorCodeOf(error, "unknown") };
  }
  for (const key of keys) {
    const schedule = key.slice(OWED_PREFIX.length);
    const run = Object.hasOwn(runs, schedule) ? runs[schedule] : undefined;
    if (!run) continue;
    try {
      const owed = await ctx.store.read<OwedRecord>(key);
      if (!owed) continue;
      if (owed.value.week !== undefined && owed.value.week !== reviewWeek(ctx)) {
        await ctx.store.delete(key);
        ctx.log.warn("owed.dropped", { schedule, week: owed.value.week, attempts: owed.value.attempts, reason: owed.value.reason });
        result.dropped.push(schedule);
        continue;
      }
      // One after another in one invocation: the next one begins only if it can finish within the budget left.
      if (ctx.budget.remainingMs() < OWED_RUN_MIN_MS) {
        result.postponed.push(schedule);
        continue;
      }
      result.ran.push(schedule);
      const outcome = await run(ctx);
      if (outcome.failed !== undefined) Object.assign(result, { outcome: "failed", failed: outcome.failed, reason: outcome.reason });
    } catch (error) {
      ctx.log.warn("owed.failed", { schedule, ...describeError(error) });
      Object.assign(result, { outcome: "failed", failed: "store", reason: errorCodeOf(error, "unknown") });
    }
  }
  ctx.log.info("owed_work", { outcome: result.outcome, ran: result.ran, dropped: result.dropped, postponed: result.postponed });
  return result;
}
