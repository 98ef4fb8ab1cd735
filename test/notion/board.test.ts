import { describe, expect, it } from "vitest";
import { DEFAULT_PROPERTY_NAMES } from "../../src/cli/board-schema.js";
import { detectBoard } from "../../src/notion/board.js";

type Properties = Parameters<typeof detectBoard>[0]["properties"];

const status = {
  id: "st",
  name: "Status",
  type: "status",
  status: {
    options: [
      { id: "o1", name: "Not started", color: "default" },
      { id: "o2", name: "In progress", color: "blue" },
      { id: "o3", name: "Done", color: "green" },
      { id: "o4", name: "Won't do", color: "gray" },
    ],
    groups: [
      { id: "g1", name: "To-do", color: "gray", option_ids: ["o1"] },
      { id: "g2", name: "In progress", color: "blue", option_ids: ["o2"] },
      { id: "g3", name: "Complete", color: "green", option_ids: ["o3", "o4"] },
    ],
  },
};

function board(properties: Record<string, unknown>, names = DEFAULT_PROPERTY_NAMES) {
  return detectBoard({ id: "ds-1", url: "https://www.notion.so/ds1", properties: properties as unknown as Properties }, names);
}

describe("detectBoard", () => {
  it("finds the title by its type, whatever its name", () => {
    expect(board({ Task: { id: "t", name: "Task", type: "title", title: {} } }).title).toBe("Task");
  });

  it("starts new tasks in the To-do group and treats the Complete group as done", () => {
    const detected = board({ Name: { id: "t", name: "Name", type: "title", title: {} }, Status: status });
    expect(detected.status).toEqual({
      name: "Status",
      id: "st",
      type: "status",
      initial: "Not started",
      done: ["Done", "Won't do"],
      groups: { to_do: ["Not started"], in_progress: ["In progress"], complete: ["Done", "Won't do"] },
    });
  });

  it("finds the status groups by position when they were renamed", () => {
    const renamed = { ...status, status: { ...status.status, groups: status.status.groups.map((group, index) => ({ ...group, name: `Stage ${index}` })) } };
    expect(board({ Status: renamed }).status?.groups).toEqual({ to_do: ["Not started"], in_progress: ["In progress"], complete: ["Done", "Won't do"] });
  });

  it("reads a select used as a status by its option names", () => {
    const select = { id: "s", name: "Status", type: "select", select: { options: [{ id: "1", name: "Backlog" }, { id: "2", name: "Doing" }, { id: "3", name: "Closed" }] } };
    expect(board({ Status: select }).status).toEqual({
      name: "Status",
      id: "s",
      type: "select",
      initial: "Backlog",
      done: ["Closed"],
      groups: { to_do: ["Backlog"], in_progress: ["Doing"], complete: ["Closed"] },
    });
  });

  it("puts every select option that means not started in To-do, and every one that means closed in Complete", () => {
    const options = ["Inbox", "Not started", "Doing", "Review", "Done", "Cancelled"].map((name, index) => ({ id: String(index), name }));
    const select = { id: "s", name: "Status", type: "select", select: { options } };
    expect(board({ Status: select }).status?.groups).toEqual({ to_do: ["Inbox", "Not started"], in_progress: ["Doing", "Review"], complete: ["Done", "Cancelled"] });
  });

  it("takes priority options from the board", () => {
    const priority = { id: "p", name: "Priority", type: "select", select: { options: [{ id: "1", name: "P0" }, { id: "2", name: "P1" }] } };
    expect(board({ Priority: priority }).priority).toEqual({ name: "Priority", type: "select", options: ["P0", "P1"] });
  });

  it("follows renamed properties", () => {
    const detected = board({ State: status, Deadline: { id: "d", name: "Deadline", type: "date", date: {} } }, { ...DEFAULT_PROPERTY_NAMES, status: "State", due: "Deadline" });
    expect(detected.status?.name).toBe("State");
    expect(detected.due).toEqual({ name: "Deadline" });
  });

  it("skips a missing property with a warning instead of failing", () => {
    const detected = board({ Name: { id: "t", name: "Name", type: "title", title: {} } });
    expect(detected.due).toBeUndefined();
    expect(detected.warnings).toContain('property "Due" (due) is not on the board, so it is left out');
  });

  it("skips a property of a type the bot cannot write, saying which type it found", () => {
    const detected = board({ Due: { id: "d", name: "Due", type: "checkbox", checkbox: {} } });
    expect(detected.due).toBeUndefined();
    expect(detected.warnings).toContain('property "Due" (due) is of type checkbox; expected date, so it is left out');
  });
});
