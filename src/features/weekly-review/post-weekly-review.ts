/**
 * The weekly review, posted on schedule to each platform's review channel (SLACK_REVIEW_CHANNEL_ID,
 * DISCORD_REVIEW_CHANNEL_ID), or shown on demand to whoever types `/task review`. Reads open tasks
 * once with a bounded cost, builds the Card, posts it once a week to each platform.
 */
import type { Card } from "../../chat/card.js";
import type { ChatApi } from "../../chat/chat-api.js";
import { ChatError } from "../../chat/chat-error.js";
import { PLATFORMS, type Place, type Platform } from "../../chat/model.js";
import { describeError, type LogFields } from "../../log.js";
import { NotionStoreError } from "../../notion/client.js";
import type { OpenTasks } from "../../notion/task-store.js";
import type { FeatureContext } from "../context.js";
import { settleWithin } from "../settle-within.js";
import { weekOf } from "../../tasks/due.js";
import { buildWeeklyReview, countWeeklyReview, type ReviewCounts } from "./build-weekly-review.js";
import { CHANNEL_ID_HOWTO, CHANNEL_SETTING, mayHaveLanded, notionFix, postFix, reasonOf } from "./review-fixes.js";

/**
 * Query pages (of 100) one review reads: its cost is bounded whatever the board's size.
 *
 * Every Monday's run is a cold instance, so it first reads the board's schema: databases.retrieve
 * then dataSources.retrieve, 2 requests. They cannot be skipped: the "not done" filter needs the status property's
 * type and which options form its Complete group, and no in-memory cache survives a week between
 * runs. Three query pages make 300 tasks, enough for a team's real backlog to be counted exactly,
 * for 5 Notion requests paced under Notion's ~3 a second (about 2 s). A board with more open tasks
 * is told so ("more than 300 open tasks"). Tasks arrive by due date, undated last, so the overdue
 * and this-week counts stay exact unless those two groups alone hold more than 300 tasks.
 */
export const REVIEW_MAX_PAGES = 3;
/** Notion's largest page. */
export const REVIEW_PAGE_SIZE = 100;
/**
 * What Notion may take of the run's budget (ctx.budget: SCHEDULE_BUDGET_MS from the invocation's
 * start, shared with any owed schedule run before it); what is left covers each platform's post, a wait and one retry.
 */
export const NOTION_BUDGET_MS = 18_000;
/**
 * The oldest board a review posts: the shared snapshot answers with the last board Notion gave while
 * Notion cannot be read (shared-board.ts), and a review of an hour-old board is still this week's; an
 * older one fails the run, so the review is owed and posted once Notion answers (owed-work.ts).
 */
export const REVIEW_SNAPSHOT_MAX_AGE_MS = 3_600_000;
/** A post's own limit: Slack's and Discord's clients each stop a call at 2.5 s (SLACK_TIMEOUT_MS, DISCORD_TIMEOUT_MS). */
export const POST_TIMEOUT_MS = 2_500;
/** The pause before a second try at Notion's query (after a 5xx): a query only reads. */
const RETRY_PAUSE_MS = 1_000;

/** What failed: a setting, Notion, or the platform the post went to. */
export type ReviewFailure = "config" | "notion" | Platform;

/** One platform's review this week. `platform` is undefined only when no platform has a review channel. */
export type WeeklyReviewRun = { platform?: Platform | undefined } & (
  | { outcome: "posted"; channel: string; /** The posted message's id (Slack's ts, Discord's snowflake). */ ts: string; counts: ReviewCounts; retried: boolean; durationMs: number }
  | { outcome: "skipped_empty"; channel: string; counts: ReviewCounts; durationMs: number }
  /** Another run (a retry, a redeploy, a run by hand) posted this week's review already, or is posting it. */
  | { outcome: "already_posted"; channel: string; ts: string | undefined; postedAt: string; durationMs: number }
  | {
      outcome: "failed";
      failed: ReviewFailure;
      /** Notion's narrow code, or the platform's own word (Slack "not_in_channel"), else the port's (ChatError "forbidden"). */
      reason: string;
      /** What a person can do about it. */
      fix: string;
      channel: string | undefined;
      counts: ReviewCounts | undefined;
      durationMs: number;
    }
);

/**
 * What the schedule reports: with one platform, its run; with several, the first that failed (else
 * the first), and every platform's run under `platforms` (each owed on its own: routes.ts).
 */
