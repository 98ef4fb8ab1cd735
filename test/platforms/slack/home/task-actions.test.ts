import { describe, expect, it } from "vitest";
import { COMPLETE_TASK_ACTION, START_TASK_ACTION } from "../../../../src/features/task-status/status-buttons.js";
import type { Board } from "../../../../src/notion/board.js";
import { homeTaskActions } from "../../../../src/platforms/slack/home/task-actions.js";
import type { StatusGroups } from "../../../../src/tasks/status.js";
import type { Task } from "../../../../src/tasks/task.js";

// The Home tab's status buttons: the port's nextStatusButtons drawn as the Block Kit the tab always had.

const groups: StatusGroups = { to_do: ["Not started"], in_progress: ["In progress"], complete: ["Done"] };
const pageId = "153104cd-477e-809d-8dc4-ff2d96ae3090";
const start = { type: "button", action_id: START_TASK_ACTION, text: { type: "plain_text", text: "Start", emoji: true }, value: pageId };
const done = { type: "button", action_id: COMPLETE_TASK_ACTION, text: { type: "plain_text", text: "Done", emoji: true }, value: pageId, style: "primary" };

function boardWith(statusGroups: StatusGroups | undefined): Board {
  return {
    dataSourceId: "ds",
    url: undefined,
    title: "Tasks",
    status: statusGroups && { name: "Status", id: "st", type: "status", initial: "Not started", done: ["Done"], groups: statusGroups },
    priority: undefined,
    due: undefined,
    requester: undefined,
    slackLink: undefined,
    requestId: undefined,
    assignee: undefined,
    warnings: [],
  };
}

const task = (status: string | undefined): Task => ({ id: pageId, url: "https://www.notion.so/x", title: "Fix login", status, priority: undefined, due: undefined, requester: undefined, requesterId: undefined, createdTime: "2025-01-06T09:00:00.000Z" });

describe("homeTaskActions (the Home tab's Block Kit)", () => {
  it("offers Start and Done for a task to do, Done once started, nothing once complete", () => {
    expect(homeTaskActions(task("Not started"), boardWith(groups))).toEqual([start, done]);
    expect(homeTaskActions(task("In progress"), boardWith(groups))).toEqual([done]);
    expect(homeTaskActions(task("Done"), boardWith(groups))).toEqual([]);
  });

  it("reads an empty status as To-do, and leaves out Start on a board without an In progress option", () => {
    expect(homeTaskActions(task(undefined), boardWith(groups))).toEqual([start, done]);
    expect(homeTaskActions(task("Not started"), boardWith({ ...groups, in_progress: [] }))).toEqual([done]);
  });

  it("offers none on a board without a status property", () => {
    expect(homeTaskActions(task("Not started"), boardWith(undefined))).toEqual([]);
  });
});
