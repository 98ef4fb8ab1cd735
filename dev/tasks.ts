/** Tasks as the bot reads them from the board, for tests of what it builds from them. */
import type { Task } from "../src/tasks/task.js";

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
    requesterSlackId: undefined,
    createdTime: "2025-01-01T00:00:00.000Z",
    ...fields,
  };
}
