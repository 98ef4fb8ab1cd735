/** Tasks and boards as the bot reads them from Notion, for tests of what it builds from them. */
import type { Board } from "../src/notion/board.js";
import type { Task } from "../src/tasks/task.js";

/**
 * A board as detectBoard reads one: title "Name", a Status property (Not started / In progress /
 * Done), Due, a text Requested by and an Assignee; no priority, Slack link or Request ID unless
 * `fields` say so.
 */
export function boardOf(fields: Partial<Board> = {}): Board {
  return {
    dataSourceId: "ds",
    url: undefined,
    title: "Name",
    status: { name: "Status", id: "st", type: "status", initial: "Not started", done: ["Done"], groups: { to_do: ["Not started"], in_progress: ["In progress"], complete: ["Done"] } },
    priority: undefined,
    due: { name: "Due" },
    requester: { name: "Requested by", type: "rich_text" },
    slackLink: undefined,
    requestId: undefined,
    assignee: { name: "Assignee" },
    warnings: [],
    ...fields,
  };
}

/** A task titled "Task <id>", Not started, with no priority, due date or requester unless `fields` say so. */
export function taskOf(id: string, fields: Partial<Task> = {}): Task {
  return {
    id,
    url: `https://www.notion.so/${id}`,
    title: `Task ${id}`,
    status: "Not started",
    priority: undefined,
    due: undefined,
    requester: undefined,
    requesterId: undefined,
    createdTime: "2025-01-01T00:00:00.000Z",
    ...fields,
  };
}
