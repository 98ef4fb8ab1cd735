import { describe, expect, it } from "vitest";
import { COMPLETE_TASK_ACTION, readStatusClick, START_TASK_ACTION, statusActions, statusButtons } from "../../../src/features/task-status/status-buttons.js";
import type { StatusGroups } from "../../../src/tasks/status.js";

const groups: StatusGroups = { to_do: ["Not started"], in_progress: ["In progress"], complete: ["Done"] };
const pageId = "153104cd-477e-809d-8dc4-ff2d96ae3090";

const start = { type: "button", action_id: START_TASK_ACTION, text: { type: "plain_text", text: "Start", emoji: true }, value: pageId };
const done = { type: "button", action_id: COMPLETE_TASK_ACTION, text: { type: "plain_text", text: "Done", emoji: true }, value: pageId, style: "primary" };

describe("statusButtons", () => {
  it("offers Start and Done for a task to do, Done once started, nothing once complete", () => {
    expect(statusButtons({ pageId, group: "to_do" }, groups)).toEqual([start, done]);
    expect(statusButtons({ pageId, group: "in_progress" }, groups)).toEqual([done]);
    expect(statusButtons({ pageId, group: "complete" }, groups)).toEqual([]);
  });

  it("reads an empty status as To-do, and leaves out Start on a board without an In progress option", () => {
    expect(statusButtons({ pageId, group: undefined }, groups)).toEqual([start, done]);
    expect(statusButtons({ pageId, group: "to_do" }, { ...groups, in_progress: [] })).toEqual([done]);
  });

  it("puts them in an actions block named after the message, and none when there is no next step", () => {
    expect(statusActions({ pageId, group: "to_do" }, groups, "announcement")).toEqual({ type: "actions", block_id: "task_status/announcement", elements: [start, done] });
    expect(statusActions({ pageId, group: "complete" }, groups, "confirmation")).toBeUndefined();
  });
});

describe("readStatusClick", () => {
  it("reads the page, the group and the message the click came from", () => {
    expect(readStatusClick({ action_id: COMPLETE_TASK_ACTION, value: pageId, block_id: "task_status/confirmation" })).toEqual({ pageId, to: "complete", surface: "confirmation" });
    expect(readStatusClick({ action_id: START_TASK_ACTION, value: pageId, block_id: "home_task_3" })).toEqual({ pageId, to: "in_progress", surface: undefined });
  });

  it("refuses a value that is not a page id, and an action that is not a status button", () => {
    expect(readStatusClick({ action_id: COMPLETE_TASK_ACTION, value: "../../etc" })).toBeUndefined();
    expect(readStatusClick({ action_id: COMPLETE_TASK_ACTION })).toBeUndefined();
    expect(readStatusClick({ action_id: "toString", value: pageId })).toBeUndefined();
  });
});
