/**
 * The weekly review, posted on schedule to SLACK_REVIEW_CHANNEL_ID, or shown on demand to whoever
 * types `/task review`. Reads open tasks with a bounded cost, builds the message, posts it once.
 */
import { describeError, type LogFields } from "../../log.js";
import { NotionStoreError } from "../../notion/client.js";
import type { OpenTasks } from "../../notion/task-store.js";
import { SLACK_TIMEOUT_MS, SlackApiError, type MessageContent } from "../../platforms/slack/client.js";
import { fitsSlackMessage, renderSlackCard } from "../../platforms/slack/render-card.js";
import type { FeatureContext } from "../context.js";
import { settleWithin } from "../settle-within.js";
import { weekOf } from "../../tasks/due.js";
import { buildWeeklyReview, countWeeklyReview, type ReviewCounts } from "./build-weekly-review.js";

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
 * start, shared with any owed schedule run before it); what is left covers a Slack post, a wait and one retry.
 */
export const NOTION_BUDGET_MS = 18_000;
/**
 * The oldest board a review posts: the shared snapshot answers with the last board Notion gave while
 * Notion cannot be read (shared-board.ts), and a review of an hour-old board is still this week's; an
 * older one fails the run, so the review is owed and posted once Notion answers (owed-work.ts).
 */
export const REVIEW_SNAPSHOT_MAX_AGE_MS = 3_600_000;
/** The pause before a second try at Notion's query (after a 5xx): a query only reads. */
const RETRY_PAUSE_MS = 1_000;

export type ReviewFailure = "config" | "notion" | "slack";

export type WeeklyReviewRun =
  | { outcome: "posted"; channel: string; ts: string; counts: ReviewCounts; retried: boolean; durationMs: number }
  | { outcome: "skipped_empty"; channel: string; counts: ReviewCounts; durationMs: number }
  /** Another run (a retry, a redeploy, a run by hand) posted this week's review already, or is posting it. */
  | { outcome: "already_posted"; channel: string; ts: string | undefined; postedAt: string; durationMs: number }
  | {
      outcome: "failed";
      failed: ReviewFailure;
      /** Notion's or Slack's narrow code, such as "not_in_channel". */
      reason: string;
      /** What a person can do about it. */
      fix: string;
      channel: string | undefined;
      counts: ReviewCounts | undefined;
      durationMs: number;
    };

export interface PostWeeklyReviewOptions {
  notionBudgetMs?: number;
}

/**
 * The scheduled review: reads, builds and posts to the review channel, then logs one line saying
 * what happened. A Notion or Slack failure is returned, not thrown, and logged with the fix.
 * Never posts twice: Slack is retried only when the first attempt certainly posted nothing.
 */
