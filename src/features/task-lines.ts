/**
 * One task as a line, the same in the weekly review, `/task list` and the Home tab:
 * "• Title (linked) · In progress · High · due Mon 6 Jan · requested by Alice". Board text is plain
 * string pieces of RichText, which every adapter escapes. Pure.
 */
import type { Inline, RichText } from "../chat/rich-text.js";
import { pageUrl } from "../notion/properties.js";
import { dueGroupOf, formatDue, type Week } from "../tasks/due.js";
import type { Task } from "../tasks/task.js";
import { cutToUnits } from "../text.js";

/** Long enough for a real title; what is cut is one click away in Notion. */
const TITLE_MAX = 150;
const DETAIL_MAX = 60;
/** Notion page URLs carry a slug of the title; past this, the bare id URL opens the same page. */
const URL_MAX = 300;

export interface TaskLineOptions {
  week: Week;
  timeZone: string;
  /** Which details to show beside the title (the due date always shows). */
  show: { status?: boolean; priority?: boolean; requester?: boolean; overdue?: boolean };
}

/** The line for one task. */
export function taskLineText(task: Task, options: TaskLineOptions): RichText {
  const { week, timeZone, show } = options;
  const due = task.due === undefined ? undefined : formatDue(task.due, week.today, timeZone);
  const overdue = show.overdue && dueGroupOf(task.due, week, timeZone) === "overdue";
  const details: (readonly Inline[])[] = [];
  if (show.status && task.status) details.push([cutToUnits(task.status, DETAIL_MAX)]);
  if (show.priority !== false && task.priority) details.push([cutToUnits(task.priority, DETAIL_MAX)]);
  if (due) details.push(overdue ? [{ emoji: "rotating_light" }, " ", { bold: "overdue" }, ` since ${due}`] : [`due ${due}`]);
  if (show.requester && task.requester) details.push([`requested by ${cutToUnits(task.requester, DETAIL_MAX)}`]);
  return ["• ", { link: taskUrl(task), text: cutToUnits(task.title, TITLE_MAX) }, ...details.flatMap((detail) => [" · ", ...detail])];
}

/** The task's URL, or the bare page URL when Notion's slugged one is very long. */
export function taskUrl(task: Pick<Task, "id" | "url">): string {
  return task.url.length <= URL_MAX ? task.url : pageUrl(task.id);
}
