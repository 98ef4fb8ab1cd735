/**
 * A task's progress as the team reads it: the three status groups every Notion status property has
 * (To-do, In progress, Complete), whatever the options in them are called. A board with a select
 * instead of a status property is read the same way (src/notion/board.ts). Knows neither Slack nor
 * Notion.
 */

export type StatusGroup = "to_do" | "in_progress" | "complete";

/** In the order a task moves through them. */
export const STATUS_GROUPS: readonly StatusGroup[] = ["to_do", "in_progress", "complete"];

/** The board's option names in each group, in the board's order. */
export type StatusGroups = Readonly<Record<StatusGroup, readonly string[]>>;

/** The names people read for each group, when the board's own option is not at hand. */
export const GROUP_LABELS: Readonly<Record<StatusGroup, string>> = { to_do: "To do", in_progress: "In progress", complete: "Done" };

/** Which group an option is in; undefined for an empty status or an option the board no longer has. */
export function groupOf(groups: StatusGroups, option: string | undefined): StatusGroup | undefined {
  if (option === undefined) return undefined;
  return STATUS_GROUPS.find((group) => groups[group].includes(option));
}

/** Preferred option names when a group holds several (a Complete group with "Done" and "Won't do"). */
const PREFERRED: Readonly<Record<StatusGroup, RegExp>> = {
  to_do: /^(not started|to-?do)$/i,
  in_progress: /^(in progress|doing|started)$/i,
  complete: /^(done|complete|completed)$/i,
};

/** The option a move into `group` writes: the group's usual name if it has one, else its first option. */
export function targetOption(groups: StatusGroups, group: StatusGroup): string | undefined {
  const options = groups[group];
  return options.find((name) => PREFERRED[group].test(name)) ?? options[0];
}

/** The groups a task can be moved to from `from`, forward only: Start and Done from To-do, Done from In progress. */
export function nextGroups(groups: StatusGroups, from: StatusGroup): StatusGroup[] {
  const later = STATUS_GROUPS.slice(STATUS_GROUPS.indexOf(from) + 1);
  return later.filter((group) => targetOption(groups, group) !== undefined);
}

/** Whether `to` is at or before `from`: a move there would go backwards or nowhere. */
export function isAtOrPast(current: StatusGroup, to: StatusGroup): boolean {
  return STATUS_GROUPS.indexOf(current) >= STATUS_GROUPS.indexOf(to);
}
