/**
 * The weekly review: every open task, grouped by when it is due, for the team's review meeting.
 * Pure: tasks, a clock and a time zone in; a Card out (each platform draws it, and splits it where
 * its limits say: Slack packs a group's lines into sections, Discord sends a long review as several messages).
 */
import type { Card, CardBlock } from "../../chat/card.js";
import type { Inline, RichText } from "../../chat/rich-text.js";
import type { EmojiName } from "../../chat/emoji.js";
import { DUE_GROUPS, compareDue, dueGroupOf, formatDay, weekOf, type DueGroup, type Week } from "../../tasks/due.js";
import type { Task } from "../../tasks/task.js";
import { boardAgeText } from "../board-age.js";
import { taskLineText } from "../task-lines.js";

/** A meeting reads the top of each list; the rest is one click away on the board. */
export const TASKS_PER_GROUP = 15;

export type ReviewGroup = DueGroup;

/** Each group's emoji and name. The Home tab uses them too (groupHeading). */
export const HEADINGS: Record<ReviewGroup, { emoji: EmojiName; name: string }> = {
  overdue: { emoji: "rotating_light", name: "Overdue" },
  this_week: { emoji: "date", name: "Due this week" },
  later: { emoji: "calendar", name: "Later" },
  no_date: { emoji: "grey_question", name: "No due date" },
};

/** A group's heading with its count, "at least N" when more may be unread: ":date: *Due this week (3)*" on Slack. */
export function groupHeading(group: ReviewGroup, count: number, exact: boolean): RichText {
  return [{ emoji: HEADINGS[group].emoji }, " ", { bold: `${HEADINGS[group].name} (${exact ? count : `at least ${count}`})` }];
}

/** Days as YYYY-MM-DD in the review's time zone: the current Monday-to-Sunday week. */
export type ReviewWeek = Week;

export interface ReviewOptions {
  now: Date;
  /** IANA time zone: decides which day "today" is and how dates are shown. */
  timeZone: string;
  /** The board in Notion, for "and N more" and "open the board" links. */
  boardUrl?: string | undefined;
  /** When Notion showed the board, when that is worth saying (board-age.ts). */
  asOf?: Date | undefined;
  /**
   * Whether the platform can show the card as one message (the Slack adapter's fitsSlackMessage: 50
   * blocks). Past it, tasks are dropped from the longest group until it fits. Any card fits by
   * default: a platform that splits a long card into several messages (Discord) needs no limit here.
   */
  fits?: ((card: Card) => boolean) | undefined;
}

export interface OpenTaskList {
  /** In the store's order: by due date ascending, undated last. */
  tasks: readonly Task[];
  /** False when the board had more open tasks than were read. */
  complete: boolean;
}

/** How many tasks each group holds, and whether that number is the board's or only a lower bound. */
export interface ReviewCounts {
  /** Open tasks read; with `complete` false, the board has more. */
  open: number;
  complete: boolean;
  overdue: number;
  dueThisWeek: number;
  later: number;
  noDueDate: number;
}

export interface GroupedReview {
  week: ReviewWeek;
  groups: Record<ReviewGroup, Task[]>;
  /** A group is exact when no unread task can belong to it. */
  exact: Record<ReviewGroup, boolean>;
  total: number;
  complete: boolean;
}

/** The counts the summary shows, for logs and the scheduled function's answer. */
export function countWeeklyReview(result: OpenTaskList, options: Pick<ReviewOptions, "now" | "timeZone">): ReviewCounts {
  const { groups, total, complete } = groupTasks(result, options);
  return {
    open: total,
    complete,
    overdue: groups.overdue.length,
    dueThisWeek: groups.this_week.length,
    later: groups.later.length,
    noDueDate: groups.no_date.length,
  };
}

/**
 * The review: a heading, a one-line summary, then Overdue, Due this week, Later and No due date, each
 * task a linked title with priority, due date and requester. Up to TASKS_PER_GROUP a group, fewer
 * where `options.fits` says the card is too long; what is not shown ends with "and N more" and a link to the board.
 */
