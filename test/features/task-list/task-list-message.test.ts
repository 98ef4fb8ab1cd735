import { describe, expect, it } from "vitest";
import { buildTaskList as buildTaskListCard, type TaskListOptions } from "../../../src/features/task-list/task-list-message.js";
import { buildWeeklyReview } from "../../../src/features/weekly-review/build-weekly-review.js";
import { renderSlackCard } from "../../../src/platforms/slack/render-card.js";
import type { Task } from "../../../src/tasks/task.js";
import { taskOf as task } from "../../../dev/tasks.js";

/** The list as Slack shows it. */
const buildTaskList = (tasks: readonly Task[], options: TaskListOptions) => renderSlackCard(buildTaskListCard(tasks, options));

/** Monday 6 January 2025, 09:00 UTC. */
const now = new Date("2025-01-06T09:00:00Z");

function lines(tasks: Task[], timeZone = "UTC"): string[] {
  const { blocks } = buildTaskList(tasks, { command: "/task", now, timeZone });
  return (blocks ?? []).slice(1).flatMap((block) => (block.type === "section" && block.text ? block.text.text.split("\n") : []));
}

describe("buildTaskList", () => {
  it("ends with when Notion showed the board, when it is given (an old snapshot), in each reader's own time zone", () => {
    const asOf = new Date("2025-01-06T07:00:00Z");
    for (const tasks of [[task("one")], []]) {
      const { blocks } = buildTaskList(tasks, { command: "/task", now, timeZone: "UTC", asOf });
      expect(blocks?.at(-1)).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: ":hourglass: The board as Notion showed it <!date^1736146800^{date_short_pretty} at {time}|6 Jan, 07:00 UTC>." }] });
    }
    expect(JSON.stringify(buildTaskList([task("one")], { command: "/task", now, timeZone: "UTC" }))).not.toContain("hourglass");
  });

  it("lists by due date, overdue first and marked, undated last, whatever order the board gave", () => {
    // The board's order: newest first.
    const tasks = [task("undated"), task("later", { due: "2025-02-01" }), task("week", { due: "2025-01-10" }), task("late", { due: "2025-01-02" }), task("oldest", { due: "2024-12-20" })];
    expect(lines(tasks)).toEqual([
      "• <https://www.notion.so/oldest|Task oldest> · Not started · :rotating_light: *overdue* since Fri 20 Dec 2024",
      "• <https://www.notion.so/late|Task late> · Not started · :rotating_light: *overdue* since Thu 2 Jan",
      "• <https://www.notion.so/week|Task week> · Not started · due Fri 10 Jan",
      "• <https://www.notion.so/later|Task later> · Not started · due Sat 1 Feb",
      "• <https://www.notion.so/undated|Task undated> · Not started",
    ]);
  });

  it("keeps the board's order (newest first) among tasks due the same day and among undated ones", () => {
    const tasks = [task("new"), task("b", { due: "2025-01-10" }), task("old"), task("a", { due: "2025-01-10" })];
    expect(lines(tasks).map((line) => /\|([^>]+)>/.exec(line)?.[1])).toEqual(["Task b", "Task a", "Task new", "Task old"]);
  });

  it("dates a task exactly as the weekly review does, in the review's time zone", () => {
    const due = "2025-01-08T23:30:00.000Z";
    const listed = lines([task("t", { due })], "Asia/Tokyo")[0]!;
    const review = renderSlackCard(buildWeeklyReview({ tasks: [task("t", { due })], complete: true }, { now, timeZone: "Asia/Tokyo" }));
    expect(listed).toContain("due Thu 9 Jan 08:30");
    expect(JSON.stringify(review.blocks)).toContain("due Thu 9 Jan 08:30");
  });

  it("says how many tasks are open, and how to make one when there are none", () => {
    expect(buildTaskList([task("a")], { command: "/task", now, timeZone: "UTC" }).text).toBe("Your open tasks (1)");
    expect(buildTaskList([], { command: "/task", now, timeZone: "UTC" }).text).toBe("You have no open tasks. Create one with `/task`.");
  });
});