export type WeeklyReviewResult = WeeklyReviewRun & { platforms?: Partial<Record<Platform, WeeklyReviewRun>> | undefined };

export interface PostWeeklyReviewOptions {
  notionBudgetMs?: number;
  /** Only these platforms (an owed run for one of them); every platform that is on by default. */
  platforms?: readonly Platform[] | undefined;
}



interface Target {
  platform: Platform;
  chat: ChatApi;
  channel: string;
}

/**
 * The scheduled review: reads the board once, builds the Card, posts it to the review channel of
 * each platform that is on and has one, each claimed once a week, then logs one line a platform
 * saying what happened. A Notion or platform failure is returned, not thrown, and logged with the
 * fix. Never posts twice: a post is retried only when the first attempt certainly posted nothing.
 */
export async function postWeeklyReview(ctx: FeatureContext, options: PostWeeklyReviewOptions = {}): Promise<WeeklyReviewResult> {
  // The invocation's budget, not one of its own: an owed-work run may have spent part of it already.
  const remaining = () => ctx.budget.remainingMs();
  const started = ctx.now().getTime();
  const durationMs = () => ctx.now().getTime() - started;
  const now = ctx.now();
  const problems: Readonly<Record<string, string | undefined>> = ctx.settings.problems;

  const fail = (platform: Platform | undefined, channel: string | undefined, failed: ReviewFailure, reason: string, fix: string, fields: { counts?: ReviewCounts; error?: unknown } = {}): WeeklyReviewRun => {
    const run: WeeklyReviewRun = { platform, outcome: "failed", failed, reason, fix, channel, counts: fields.counts, durationMs: durationMs() };
    // A platform's refusal is logged by its own word (Slack's not_in_channel), as the run's reason says it.
    const error = fields.error === undefined ? {} : { ...describeError(fields.error), ...(fields.error instanceof ChatError ? { error_code: reason } : {}) };
    ctx.log.error("weekly_review", { ...runFields(run), ...error });
    return run;
  };
  const done = (run: WeeklyReviewRun): WeeklyReviewRun => {
    ctx.log.info("weekly_review", runFields(run));
    return run;
  };

  // Every platform that is on and has a review channel (or a malformed one, which its run names).
  const on = PLATFORMS.filter((platform) => ctx.chats[platform] !== undefined && (options.platforms?.includes(platform) ?? true));
  const runs: Partial<Record<Platform, WeeklyReviewRun>> = {};
  const targets: Target[] = [];
  for (const platform of on) {
    const channel = ctx.settings.channels[platform]?.review;
    const problem = problems[CHANNEL_SETTING[platform]] ?? problems.REVIEW_TIMEZONE;
    if (problem) runs[platform] = fail(platform, channel, "config", "invalid_setting", `${problem}. Nothing was posted.`);
    else if (channel) targets.push({ platform, chat: ctx.chats[platform]!, channel });
    // On, but with no review channel: the review goes to the others' (a team may want it on one platform only).
    else ctx.log.info("weekly_review.no_channel", { platform, fix: `set ${CHANNEL_SETTING[platform]} to post the review there too` });
  }
  if (targets.length === 0 && Object.keys(runs).length === 0) {
    const settings = (on.length > 0 ? on : PLATFORMS.slice(0, 1)).map((platform) => `${CHANNEL_SETTING[platform]} to the review channel's id (${CHANNEL_ID_HOWTO[platform] ?? "the channel's id"})`);
    return fail(on[0], undefined, "config", "missing_channel", `set ${settings.join(", or set ")}`);
  }

  // 5. Claim: one review per platform, channel and week, whatever invokes the function.
  const week = weekOf(now, ctx.settings.reviewTimeZone).monday;
  const claimed: { target: Target; claim: Awaited<ReturnType<typeof claimDigest>> }[] = [];
  for (const target of targets) {
    const claim = await claimDigest(target, week, ctx);
    if (claim.kind === "done" || claim.kind === "pending") {
      runs[target.platform] = done({ platform: target.platform, outcome: "already_posted", channel: target.channel, ts: claim.kind === "done" ? claim.result.ts : undefined, postedAt: new Date(claim.at).toISOString(), durationMs: durationMs() });
    } else claimed.push({ target, claim });
  }
  // Whatever happens next, each claim says what: posted (or maybe posted), or free for another run.
  const settle = async ({ target, claim }: (typeof claimed)[number], posted: { ts: string | undefined } | "not_posted") => {
    if (claim.kind !== "won" && claim.kind !== "unavailable") return;
    const settled = posted === "not_posted" ? claim.release() : claim.complete(posted.ts === undefined ? { uncertain: true } : { ts: posted.ts });
    await settled.catch((error: unknown) => ctx.log.warn("store.claim_not_completed", { claim: digestName(target, week), outcome: "degraded", ...describeError(error) }));
  };
  const failAll = async (failed: ReviewFailure, reason: string, fix: string, error?: unknown) => {
    for (const each of claimed) {
      await settle(each, "not_posted");
      runs[each.target.platform] = fail(each.target.platform, each.target.channel, failed, reason, fix, { error });
    }
  };

  if (claimed.length > 0) await postToClaimed();
  return result(runs);

  async function postToClaimed(): Promise<void> {
    let read: OpenTasks;
    try {
      read = await readOpenTasks(ctx, Math.min(options.notionBudgetMs ?? NOTION_BUDGET_MS, remaining() - POST_TIMEOUT_MS * claimed.length));
    } catch (error) {
      const code = error instanceof NotionStoreError ? error.code : "unknown";
      return failAll("notion", code, notionFix(code), error);
    }
    // Notion could not be read for an hour (a 429, a 5xx): this week's review must not be last week's board.
    const ageMs = read.asOf === undefined ? 0 : ctx.now().getTime() - read.asOf;
    if (ageMs > REVIEW_SNAPSHOT_MAX_AGE_MS) return failAll("notion", "stale_board", notionFix("stale_board"));

    const counts = countWeeklyReview(read, { now, timeZone: ctx.settings.reviewTimeZone });
    for (const each of claimed) {
      const { platform, chat, channel } = each.target;
      if (counts.open === 0 && counts.complete && ctx.settings.skipEmptyReview) {
        await settle(each, { ts: "skipped" });
        runs[platform] = done({ platform, outcome: "skipped_empty", channel, counts, durationMs: durationMs() });
        continue;
      }
      // Built for each platform: one that shows a card as one message (Slack) may need fewer tasks a group.
      const card = buildWeeklyReview(read, { now, timeZone: ctx.settings.reviewTimeZone, boardUrl: ctx.tasks.peekBoard()?.url, fits: chat.fits?.bind(chat) });
      const posted = await postOnce(ctx, each.target, card, remaining);
      // A timeout or a dropped connection may follow a post that landed: the week counts as posted.
      await settle(each, posted.ok ? { ts: posted.ts } : mayHaveLanded(posted.error) ? { ts: undefined } : "not_posted");
      if (!posted.ok) {
        const reason = reasonOf(posted.error);
        runs[platform] = fail(platform, channel, platform, reason, postFix(posted.error, channel, posted.retryNote), { counts, error: posted.error });
        continue;
      }
      runs[platform] = done({ platform, outcome: "posted", channel, ts: posted.ts, counts, retried: posted.retried, durationMs: durationMs() });
    }
  }
}

