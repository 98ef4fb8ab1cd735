/**
 * The weekly review: every open task, grouped by when it is due, for the team's review meeting.
 * Pure: tasks, a clock and a time zone in; a Slack message out.
 */
import type { KnownBlock } from "@slack/types";
import type { MessageContent } from "../../slack/client.js";
import { escapeMrkdwn, mrkdwnLink, truncate } from "../../slack/mrkdwn.js";
import type { Task } from "../../tasks/task.js";

/** Slack refuses a message with more than 50 blocks rather than cutting it. */
export const MAX_BLOCKS = 50;
/** Slack's limit for a text object is 3,000 characters; stay well inside it. */
const SECTION_MAX = 2_900;
/** A meeting reads the top of each list; the rest is one click away on the board. */
export const TASKS_PER_GROUP = 15;
const TITLE_MAX = 150;
const DETAIL_MAX = 60;
/** Notion page URLs carry a slug of the title; past this, the bare id URL opens the same page. */
const URL_MAX = 300;

export type ReviewGroup = "overdue" | "this_week" | "later" | "no_date";

/** In the board's query order: by due date, undated last. */
const GROUPS: readonly ReviewGroup[] = ["overdue", "this_week", "later", "no_date"];

const HEADINGS: Record<ReviewGroup, string> = {
  overdue: ":rotating_light: *Overdue",
  this_week: ":date: *Due this week",
  later: ":calendar: *Later",
  no_date: ":grey_question: *No due date",
};

/** Days as YYYY-MM-DD in the review's time zone: the current Monday-to-Sunday week. */
export interface ReviewWeek {
  today: string;
  monday: string;
  sunday: string;
}

