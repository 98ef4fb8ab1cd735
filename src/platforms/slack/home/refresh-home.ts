/**
 * Publishing a person's Home tab (views.publish), at most as often as Notion's rate allows, however
 * often people open it. The store keeps `home/<user>` with the last publish time, for every instance:
 *
 *   - opening the tab (app_home_opened) publishes only if the tab is a minute old or more; Slack
 *     sends the event every time someone switches to the tab, so this is what bounds Notion's load;
 *   - the *Refresh* button publishes if the tab is ten seconds old or more (a double click is one);
 *   - a change the person made from the tab (a task saved from *New task*, a status button) always
 *     publishes: the tab must show it, and it happens only as often as a person acts.
 *
 * A publish that could not read the board (or failed) gives its turn back, so the next open tries again.
 * One Slack refuses for now (a 429, a 5xx) is tried again after its Retry-After while the invocation
 * has time, else owed (store/owed-sends.ts): deliver-owed-sends.ts publishes the tab later.
 */
import type { HomeView } from "@slack/types";
import { describeError } from "../../../log.js";
import type { Board } from "../../../notion/board.js";
import type { PersonRole, Requester } from "../../../notion/task-store.js";
import type { BlockActions } from "../payloads.js";
import { oweSend } from "../../../store/owed-sends.js";
import { boardAsOfToSay } from "../../../features/board-age.js";
import type { FeatureContext, PersonalView, PersonalViewReason, PersonalViewRefresh } from "../../../features/context.js";
import { withSlack, type SlackContext } from "../context.js";
import type { SlackLoaded } from "../wiring.js";
import { describeBoardReadFailure } from "../../../features/notion-failure.js";
import { sendPatiently } from "../../../features/send-patiently.js";
import { buildHomeView, type HomeList } from "./home-view.js";
import { homeTaskActions } from "./task-actions.js";

/** Why the tab is being published. */
export type HomeRefreshReason = PersonalViewReason;

/** How old the published tab must be before each reason publishes it again. */
export const HOME_MIN_AGE_MS: Readonly<Record<HomeRefreshReason, number>> = { opened: 60_000, refresh: 10_000, changed: 0 };

/** Each list is one Notion query of this many tasks; past it, the tab says "more than 100". */
export const HOME_PAGE_SIZE = 100;

/** Published; fresh enough (published then); or Slack refused for now: owed (deliver-owed-sends.ts). */
export type HomeRefresh = PersonalViewRefresh;

interface HomeRecord {
  publishedAt: number;
}

/**
 * Publishes `userId`'s Home tab unless it is fresher than the reason allows. Rejects (with a
 * SlackApiError) only when views.publish fails for good; Notion failures are shown in the tab itself. The
 * status buttons' route calls it with "changed" after saving a status pressed on the tab.
 */
export async function refreshHome(userId: string, ctx: SlackContext, reason: HomeRefreshReason): Promise<HomeRefresh> {
  const now = ctx.now();
  const turn = await takeTurn(userId, now.getTime(), HOME_MIN_AGE_MS[reason], ctx);
  if (!turn.ok) {
    ctx.log.info("home.fresh", { reason, published_ms_ago: now.getTime() - turn.publishedAt });
    return { published: false, publishedAt: turn.publishedAt };
  }
  try {
    const home = await composeHome(userId, now, ctx, reason === "refresh" ? HOME_MIN_AGE_MS.refresh : undefined);
    const sent = await sendPatiently(ctx, () => ctx.slack.publishView(userId, home.view), { reason }, { idempotent: true });
    if (!sent.ok && sent.retryAt !== undefined && (await oweHome(userId, sent.retryAt, sent.error, ctx))) {
      await turn.giveBack();
      return { published: false, owed: true };
    }
    if (!sent.ok) throw sent.error;
    ctx.log.info("home.published", { reason, blocks: home.view.blocks.length, complete: !home.failed });
    if (home.failed) await turn.giveBack();
    return { published: true };
  } catch (error) {
    await turn.giveBack();
    throw error;
  }
}

/** Owes the person's tab (deliver-owed-sends.ts); false when the store would not keep it. */
async function oweHome(userId: string, retryAt: number, error: Error, ctx: FeatureContext): Promise<boolean> {
  try {
    await oweSend(ctx.store, { kind: "home", userId }, { now: ctx.now().getTime(), notBefore: retryAt });
  } catch (storeError) {
    ctx.log.warn("home.not_owed", describeError(storeError));
    return false;
  }
  ctx.log.warn("home.owed", { outcome: "owed", retry_at: new Date(retryAt).toISOString(), ...describeError(error) });
  return true;
}

/**
 * The Home tab as the port's personal view of a Slack user (features/context.ts): what a task saved or
 * moved from it redraws. The runtime builds it with Slack's client (runtime.ts, personalViews), so a
 * feature redraws it, and the owed-work schedule publishes it, from a context that names no platform.
 */
