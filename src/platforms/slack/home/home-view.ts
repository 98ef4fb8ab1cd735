/**
 * The Home tab: a person's own view of the board. Its buttons' ids, its builder and the texts it
 * shows live together. Pure: lists, a clock and a time zone in; a Home view out, always within
 * Slack's 100 blocks (what does not fit is counted and left to Notion).
 */
import type { ActionsBlock, HomeView, KnownBlock } from "@slack/types";
import { actions, button, context, header, LIMITS, section } from "../blocks.js";
import { linkedTitle } from "../mrkdwn.js";
import { DUE_GROUPS, type DueGroup } from "../../../tasks/due.js";
import type { Task } from "../../../tasks/task.js";
import { taskLineText } from "../../../features/task-lines.js";
import { groupHeading, groupTasks, type GroupedReview } from "../../../features/weekly-review/build-weekly-review.js";
import { renderSlackInline, renderSlackText } from "../render-card.js";

/** The *New task* button: the same modal as `/task`. */
export const HOME_NEW_TASK_ACTION = "home_new_task";
/** The *Refresh* button. */
export const HOME_REFRESH_ACTION = "home_refresh";
/** The *Open the board* link button: the browser does the work. */
export const HOME_OPEN_BOARD_ACTION = "home_open_board";
export const HOME_CALLBACK_ID = "home";

/** One section's content: the tasks read (`complete` false when the board has more), or a sentence instead. */
export type HomeList = { kind: "tasks"; tasks: readonly Task[]; complete: boolean } | { kind: "note"; text: string };

/** The buttons under one task (the status buttons: see task-actions.ts). */
export type TaskActions = (task: Task) => ActionsBlock["elements"];

export interface HomeInput {
  /** *My requests*: the open tasks the person asked for. */
  requests: HomeList;
  /** *Assigned to me*; undefined when the board has no assignee property, and the section is left out. */
  assigned: HomeList | undefined;
  /** When the lists were read: "refreshed at". */
  now: Date;
  /** When Notion showed the lists, when that was a while ago (a shared snapshot Notion could not refresh): the tab says so. */
  asOf?: Date | undefined;
  /** REVIEW_TIMEZONE: "today" for the groups, and the time shown where Slack cannot show the viewer's own. */
  timeZone: string;
  boardUrl: string | undefined;
  /** The buttons under each task; none by default. */
  actionsFor?: TaskActions | undefined;
}

const NO_ACTIONS: TaskActions = () => [];

const EMPTY: Record<"requests" | "assigned", string> = {
  requests: "You have no open requests. Press *New task* to put one on the board.",
  assigned: "Nothing on the board is assigned to you.",
};

type SectionName = keyof typeof EMPTY;
type Shown = Record<SectionName, Record<DueGroup, number>>;

/** The Home view. Every task shows while the tab has room; past 100 blocks, the longest groups end in "and N more in Notion". */
export function buildHomeView(input: HomeInput): HomeView {
  const actionsFor = input.actionsFor ?? NO_ACTIONS;
  const options = { now: input.now, timeZone: input.timeZone };
  const grouped = {
    requests: input.requests.kind === "tasks" ? groupTasks(input.requests, options) : undefined,
    assigned: input.assigned?.kind === "tasks" ? groupTasks(input.assigned, options) : undefined,
  };
  const all = (review: GroupedReview | undefined) => Object.fromEntries(DUE_GROUPS.map((group) => [group, review?.groups[group].length ?? 0])) as Record<DueGroup, number>;
  const shown: Shown = { requests: all(grouped.requests), assigned: all(grouped.assigned) };
  // Each task's blocks are built once: dropping a task re-assembles the tab, it does not re-render it.
  const built: Record<SectionName, TaskBlocks> = { requests: new Map(), assigned: new Map() };
  const head = top(input);
  const render = () => [
    ...head,
    header("My requests"),
    ...renderSection("requests", input.requests, grouped.requests, shown.requests, input, actionsFor, built.requests),
    ...(input.assigned
      ? [{ type: "divider" } as KnownBlock, header("Assigned to me"), ...renderSection("assigned", input.assigned, grouped.assigned, shown.assigned, input, actionsFor, built.assigned)]
      : []),
  ];
  let blocks = render();
  // Drop tasks from the longest group until the tab fits; every group keeps its heading and its count.
  while (blocks.length > LIMITS.viewBlocks) {
    const [name, group] = longestGroup(shown);
    if (shown[name][group] === 0) break;
    shown[name][group] -= 1;
    blocks = render();
  }
  return { type: "home", callback_id: HOME_CALLBACK_ID, blocks };
}

