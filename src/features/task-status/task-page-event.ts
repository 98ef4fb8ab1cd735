/**
 * A Notion webhook event about a page (page.properties_updated): if it is a task the bot created
 * and its status moved to another group since the requester last heard, tell them (tell-requester.ts).
 *
 * Events are notifications, not data: the page is read as it is now, and compared with the group
 * the requester last heard of, never with the event's order, so late, repeated or out-of-order
 * deliveries all come to the same single message. Every outcome is one `task_status.event` line.
 */
import { describeError } from "../../log.js";
import { sameNotionId } from "../../notion/ids.js";
import type { NotionEvent } from "../../notion/webhook-payloads.js";
import { updatedPropertyIds } from "../../notion/webhook-payloads.js";
import { readTaskRecord } from "../../store/task-records.js";
import type { FeatureContext } from "../context.js";
import { deliverOwedSends } from "../deliver-owed-sends.js";
import type { MovedBy } from "./status-messages.js";
import { tellRequester } from "./tell-requester.js";

/**
 * Acknowledges at once; the reading and telling happen after the response (Notion waits for no one).
 * Then whatever Slack refused earlier and may now be asked again is delivered (deliver-owed-sends.ts):
 * a status change comes with others, so this is usually minutes after Slack's Retry-After, not the
 * hour until the next sync. Nothing is owed, most of the time: one store listing.
 */
export async function handleTaskPageEvent(event: NotionEvent, ctx: FeatureContext): Promise<Response> {
  ctx.defer("announce task status", async () => {
    try {
      await announceFromEvent(event, ctx);
    } finally {
      await deliverOwedSends(ctx).catch((error: unknown) => ctx.log.warn("owed.unavailable", { outcome: "degraded", ...describeError(error) }));
    }
  });
  return new Response(null, { status: 200 });
}

async function announceFromEvent(event: NotionEvent, ctx: FeatureContext): Promise<void> {
  const pageId = event.entity.id;
  const fields = { event_id: event.id, page_id: pageId, type: event.type };
  const done = (outcome: string, extra: Record<string, string> = {}) => ctx.log.info("task_status.event", { ...fields, outcome, ...extra });
  if (event.entity.type !== "page") return done("not_a_page");

  // Only tasks the bot created have a record: everything else on the board (and off it) stops here.
  const entry = await readTaskRecord(ctx.store, pageId);
  if (!entry) return done("not_a_bot_task");
  // A change made from Slack (a status button) is the bot's own: the button already answered there.
  const others = await authorsBesidesTheBot(event, ctx);
  if (others.length === 0 && (event.authors ?? []).length > 0) return done("own_change");
  // Edits to other properties say nothing; skipped before reading the page when the event says what changed.
  // The shared snapshot takes them (a title, an assignee) from its next refresh, within the minute: a
  // read here would cost Notion a request per edit, the budget the snapshot exists to keep.
  const board = await ctx.tasks.board();
  const changed = updatedPropertyIds(event);
  if (board.status && changed && changed.length > 0 && !changed.some((id) => sameNotionId(id, board.status!.id))) return done("other_property");

  const lookup = await ctx.pages.read(pageId);
  // Not found is Notion's answer for a page deleted for good and for one not shared with the integration.
  if (lookup.kind === "not_found") return done("not_found", { error_code: "not_found" });
  if (lookup.kind !== "task") return done(lookup.kind === "outside" ? "outside_board" : lookup.kind);
  const { page } = lookup;
  if (page.group === undefined) return done("no_status");
  if (page.group === entry.value.group) return done("unchanged");
  const told = await tellRequester(ctx, pageId, entry, { page: { ...page, group: page.group }, by: await moverOf(others, ctx) });
  done(told, { group: page.group });
}

/**
 * The event's authors other than the integration's own bot user (`users.me`). Notion merges changes
 * made close together into one event listing every author, so the change is the bot's own only when
 * nothing is left; other integrations and automations are authors like any person. Unknown (users.me
 * failed): every author, so nothing is taken for the bot's, and the task's record still stops an echo.
 */
async function authorsBesidesTheBot(event: NotionEvent, ctx: FeatureContext): Promise<NonNullable<NotionEvent["authors"]>> {
  const authors = event.authors ?? [];
  if (!authors.some((author) => author.type === "bot")) return authors;
  try {
    const bot = await ctx.pages.botUserId();
    return authors.filter((author) => !sameNotionId(author.id, bot));
  } catch (error) {
    ctx.log.warn("task_status.bot_unknown", { outcome: "degraded", fallback: "compare_with_record", ...describeError(error) });
    return authors;
  }
}

/**
 * Who moved it, when Notion says: the one author besides the bot, by name, when a person. The bot's
 * own write in the same event is already recorded, so it is not the move being told of. Several
 * others, another integration, or an unknown name: nobody is named.
 */
async function moverOf(others: NonNullable<NotionEvent["authors"]>, ctx: FeatureContext): Promise<MovedBy> {
  if (others.length !== 1 || others[0]!.type !== "person") return undefined;
  try {
    const name = await ctx.pages.personName(others[0]!.id);
    return name ? { notionName: name } : undefined;
  } catch (error) {
    ctx.log.info("task_status.author_unknown", { outcome: "degraded", ...describeError(error) });
    return undefined;
  }
}