export async function postWeeklyReview(ctx: FeatureContext, options: PostWeeklyReviewOptions = {}): Promise<WeeklyReviewRun> {
  // The invocation's budget, not one of its own: an owed-work run may have spent part of it already.
  const remaining = () => ctx.budget.remainingMs();
  const started = ctx.now().getTime();
  const durationMs = () => ctx.now().getTime() - started;
  const now = ctx.now();
  const channel = ctx.settings.reviewChannelId;

  const fail = (failed: ReviewFailure, reason: string, fix: string, fields: { counts?: ReviewCounts; error?: unknown } = {}): WeeklyReviewRun => {
    const run: WeeklyReviewRun = { outcome: "failed", failed, reason, fix, channel, counts: fields.counts, durationMs: durationMs() };
    ctx.log.error("weekly_review", { ...runFields(run), ...(fields.error === undefined ? {} : describeError(fields.error)) });
    return run;
  };

  const misconfigured = ctx.settings.problems.SLACK_REVIEW_CHANNEL_ID ?? ctx.settings.problems.REVIEW_TIMEZONE;
  if (misconfigured) return fail("config", "invalid_setting", `${misconfigured}. Nothing was posted.`);
  if (!channel) return fail("config", "missing_channel", "set SLACK_REVIEW_CHANNEL_ID to the review channel's id (channel name -> About -> Channel ID)");

  // 5. Claim: one review per channel and week, whatever invokes the function.
  const week = weekOf(now, ctx.settings.reviewTimeZone).monday;
  const claim = await claimDigest(channel, week, ctx);
  if (claim.kind === "done" || claim.kind === "pending") {
    const run: WeeklyReviewRun = { outcome: "already_posted", channel, ts: claim.kind === "done" ? claim.result.ts : undefined, postedAt: new Date(claim.at).toISOString(), durationMs: durationMs() };
    ctx.log.info("weekly_review", runFields(run));
    return run;
  }
  // Whatever happens next, the claim says what: posted (or maybe posted), or free for another run.
  const settle = async (posted: { ts: string | undefined } | "not_posted") => {
    if (claim.kind !== "won" && claim.kind !== "unavailable") return;
    const done = posted === "not_posted" ? claim.release() : claim.complete(posted.ts === undefined ? { uncertain: true } : { ts: posted.ts });
    await done.catch((error: unknown) => ctx.log.warn("store.claim_not_completed", { claim: `digest:${channel}:${week}`, outcome: "degraded", ...describeError(error) }));
  };

  let result: OpenTasks;
  try {
    result = await readOpenTasks(ctx, Math.min(options.notionBudgetMs ?? NOTION_BUDGET_MS, remaining() - SLACK_TIMEOUT_MS));
  } catch (error) {
    await settle("not_posted");
    const code = error instanceof NotionStoreError ? error.code : "unknown";
    return fail("notion", code, notionFix(code), { error });
  }
  // Notion could not be read for an hour (a 429, a 5xx): this week's review must not be last week's board.
  const ageMs = result.asOf === undefined ? 0 : ctx.now().getTime() - result.asOf;
  if (ageMs > REVIEW_SNAPSHOT_MAX_AGE_MS) {
    await settle("not_posted");
    return fail("notion", "stale_board", notionFix("stale_board"));
  }

  const counts = countWeeklyReview(result, { now, timeZone: ctx.settings.reviewTimeZone });
  if (counts.open === 0 && counts.complete && ctx.settings.skipEmptyReview) {
    await settle({ ts: "skipped" });
    const run: WeeklyReviewRun = { outcome: "skipped_empty", channel, counts, durationMs: durationMs() };
    ctx.log.info("weekly_review", runFields(run));
    return run;
  }

  const message = renderSlackCard(buildWeeklyReview(result, { now, timeZone: ctx.settings.reviewTimeZone, boardUrl: ctx.tasks.peekBoard()?.url, fits: fitsSlackMessage }));
  const posted = await postOnce(ctx, channel, message, remaining);
  // A timeout or a dropped connection may follow a post that landed: the week counts as posted.
  await settle(posted.ok ? { ts: posted.ts } : UNCERTAIN.has(posted.error.code) ? { ts: undefined } : "not_posted");
  if (!posted.ok) {
    const { code } = posted.error;
    return fail("slack", code, slackFix(code, channel, posted.retryNote), { counts, error: posted.error });
  }
  const run: WeeklyReviewRun = { outcome: "posted", channel, ts: posted.ts, counts, retried: posted.retried, durationMs: durationMs() };
  ctx.log.info("weekly_review", runFields(run));
  return run;
}

/** Slack failures after which the review may or may not have been posted. */
const UNCERTAIN = new Set(["timeout", "network_error", "http_error", "internal_error", "fatal_error"]);
/** A run may hold the week's claim this long: longer than its whole budget. */
const DIGEST_LEASE_MS = 60_000;
/** A second run may come this long after the first, across the turn of a UTC week. */
const DIGEST_HORIZON_MS = 7 * 24 * 3_600_000;