/** One run as the schedule's answer: a single platform's as it is, several summed up (WeeklyReviewResult). */
function result(runs: Partial<Record<Platform, WeeklyReviewRun>>): WeeklyReviewResult {
  const all = PLATFORMS.flatMap((platform) => (runs[platform] ? [runs[platform]] : []));
  if (all.length === 1) return all[0]!;
  const lead = all.find((run) => run.outcome === "failed") ?? all[0]!;
  return { ...lead, platforms: runs };
}

/** A run may hold the week's claim this long: longer than its whole budget. */
const DIGEST_LEASE_MS = 60_000;
/** A second run may come this long after the first, across the turn of a UTC week. */
const DIGEST_HORIZON_MS = 7 * 24 * 3_600_000;

/**
 * The week's claim name for a platform's channel. Slack's stays `digest:<channel>:<week>`, its name
 * from before there were other platforms, so a deploy in mid-week does not post the week's review again.
 */
function digestName(target: Pick<Target, "platform" | "channel">, week: string): string {
  return target.platform === "slack" ? `digest:${target.channel}:${week}` : `digest:${target.platform}:${target.channel}:${week}`;
}

/** The week's claim for this platform's channel; without the store, the review posts as it would without one. */
async function claimDigest(target: Target, week: string, ctx: FeatureContext) {
  const name = digestName(target, week);
  const claim = await ctx.claims.claim<{ ts?: string; uncertain?: boolean }>(name, { now: ctx.now().getTime(), leaseMs: DIGEST_LEASE_MS, horizonMs: DIGEST_HORIZON_MS });
  if (claim.kind === "unavailable") ctx.log.warn("store.unavailable", { claim: name, outcome: "degraded", fallback: "post_without_claim", ...describeError(claim.error) });
  return claim;
}