export function buildWeeklyReview(result: OpenTaskList, options: ReviewOptions): Card {
  const review = groupTasks(result, options);
  const weekOfText = `Weekly review, week of ${formatDay(review.week.monday, review.week.today, { weekday: false })}`;
  const top0: CardBlock = { kind: "heading", text: weekOfText };
  const boardLink: Inline = options.boardUrl ? { link: options.boardUrl, text: "the board" } : "the board";
  const age: CardBlock[] = options.asOf ? [{ kind: "note", text: boardAgeText(options.asOf, options.timeZone) }] : [];
  const openBoard: CardBlock[] = options.boardUrl ? [{ kind: "note", text: ["Open ", boardLink, " in Notion."] }] : [];

  if (review.complete && review.total === 0) {
    return {
      summary: [`${weekOfText}: no open tasks. All clear!`],
      blocks: [top0, { kind: "text", text: [{ emoji: "white_check_mark" }, " No open tasks on the board. All clear!"] }, ...age, ...openBoard],
    };
  }

  const summary = summarize(review);
  const top: CardBlock[] = [top0, { kind: "text", text: [...summary.text, "."] }, ...age];
  const bottom: CardBlock[] = !review.complete
    ? [{ kind: "note", text: [`The board has more than ${review.total} open tasks; a review reads the first ${review.total} by due date. The rest are on `, boardLink, "."] }]
    : openBoard;

  // Show up to TASKS_PER_GROUP per group, then drop tasks from the longest list until the
  // platform takes the card: every group keeps its heading and its "and N more".
  const shown = Object.fromEntries(DUE_GROUPS.map((group) => [group, Math.min(review.groups[group].length, TASKS_PER_GROUP)])) as Record<ReviewGroup, number>;
  const card = (): Card => ({ summary: [`${weekOfText}: ${summary.plain}.`], blocks: [...top, ...renderGroups(review, shown, options, boardLink), ...bottom] });
  let built = card();
  while (options.fits && !options.fits(built)) {
    const longest = [...DUE_GROUPS].reverse().reduce((best, group) => (shown[group] > shown[best] ? group : best));
    if (shown[longest] === 0) break;
    shown[longest] -= 1;
    built = card();
  }
  return built;
}

/** Open tasks by due group, earliest first in each, and which groups' counts are exact (the Home tab groups the same way). */
export function groupTasks(result: OpenTaskList, options: Pick<ReviewOptions, "now" | "timeZone">): GroupedReview {
  const week = weekOf(options.now, options.timeZone);
  const groups: Record<ReviewGroup, Task[]> = { overdue: [], this_week: [], later: [], no_date: [] };
  for (const task of result.tasks) groups[dueGroupOf(task.due, week, options.timeZone)].push(task);
  // Within a group, earliest due first; the sort is stable, so the board's order breaks ties.
  for (const group of DUE_GROUPS) groups[group].sort((a, b) => compareDue(a.due, b.due, options.timeZone));

  // The board is read by due date, undated last, so when it is read only in part, the groups before
  // the last task's group are complete and that group and the ones after may have more.
  const last = result.tasks.at(-1);
  const cut = result.complete || last === undefined ? DUE_GROUPS.length : DUE_GROUPS.indexOf(dueGroupOf(last.due, week, options.timeZone));
  const exact = Object.fromEntries(DUE_GROUPS.map((group, rank) => [group, result.complete || rank < cut])) as Record<ReviewGroup, boolean>;
  return { week, groups, exact, total: result.tasks.length, complete: result.complete };
}

function summarize(review: GroupedReview): { text: RichText; plain: string } {
  const open = review.complete ? plural(review.total, "open task") : `more than ${review.total} open tasks`;
  const parts = (
    [
      ["overdue", "overdue"],
      ["this_week", "due this week"],
      ["later", "due later"],
      ["no_date", "without a due date"],
    ] as const
  )
    .map(([group, label]) => countPhrase(review, group, label))
    .filter((part): part is string => part !== undefined);
  const rest = parts.length > 0 ? `: ${parts.join(", ")}` : "";
  return { text: [{ bold: capitalize(open) }, rest], plain: `${open}${parts.length > 0 ? `, ${parts.join(", ")}` : ""}` };
}

/** "3 overdue", "at least 3 overdue" when more may be unread, or nothing when the count is unknown. */
function countPhrase(review: GroupedReview, group: ReviewGroup, label: string): string | undefined {
  const count = review.groups[group].length;
  if (review.exact[group]) return `${count} ${label}`;
  return count > 0 ? `at least ${count} ${label}` : undefined;
}

/** One "lines" block a group: its heading, its tasks shown, and what is left to the board. */
function renderGroups(review: GroupedReview, shown: Record<ReviewGroup, number>, options: ReviewOptions, boardLink: Inline): CardBlock[] {
  const blocks: CardBlock[] = [];
  for (const group of DUE_GROUPS) {
    const tasks = review.groups[group];
    if (tasks.length === 0) continue;
    const exact = review.exact[group];
    const lines: RichText[] = [groupHeading(group, tasks.length, exact)];
    lines.push(...tasks.slice(0, shown[group]).map((task) => taskLineText(task, { week: review.week, timeZone: options.timeZone, show: { requester: true } })));
    const hidden = tasks.length - shown[group];
    if (hidden > 0 || !exact) {
      const more = exact ? `${hidden} more` : hidden > 0 ? `at least ${hidden} more` : "maybe more";
      lines.push([`…and ${more} on `, boardLink]);
    }
    blocks.push({ kind: "lines", lines });
  }
  return blocks;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
