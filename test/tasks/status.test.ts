import { describe, expect, it } from "vitest";
import { groupOf, isAtOrPast, nextGroups, targetOption, type StatusGroups } from "../../src/tasks/status.js";

const groups: StatusGroups = { to_do: ["Not started"], in_progress: ["In progress", "In review"], complete: ["Won't do", "Done"] };

describe("status groups", () => {
  it("finds an option's group, and none for an empty or unknown option", () => {
    expect(groupOf(groups, "In review")).toBe("in_progress");
    expect(groupOf(groups, undefined)).toBeUndefined();
    expect(groupOf(groups, "Archived")).toBeUndefined();
  });

  it("writes the group's usual option when it has one: Done, not Won't do", () => {
    expect(targetOption(groups, "complete")).toBe("Done");
    expect(targetOption(groups, "in_progress")).toBe("In progress");
    expect(targetOption({ ...groups, complete: ["Shipped", "Dropped"] }, "complete")).toBe("Shipped");
  });

  it("offers the later groups the board has options for, forward only", () => {
    expect(nextGroups(groups, "to_do")).toEqual(["in_progress", "complete"]);
    expect(nextGroups(groups, "in_progress")).toEqual(["complete"]);
    expect(nextGroups(groups, "complete")).toEqual([]);
    expect(nextGroups({ ...groups, in_progress: [] }, "to_do")).toEqual(["complete"]);
  });

  it("knows a move that would go backwards or nowhere", () => {
    expect(isAtOrPast("complete", "in_progress")).toBe(true);
    expect(isAtOrPast("in_progress", "in_progress")).toBe(true);
    expect(isAtOrPast("to_do", "complete")).toBe(false);
  });
});