/** The week's claim for this channel; without the store, the review posts as it would without one. */
async function claimDigest(channel: string, week: string, ctx: FeatureContext) {
  const name = `digest:${channel}:${week}`;
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

type PostResult = { ok: true; ts: string; retried: boolean } | { ok: false; error: SlackApiError; retryNote: string | undefined };

/**
 * Posts once, and a second time only after an answer that proves nothing was posted: a 429. A
 * timeout, a dropped connection, an HTTP error from Slack's edge (a 502 or 504 after the server
 * finished) or Slack's internal_error ("some aspect of the operation may have succeeded", its method
 * reference) may follow a post that landed, so none is retried: a missing review is better than two.
 */
async function postOnce(ctx: FeatureContext, channel: string, message: MessageContent, remaining: () => number): Promise<PostResult> {
  const attempt = async (): Promise<PostResult> => {
    try {
      const posted = await ctx.slack.postMessage(channel, message);
      return { ok: true, ts: posted.ts, retried: false };
    } catch (error) {
      return { ok: false, error: error instanceof SlackApiError ? error : new SlackApiError("network_error", "chat.postMessage", { cause: error }), retryNote: undefined };
    }
  };
  const first = await attempt();
  if (first.ok || first.error.code !== "rate_limited") return first;
  const waitMs = (first.error.retryAfterSeconds ?? 1) * 1000;
  if (waitMs + SLACK_TIMEOUT_MS > remaining()) {
    return { ...first, retryNote: `not retried: waiting ${Math.ceil(waitMs / 1000)} s would pass the run's time budget` };
  }
  ctx.log.warn("weekly_review.retrying", { what: "slack", channel, wait_ms: waitMs, ...describeError(first.error) });
  await ctx.sleep(waitMs);
  const second = await attempt();
  return second.ok ? { ...second, retried: true } : { ...second, retryNote: "failed again after one retry" };
}

function runFields(run: WeeklyReviewRun): LogFields {
  const counts = "counts" in run ? run.counts : undefined;
  return {
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

/** What to do when Notion failed, for the person reading the function log. */
function notionFix(code: string): string {
  const nothingPosted = "Nothing was posted; anyone can run /task review once it is fixed.";
  switch (code) {
    case "unauthorized":
      return `Notion refused NOTION_TOKEN: set it to the integration's current secret (notion.so/profile/integrations). ${nothingPosted}`;
    case "not_found":
      return `The bot cannot see the board: share the database with the integration (... menu -> Connections) and check NOTION_DATABASE_ID. ${nothingPosted}`;
    case "invalid_request":
      return `Notion refused the query; the board's properties may have changed: run npm run doctor. ${nothingPosted}`;
    case "rate_limited":
      return `Notion was still rate-limiting after retries. ${nothingPosted}`;
    case "timeout":
      return `Notion did not answer in time. ${nothingPosted}`;
    case "stale_board":
      return `Notion could not be read for over an hour (see status.notion.so), and the last board read is too old to post as this week's. ${nothingPosted} The owed-work schedule tries again every ten minutes.`;
    default:
      return `Notion is unavailable (see status.notion.so). ${nothingPosted}`;
  }
}

/** What to do when Slack refused the post, naming the channel. */
function slackFix(code: string, channel: string, retryNote: string | undefined): string {
  const retried = retryNote ? ` (${retryNote})` : "";
  switch (code) {
    case "not_in_channel":
      return `The bot is not in channel ${channel}: invite the bot to the channel (open it in Slack and type /invite @chatops), or set SLACK_REVIEW_CHANNEL_ID to a channel it is in.`;
    case "channel_not_found":
      return `The bot cannot see channel ${channel}: check SLACK_REVIEW_CHANNEL_ID (channel name -> About -> Channel ID); for a private channel, invite the bot first.`;
    case "is_archived":
      return `Channel ${channel} is archived: unarchive it or set SLACK_REVIEW_CHANNEL_ID to another channel.`;
    case "invalid_auth":
    case "not_authed":
    case "token_revoked":
    case "token_expired":
    case "account_inactive":
      return "Slack refused SLACK_BOT_TOKEN: reinstall the app and update SLACK_BOT_TOKEN.";
    case "missing_scope":
      return "The app lacks the chat:write scope: add it under OAuth & Permissions and reinstall the app.";
    case "rate_limited":
      return `Slack rate-limited chat.postMessage${retried}; nothing was posted. The team can still see the review with /task review.`;
    case "http_error":
    case "internal_error":
    case "fatal_error":
    case "timeout":
    case "network_error":
      return `Slack did not answer; the review may or may not have been posted to ${channel}, so it was not retried (a retry could post it twice). Check the channel.`;
    case "invalid_blocks":
    case "msg_too_long":
      return "Slack refused the message's layout: a bug in the weekly review builder; please report it with this log line.";
    default:
      return `Slack answered ${code} to chat.postMessage (see docs.slack.dev/reference/methods/chat.postMessage).`;
  }
}