function top(input: HomeInput): KnownBlock[] {
  const elements: ActionsBlock["elements"] = [
    button({ actionId: HOME_NEW_TASK_ACTION, text: "New task", style: "primary" }),
    button({ actionId: HOME_REFRESH_ACTION, text: "Refresh" }),
    ...(input.boardUrl ? [button({ actionId: HOME_OPEN_BOARD_ACTION, text: "Open the board", url: input.boardUrl })] : []),
  ];
  return [
    actions(elements, "home_actions"),
    context(
      `Refreshed at ${slackTime(input.now, input.timeZone)}${input.asOf ? `, with the board as Notion showed it at ${slackTime(input.asOf, input.timeZone)}` : ""}. Opening this tab refreshes it at most once a minute; *Refresh* does it now.`,
    ),
  ];
}

type TaskBlocks = Map<Task, KnownBlock[]>;

function renderSection(
  name: SectionName,
  list: HomeList,
  review: GroupedReview | undefined,
  shown: Record<DueGroup, number>,
  input: HomeInput,
  actionsFor: TaskActions,
  built: TaskBlocks,
): KnownBlock[] {
  if (list.kind === "note") return [section(list.text)];
  if (!review || (review.complete && review.total === 0)) return [section(EMPTY[name])];
  const more = input.boardUrl ? linkedTitle(input.boardUrl, "Notion") : "Notion";
  const blocks: KnownBlock[] = [section(summary(review))];
  for (const group of DUE_GROUPS) {
    const tasks = review.groups[group];
    if (tasks.length === 0) continue;
    const exact = review.exact[group];
    blocks.push(section(renderSlackText(groupHeading(group, tasks.length, exact))));
    for (const task of tasks.slice(0, shown[group])) {
      let taskBlocks = built.get(task);
      if (!taskBlocks) {
        const line = section(renderSlackText(taskLineText(task, { week: review.week, timeZone: input.timeZone, show: { status: true, overdue: true, requester: name === "assigned" } })));
        const buttons = actionsFor(task);
        taskBlocks = buttons.length > 0 ? [line, actions(buttons)] : [line];
        built.set(task, taskBlocks);
      }
      blocks.push(...taskBlocks);
    }
    const hidden = tasks.length - shown[group];
    if (hidden > 0 || !exact) blocks.push(context(`…and ${exact ? `${hidden} more` : hidden > 0 ? `at least ${hidden} more` : "maybe more"} in ${more}`));
  }
  return blocks;
}

/** "*3 open*: 1 overdue, 2 due this week", or "more than 100" when the board had more than was read. */
function summary(review: GroupedReview): string {
  const open = review.complete ? `${review.total} open` : `More than ${review.total} open`;
  const labels: Record<DueGroup, string> = { overdue: "overdue", this_week: "due this week", later: "due later", no_date: "without a due date" };
  const parts = DUE_GROUPS.flatMap((group) => {
    const count = review.groups[group].length;
    if (count === 0) return [];
    return [`${review.exact[group] ? count : `at least ${count}`} ${labels[group]}`];
  });
  return `*${open}*${parts.length > 0 ? `: ${parts.join(", ")}` : ""}.`;
}

/** A time of day as Slack shows it in each reader's own zone, with `timeZone`'s for clients that cannot. */
function slackTime(at: Date, timeZone: string): string {
  return renderSlackInline({ time: at.getTime(), timeZone });
}

function longestGroup(shown: Shown): [SectionName, DueGroup] {
  let best: [SectionName, DueGroup] = ["requests", "no_date"];
  for (const name of ["assigned", "requests"] as const) {
    for (const group of [...DUE_GROUPS].reverse()) if (shown[name][group] > shown[best[0]][best[1]]) best = [name, group];
  }
  return best;
}