export interface ReviewOptions {
  now: Date;
  /** IANA time zone: decides which day "today" is and how dates are shown. */
  timeZone: string;
  /** The board in Notion, for "and N more" and "open the board" links. */
  boardUrl?: string | undefined;
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

interface GroupedReview {
  week: ReviewWeek;
  groups: Record<ReviewGroup, Task[]>;
  /** A group is exact when no unread task can belong to it. */
  exact: Record<ReviewGroup, boolean>;
  total: number;
  complete: boolean;
}

/** The week `now` falls in, Monday to Sunday, in `timeZone`. */
export function reviewWeek(now: Date, timeZone: string): ReviewWeek {
  const today = localParts(now, timeZone).date;
  const weekday = isoWeekday(today);
  return { today, monday: addDays(today, 1 - weekday), sunday: addDays(today, 7 - weekday) };
}

/** Where a due date belongs: before today, today through Sunday, after Sunday, or none. */
export function groupOf(due: string | undefined, week: ReviewWeek, timeZone: string): ReviewGroup {
  const date = due === undefined ? undefined : dueDate(due, timeZone)?.date;
  if (date === undefined) return "no_date";
  if (date < week.today) return "overdue";
  if (date <= week.sunday) return "this_week";
  return "later";
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
 * The review message: a header, a one-line summary, then Overdue, Due this week, Later and No due
 * date, each task a linked title with priority, due date and requester. Never more than 50 blocks
 * or 2,900 characters in a text; what does not fit ends with "and N more" and a link to the board.
 */
export function buildWeeklyReview(result: OpenTaskList, options: ReviewOptions): MessageContent {
  const review = groupTasks(result, options);
  const weekOf = `Weekly review, week of ${formatDay(review.week.monday, review.week.today, { weekday: false })}`;
  const header: KnownBlock = { type: "header", text: { type: "plain_text", text: weekOf } };
  const boardLink = options.boardUrl ? mrkdwnLink(options.boardUrl, "the board") : "the board";

  if (review.complete && review.total === 0) {
    const text = ":white_check_mark: No open tasks on the board. All clear!";
    return {
      text: `${weekOf}: no open tasks. All clear!`,
      blocks: [header, section(text), ...(options.boardUrl ? [context(`Open ${boardLink} in Notion.`)] : [])],
    };
  }

  const summary = summarize(review);
  const top: KnownBlock[] = [header, section(`${summary.mrkdwn}.`)];
  const bottom: KnownBlock[] = !review.complete
    ? [context(`The board has more than ${review.total} open tasks; a review reads the first ${review.total} by due date. The rest are on ${boardLink}.`)]
    : options.boardUrl
      ? [context(`Open ${boardLink} in Notion.`)]
      : [];

  // Show up to TASKS_PER_GROUP per group, then drop tasks from the longest list until the
  // message fits Slack's block limit: every group keeps its heading and its "and N more".
  const shown = Object.fromEntries(GROUPS.map((group) => [group, Math.min(review.groups[group].length, TASKS_PER_GROUP)])) as Record<ReviewGroup, number>;
  let middle = renderGroups(review, shown, options, boardLink);
  while (top.length + middle.length + bottom.length > MAX_BLOCKS) {
    const longest = [...GROUPS].reverse().reduce((best, group) => (shown[group] > shown[best] ? group : best));
    if (shown[longest] === 0) break;
    shown[longest] -= 1;
    middle = renderGroups(review, shown, options, boardLink);
  }
  return { text: `${weekOf}: ${summary.plain}.`, blocks: [...top, ...middle, ...bottom] };
}

function groupTasks(result: OpenTaskList, options: Pick<ReviewOptions, "now" | "timeZone">): GroupedReview {
  const week = reviewWeek(options.now, options.timeZone);
  const groups: Record<ReviewGroup, Task[]> = { overdue: [], this_week: [], later: [], no_date: [] };
  for (const task of result.tasks) groups[groupOf(task.due, week, options.timeZone)].push(task);
  // Within a group, earliest due first; the sort is stable, so the board's order breaks ties.
  for (const group of GROUPS) groups[group].sort((a, b) => compareDue(a.due, b.due, options.timeZone));

  // The board is read by due date, undated last, so when it is read only in part, the groups before
  // the last task's group are complete and that group and the ones after may have more.
  const last = result.tasks.at(-1);
  const cut = result.complete || last === undefined ? GROUPS.length : GROUPS.indexOf(groupOf(last.due, week, options.timeZone));
  const exact = Object.fromEntries(GROUPS.map((group, rank) => [group, result.complete || rank < cut])) as Record<ReviewGroup, boolean>;
  return { week, groups, exact, total: result.tasks.length, complete: result.complete };
}

function summarize(review: GroupedReview): { mrkdwn: string; plain: string } {
  const open = review.complete ? plural(review.total, "open task") : `more than ${review.total} open tasks`;
  const parts = (
    [
      ["overdue", "overdue"],
      ["this_week", "due this week"],
      ["no_date", "without a due date"],
    ] as const
  )
    .map(([group, label]) => countPhrase(review, group, label))
    .filter((part): part is string => part !== undefined);
  const rest = parts.length > 0 ? `: ${parts.join(", ")}` : "";
  return { mrkdwn: `*${capitalize(open)}*${rest}`, plain: `${open}${parts.length > 0 ? `, ${parts.join(", ")}` : ""}` };
}

/** "3 overdue", "at least 3 overdue" when more may be unread, or nothing when the count is unknown. */
function countPhrase(review: GroupedReview, group: ReviewGroup, label: string): string | undefined {
  const count = review.groups[group].length;
  if (review.exact[group]) return `${count} ${label}`;
  return count > 0 ? `at least ${count} ${label}` : undefined;
}

function renderGroups(review: GroupedReview, shown: Record<ReviewGroup, number>, options: ReviewOptions, boardLink: string): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  for (const group of GROUPS) {
    const tasks = review.groups[group];
    if (tasks.length === 0) continue;
    const exact = review.exact[group];
    const lines = [`${HEADINGS[group]} (${exact ? tasks.length : `at least ${tasks.length}`})*`];
    lines.push(...tasks.slice(0, shown[group]).map((task) => taskLine(task, review.week, options.timeZone)));
    const hidden = tasks.length - shown[group];
    if (hidden > 0 || !exact) {
      const more = exact ? `${hidden} more` : hidden > 0 ? `at least ${hidden} more` : "maybe more";
      lines.push(`…and ${more} on ${boardLink}`);
    }
    blocks.push(...packLines(lines));
  }
  return blocks;
}

/** Lines into as few sections as fit, each text within the limit. */
function packLines(lines: readonly string[]): KnownBlock[] {
  const texts: string[] = [];
  let current = "";
  for (const line of lines) {
    const fitted = truncate(line, SECTION_MAX);
    if (current && current.length + 1 + fitted.length > SECTION_MAX) {
      texts.push(current);
      current = "";
    }
    current = current ? `${current}\n${fitted}` : fitted;
  }
  if (current) texts.push(current);
  return texts.map(section);
}

/** "• <url|Title> · High · due Mon 6 Jan · requested by Alice": every piece of board text escaped. */
function taskLine(task: Task, week: ReviewWeek, timeZone: string): string {
  const url = task.url.length <= URL_MAX ? task.url : `https://www.notion.so/${task.id.replaceAll("-", "")}`;
  const due = task.due === undefined ? undefined : formatDue(task.due, week.today, timeZone);
  const requester = task.requester === undefined ? undefined : withoutSlackIds(task.requester);
  const details = [
    task.priority && escapeMrkdwn(truncate(task.priority, DETAIL_MAX)),
    due && `due ${due}`,
    requester && `requested by ${escapeMrkdwn(truncate(requester, DETAIL_MAX))}`,
  ].filter((detail): detail is string => Boolean(detail));
  return `• ${mrkdwnLink(url, truncate(task.title, TITLE_MAX))}${details.map((detail) => ` · ${detail}`).join("")}`;
}

/** The board stores requesters as "Bob (U0BOB)" so they can be searched; the review shows the names. */
function withoutSlackIds(requester: string): string {
  return requester.replace(/\s*\([UW][A-Z0-9]{2,}\)/g, "").trim();
}

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}