export const SLACK_PERSONAL_VIEWS: { readonly slack: (slack: SlackLoaded) => PersonalView } = {
  slack: (slack) => ({ refresh: (userId, ctx, reason) => refreshHome(userId, withSlack(ctx, slack), reason) }),
};

/** Whether a block_actions payload comes from a button on the Home tab. */
export function isFromHomeTab(payload: BlockActions): boolean {
  return payload.view?.type === "home";
}

/** The view, and whether any part of it could not be read (then the next open tries again). */
async function composeHome(userId: string, now: Date, ctx: SlackContext, maxAgeMs: number | undefined): Promise<{ view: HomeView; failed: boolean }> {
  const base = { now, timeZone: ctx.settings.reviewTimeZone };
  let board: Board;
  try {
    board = await ctx.tasks.board();
  } catch (error) {
    ctx.log.warn("home.read_failed", { part: "board", ...describeError(error) });
    return { view: buildHomeView({ ...base, boardUrl: undefined, requests: { kind: "note", text: describeBoardReadFailure(error) }, assigned: undefined }), failed: true };
  }
  // The email is asked of Slack once, and only when a people property needs it.
  let email: Promise<string | undefined> | undefined;
  const person: Requester = {
    platform: "slack",
    userId,
    email: () =>
      (email ??= ctx.slack.getUser(userId).then(
        (user) => user.email,
        (error: unknown) => {
          ctx.log.warn("home.email_unknown", { outcome: "degraded", ...describeError(error) });
          return undefined;
        },
      )),
  };
  const [requests, assigned] = await Promise.all([readList(person, "requester", board, ctx, maxAgeMs), board.assignee ? readList(person, "assignee", board, ctx, maxAgeMs) : undefined]);
  const asOf = boardAsOfToSay(Math.min(requests.asOf ?? Infinity, assigned?.asOf ?? Infinity), now);
  const view = buildHomeView({
    ...base,
    // The shared snapshot is kept fresh by every change the bot sees; past SNAPSHOT_SAY_AGE_MS the tab says how old it is.
    ...(asOf ? { asOf } : {}),
    boardUrl: board.url,
    requests: requests.list,
    assigned: assigned?.list,
    actionsFor: (task) => homeTaskActions(task, board),
  });
  return { view, failed: requests.failed || (assigned?.failed ?? false) };
}

async function readList(person: Requester, role: PersonRole, board: Board, ctx: FeatureContext, maxAgeMs: number | undefined): Promise<{ list: HomeList; failed: boolean; asOf?: number | undefined }> {
  try {
    const found = await ctx.tasks.openTasksOf(person, role, { pageSize: HOME_PAGE_SIZE, maxAgeMs });
    if (!found.matched) return { list: { kind: "note", text: unmatched(role, board) }, failed: false };
    return { list: { kind: "tasks", tasks: found.tasks, complete: found.complete }, failed: false, asOf: found.asOf };
  } catch (error) {
    ctx.log.warn("home.read_failed", { part: role, ...describeError(error) });
    return { list: { kind: "note", text: describeBoardReadFailure(error) }, failed: true };
  }
}

/** Why the board cannot say which tasks are the person's. */
function unmatched(role: PersonRole, board: Board): string {
  const whose = role === "requester" ? "you asked for" : "are assigned to you";
  if (role === "requester" && !board.requester) return `The board has no requester property, so I can't tell which tasks ${whose}.`;
  return `I couldn't find your Slack email among the Notion workspace's people, so I can't tell which tasks ${whose}.`;
}

type Turn = { ok: true; giveBack(): Promise<void> } | { ok: false; publishedAt: number };

/**
 * The right to publish now: the record is older than `minAgeMs`, and this instance wrote the new
 * time first (two opens at once on two instances both read the old record; only one write matches
 * it). Without the store, the tab is published anyway: a person waiting beats a saved query.
 */
async function takeTurn(userId: string, now: number, minAgeMs: number, ctx: FeatureContext): Promise<Turn> {
  const key = `home/${encodeURIComponent(userId)}`;
  try {
    const current = await ctx.store.read<HomeRecord>(key);
    if (current && now - current.value.publishedAt < minAgeMs) return { ok: false, publishedAt: current.value.publishedAt };
    const mine: HomeRecord = { publishedAt: now };
    const condition = minAgeMs === 0 ? {} : current ? { onlyIfMatch: current.etag } : { onlyIfNew: true };
    const etag = await ctx.store.write(key, mine, condition);
    if (etag === undefined) return { ok: false, publishedAt: now };
    return {
      ok: true,
      async giveBack() {
        // Only if nobody published since: a newer record stands.
        await ctx.store
          .write(key, current?.value ?? { publishedAt: 0 }, { onlyIfMatch: etag })
          .catch((error: unknown) => ctx.log.info("home.turn_not_returned", describeError(error)));
      },
    };
  } catch (error) {
    ctx.log.warn("store.unavailable", { key, outcome: "degraded", fallback: "publish", ...describeError(error) });
    return { ok: true, giveBack: async () => {} };
  }
}
