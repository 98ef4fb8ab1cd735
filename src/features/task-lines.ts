/**
 * One task as a line of mrkdwn, the same in the weekly review, `/task list` and the Home tab:
 * "• <url|Title> · In progress · High · due Mon 6 Jan · requested by Alice". Every piece of board
 * text is escaped. Pure.
 */
import { pageUrl } from "../notion/properties.js";
import { escapeMrkdwn, linkedTitle } from "../platforms/slack/mrkdwn.js";
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
export function taskLine(task: Task, options: TaskLineOptions): string {
  const { week, timeZone, show } = options;
  const due = task.due === undefined ? undefined : formatDue(task.due, week.today, timeZone);
  const overdue = show.overdue && dueGroupOf(task.due, week, timeZone) === "overdue";
  const details = [
    show.status && task.status && escapeMrkdwn(cutToUnits(task.status, DETAIL_MAX)),
    show.priority !== false && task.priority && escapeMrkdwn(cutToUnits(task.priority, DETAIL_MAX)),
    due && (overdue ? `:rotating_light: *overdue* since ${due}` : `due ${due}`),
    show.requester && task.requester && `requested by ${escapeMrkdwn(cutToUnits(task.requester, DETAIL_MAX))}`,
  ].filter((detail): detail is string => Boolean(detail));
  return `• ${linkedTitle(taskUrl(task), cutToUnits(task.title, TITLE_MAX))}${details.map((detail) => ` · ${detail}`).join("")}`;
}

/** The task's URL, or the bare page URL when Notion's slugged one is very long. */
export function taskUrl(task: Pick<Task, "id" | "url">): string {
  return task.url.length <= URL_MAX ? task.url : pageUrl(task.id);
}
