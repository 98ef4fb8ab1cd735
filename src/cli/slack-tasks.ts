/**
 * Tasks on the sandbox's board as `npm run slack` names them: by title (or part of one) or by page
 * id, and, when several tasks share a title, which one a command acted on and how to pick another.
 */
import { propertyText, type PagePropertyValue } from "../notion/properties.js";
import { dashedNotionId, sameNotionId } from "../notion/ids.js";
import { closest } from "./closest.js";
import type { SandboxPage } from "./sandbox-control.js";
import { UsageError } from "./slack-arguments.js";

/** A page's title as the CLI prints it, or "Untitled". */
export function taskTitle(page: SandboxPage): string {
  // The page comes from the Notion emulator, in Notion's own shapes.
  const title = Object.values(page.properties).find((value) => value.type === "title") as PagePropertyValue | undefined;
  return propertyText(title) || "Untitled";
}

/** The task picked, and every task on the board with its title (itself included, oldest first). */
export interface PickedTask {
  page: SandboxPage;
  sameTitle: SandboxPage[];
}

/**
 * The board's task named by `wanted`: its page id (dashed or not) or URL; else its whole title, then
 * the title case aside, then part of it (case aside). Of several tasks with the one title matched, the
 * newest (a task just made is the one meant; `sameTitle` says there were others). Rejects with a
 * UsageError when no task matches (naming the closest title) or the words match several titles.
 */
export function pickTask(pages: readonly SandboxPage[], wanted: string): PickedTask {
  const live = pages.filter((page) => !page.in_trash);
  const id = dashedNotionId(wanted) ?? dashedNotionId(/[0-9a-f]{32}(?=[?#]|$)/i.exec(wanted)?.[0] ?? "");
  if (id !== undefined) {
    const page = live.find((candidate) => sameNotionId(candidate.id, id));
    if (!page) throw new UsageError(`No task with the id ${id} on the board: npm run slack -- state lists them.`);
    return { page, sameTitle: live.filter((candidate) => taskTitle(candidate) === taskTitle(page)) };
  }
  const lower = wanted.toLowerCase();
  const matches = [
    live.filter((page) => taskTitle(page) === wanted),
    live.filter((page) => taskTitle(page).toLowerCase() === lower),
    live.filter((page) => taskTitle(page).toLowerCase().includes(lower)),
  ].find((found) => found.length > 0);
  if (!matches) {
    const near = closest(wanted, new Set(live.map(taskTitle)));
    throw new UsageError(`No task titled "${wanted}" on the board${near === undefined ? "" : `; the closest is "${near}"`}: npm run slack -- state lists them.`);
  }
  const titles = [...new Set(matches.map(taskTitle))];
  if (titles.length > 1) throw new UsageError(`${titles.length} tasks' titles contain "${wanted}": ${titles.map((title) => `"${title}"`).join(", ")}. Give the whole title.`);
  const page = matches.reduce((newest, candidate) => (candidate.created_time >= newest.created_time ? candidate : newest));
  return { page, sameTitle: live.filter((candidate) => taskTitle(candidate) === titles[0]) };
}

/** The task on the board whose page id `value` is (a status button's value), if any. */
export function taskWithId(pages: readonly SandboxPage[], value: string | undefined): PickedTask | undefined {
  const page = value === undefined || dashedNotionId(value) === undefined ? undefined : pages.find((candidate) => !candidate.in_trash && sameNotionId(candidate.id, value));
  return page && { page, sameTitle: pages.filter((candidate) => !candidate.in_trash && taskTitle(candidate) === taskTitle(page)) };
}

/** A page's creation and id, to tell it from others with its title: "created 2026-12-06 14:52 UTC, id 7bb4aa2f-…". */
export function identify(page: SandboxPage): string {
  return `created ${page.created_time.slice(0, 16).replace("T", " ")} UTC, id ${page.id}`;
}

/**
 * When others share the picked task's title, lines saying which this is, then each other one (oldest
 * first) with how to pick it (`howToPick`: the command, or why there is none); else no line.
 */
export function sameTitleNote(task: PickedTask, howToPick: (page: SandboxPage) => string): string[] {
  const others = task.sameTitle.filter((page) => page.id !== task.page.id);
  if (others.length === 0) return [];
  return [
    `${task.sameTitle.length} tasks are titled "${taskTitle(task.page)}": this is the one ${identify(task.page)}.`,
    ...others.map((page) => `For the one ${identify(page)}: ${howToPick(page)}`),
  ];
}