function context(text: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text }] };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Dates. A Notion date is a day ("2025-01-06") or an instant ("2025-01-06T15:00:00.000-08:00"):
// a day is taken as it is; an instant is placed on the day it falls in, in the review's time zone.

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The day (YYYY-MM-DD) and time (HH:MM) of an instant in a time zone. */
function localParts(instant: Date, timeZone: string): { date: string; time: string } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

function dueDate(due: string, timeZone: string): { date: string; time: string | undefined } | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(due)) return { date: due, time: undefined };
  const instant = Date.parse(due);
  return Number.isNaN(instant) ? undefined : localParts(new Date(instant), timeZone);
}

function compareDue(a: string | undefined, b: string | undefined, timeZone: string): number {
  const left = a === undefined ? undefined : dueDate(a, timeZone);
  const right = b === undefined ? undefined : dueDate(b, timeZone);
  if (!left || !right) return left ? -1 : right ? 1 : 0;
  const leftKey = `${left.date} ${left.time ?? ""}`;
  const rightKey = `${right.date} ${right.time ?? ""}`;
  return leftKey < rightKey ? -1 : leftKey > rightKey ? 1 : 0;
}

/** "Mon 6 Jan", "Mon 6 Jan 15:00", with the year when it is not this year's. */
function formatDue(due: string, today: string, timeZone: string): string | undefined {
  const parsed = dueDate(due, timeZone);
  if (!parsed) return undefined;
  const day = formatDay(parsed.date, today, { weekday: true });
  return parsed.time === undefined ? day : `${day} ${parsed.time}`;
}

function formatDay(date: string, today: string, { weekday }: { weekday: boolean }): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const name = WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
  const yearSuffix = date.slice(0, 4) === today.slice(0, 4) ? "" : ` ${year}`;
  return `${weekday ? `${name} ` : ""}${day} ${MONTHS[month - 1]}${yearSuffix}`;
}

/** 1 for Monday through 7 for Sunday. */
function isoWeekday(date: string): number {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() || 7;
}

function addDays(date: string, days: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}
