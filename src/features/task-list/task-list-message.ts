/** `/task list`'s answer: the caller's open tasks, overdue first, dated as the weekly review dates them. Pure. */
import type { Card, CardBlock } from "../../chat/card.js";
import { compareDue, weekOf } from "../../tasks/due.js";
import type { Task } from "../../tasks/task.js";
import { boardAgeText } from "../board-age.js";
import { taskLineText } from "../task-lines.js";

export interface TaskListOptions {
  /** The slash command, for "create one with /task". */
  command: string;
  now: Date;
  /** The review's time zone: "today" and the dates shown. */
  timeZone: string;
  /** When Notion showed the board, when that is worth saying (board-age.ts). */
  asOf?: Date | undefined;
}

/** The list, by due date (overdue first and marked, undated last; the board's order breaks ties). */
export function buildTaskList(tasks: readonly Task[], options: TaskListOptions): Card {
  if (tasks.length === 0) {
    const text = ["You have no open tasks. Create one with ", { code: options.command }, "."] as const;
    return { summary: text, blocks: [{ kind: "text", text }, ...ageBlocks(options)] };
  }
  const week = weekOf(options.now, options.timeZone);
  const ordered = [...tasks].sort((a, b) => compareDue(a.due, b.due, options.timeZone));
  const lines = ordered.map((task) => taskLineText(task, { week, timeZone: options.timeZone, show: { status: true, overdue: true } }));
  const heading = `Your open tasks (${tasks.length})`;
  return { summary: [heading], blocks: [{ kind: "text", text: [{ bold: heading }] }, { kind: "lines", lines }, ...ageBlocks(options)] };
}

function ageBlocks(options: TaskListOptions): CardBlock[] {
  return options.asOf ? [{ kind: "note", text: boardAgeText(options.asOf, options.timeZone) }] : [];
}