/**
 * Open tasks within `budgetMs`. @notionhq/client already retries 429s (honouring Retry-After) and
 * 5xx on GETs; a query is a POST it leaves alone, but it only reads, so one more try is safe.
 */
async function readOpenTasks(ctx: FeatureContext, budgetMs: number): Promise<OpenTasks> {
  const started = ctx.now().getTime();
  const read = () => ctx.tasks.openTasks({ maxPages: REVIEW_MAX_PAGES, pageSize: REVIEW_PAGE_SIZE });
  const reading = read().catch(async (error: unknown) => {
    const transient = error instanceof NotionStoreError && (error.code === "unavailable" || error.code === "network_error");
    if (!transient || ctx.now().getTime() - started + RETRY_PAUSE_MS >= budgetMs) throw error;
    ctx.log.warn("weekly_review.retrying", { what: "notion", ...describeError(error) });
    await ctx.sleep(RETRY_PAUSE_MS);
    return read();
  });
  const settled = await settleWithin(reading, Math.max(budgetMs, 0));
  if (settled.state === "fulfilled") return settled.value;
  if (settled.state === "rejected") throw settled.error;
  throw new NotionStoreError("timeout", `Notion reading open tasks took more than ${Math.round(budgetMs / 1000)} s`);
}

type PostResult = { ok: true; ts: string; retried: boolean } | { ok: false; error: ChatError; retryNote: string | undefined };

/**
 * Posts once, and a second time only after an answer that proves nothing was posted: a rate limit
 * before any part went. Every failure that may follow a post that landed (mayHaveLanded) is not
 * retried: a missing review is better than two.
 */
async function postOnce(ctx: FeatureContext, target: Target, card: Card, remaining: () => number): Promise<PostResult> {
  const { platform, chat, channel } = target;
  // The channel id alone says where: neither chat.postMessage nor Create Message needs the workspace.
  const place: Place = { platform, workspace: "", conversation: channel };
  const attempt = async (): Promise<PostResult> => {
    try {
      const posted = await chat.post(place, card);
      return { ok: true, ts: posted.place.message ?? "", retried: false };
    } catch (error) {
      return { ok: false, error: error instanceof ChatError ? error : new ChatError("network_error", platform, { cause: error }), retryNote: undefined };
    }
  };
  const first = await attempt();
  if (first.ok || first.error.code !== "rate_limited" || first.error.partial) return first;
  const waitMs = first.error.retryAfterMs ?? 1000;
  if (waitMs + POST_TIMEOUT_MS > remaining()) {
    return { ...first, retryNote: `not retried: waiting ${Math.ceil(waitMs / 1000)} s would pass the run's time budget` };
  }
  ctx.log.warn("weekly_review.retrying", { what: platform, channel, wait_ms: waitMs, ...describeError(first.error) });
  await ctx.sleep(waitMs);
  const second = await attempt();
  return second.ok ? { ...second, retried: true } : { ...second, retryNote: "failed again after one retry" };
}

function runFields(run: WeeklyReviewRun): LogFields {
  const counts = "counts" in run ? run.counts : undefined;
  return {
    ...(run.platform ? { platform: run.platform } : {}),
    outcome: run.outcome,
    channel: run.channel,
    ...(run.outcome === "posted" ? { ts: run.ts, retried: run.retried } : {}),
    ...(run.outcome === "already_posted" ? { ts: run.ts, posted_at: run.postedAt } : {}),
    ...(run.outcome === "failed" ? { failed: run.failed, reason: run.reason, fix: run.fix } : {}),
    ...(counts
      ? {
          open_tasks: counts.open,
          complete: counts.complete,
          overdue: counts.overdue,
          due_this_week: counts.dueThisWeek,
          later: counts.later,
          no_due_date: counts.noDueDate,
        }
      : {}),
    duration_ms: run.durationMs,
  };
}
