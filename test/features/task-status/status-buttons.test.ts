import { describe, expect, it } from "vitest";
import { COMPLETE_TASK_ACTION, nextStatusButtons, readStatusClick, START_TASK_ACTION, statusButtonRow } from "../../../src/features/task-status/status-buttons.js";
import { renderSlackCard } from "../../../src/platforms/slack/render-card.js";
import type { StatusGroups } from "../../../src/tasks/status.js";

const groups: StatusGroups = { to_do: ["Not started"], in_progress: ["In progress"], complete: ["Done"] };
const pageId = "153104cd-477e-809d-8dc4-ff2d96ae3090";

const start = { type: "button", action_id: START_TASK_ACTION, text: { type: "plain_text", text: "Start", emoji: true }, value: pageId };
const done = { type: "button", action_id: COMPLETE_TASK_ACTION, text: { type: "plain_text", text: "Done", emoji: true }, value: pageId, style: "primary" };

describe("nextStatusButtons", () => {
  it("are the port's action buttons, the page id as their value", () => {
    expect(nextStatusButtons({ pageId, group: "to_do" }, groups)).toEqual([
      { kind: "action", action: START_TASK_ACTION, label: "Start", value: pageId },
      { kind: "action", action: COMPLETE_TASK_ACTION, label: "Done", value: pageId, style: "primary" },
    ]);
  });

  it("sit in a row named after the message, drawn for Slack as the actions block Slack's messages always had", () => {
    const row = statusButtonRow({ pageId, group: "to_do" }, groups, "announcement")!;
    expect(row).toMatchObject({ kind: "buttons", id: "task_status/announcement" });
    expect(renderSlackCard({ summary: [], blocks: [row] }).blocks).toEqual([{ type: "actions", block_id: "task_status/announcement", elements: [start, done] }]);
    expect(statusButtonRow({ pageId, group: "complete" }, groups, "confirmation")).toBeUndefined();
  });

  it("are Done alone once started, read an empty status as To-do, and leave out Start on a board without an In progress option", () => {
    expect(nextStatusButtons({ pageId, group: "in_progress" }, groups).map((next) => next.action)).toEqual([COMPLETE_TASK_ACTION]);
    expect(nextStatusButtons({ pageId, group: undefined }, groups).map((next) => next.action)).toEqual([START_TASK_ACTION, COMPLETE_TASK_ACTION]);
    expect(nextStatusButtons({ pageId, group: "to_do" }, { ...groups, in_progress: [] }).map((next) => next.action)).toEqual([COMPLETE_TASK_ACTION]);
  });
});

describe("readStatusClick", () => {
  it("reads the page, the group and the message the click came from", () => {
    expect(readStatusClick({ action: COMPLETE_TASK_ACTION, value: pageId, rowId: "task_status/confirmation" })).toEqual({ pageId, to: "complete", surface: "confirmation" });
    expect(readStatusClick({ action: START_TASK_ACTION, value: pageId, rowId: "home_task_3" })).toEqual({ pageId, to: "in_progress", surface: undefined });
  });

  it("refuses a value that is not a page id, and an action that is not a status button", () => {
    expect(readStatusClick({ action: COMPLETE_TASK_ACTION, value: "../../etc" })).toBeUndefined();
    expect(readStatusClick({ action: COMPLETE_TASK_ACTION })).toBeUndefined();
    expect(readStatusClick({ action: "toString", value: pageId })).toBeUndefined();
  });
});
