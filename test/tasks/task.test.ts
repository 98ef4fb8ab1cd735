import { describe, expect, it } from "vitest";
import { earliestToday, titleFrom, UNCHECKED_PRIORITY, UNOFFERED_PRIORITY, validateTaskInput } from "../../src/tasks/task.js";

const now = new Date("2026-11-22T10:00:00Z");
const blank = { title: "Fix login", description: undefined, priority: undefined, due: undefined };

describe("validateTaskInput", () => {
  it("accepts a title alone", () => {
    expect(validateTaskInput(blank, { now })).toEqual({ ok: true, task: { title: "Fix login", description: "", priority: undefined, due: undefined } });
  });

  it("refuses a title that is empty after trimming", () => {
    expect(validateTaskInput({ ...blank, title: "  \n " }, { now })).toEqual({ ok: false, errors: { title: "Give the task a title." } });
  });

  it("refuses a title over the limit", () => {
    const result = validateTaskInput({ ...blank, title: "x".repeat(151) }, { now });
    expect(result.ok ? undefined : result.errors.title).toMatch(/under 150 characters/);
  });

  it("counts the title in UTF-16 units, as Slack's max_length does: 75 emoji fit, 76 do not, and it says why", () => {
    expect(validateTaskInput({ ...blank, title: "😀".repeat(75) }, { now }).ok).toBe(true);
    const result = validateTaskInput({ ...blank, title: "😀".repeat(76) }, { now });
    expect(result.ok ? undefined : result.errors.title).toBe("Keep the title under 150 characters (an emoji counts as two); put details in the description.");
  });

  it("counts the description in UTF-16 units: 1,500 emoji fit Slack's 3,000, 2,001 do not", () => {
    expect(validateTaskInput({ ...blank, description: "😀".repeat(1_500) }, { now }).ok).toBe(true);
    const result = validateTaskInput({ ...blank, description: "😀".repeat(2_001) }, { now });
    expect(result.ok ? undefined : result.errors.description).toBe("Keep the description under 3000 characters (an emoji counts as two).");
  });

  it("refuses a due date in the past everywhere on Earth", () => {
    expect(validateTaskInput({ ...blank, due: "2026-11-20" }, { now })).toEqual({ ok: false, errors: { due: "That date has passed. Pick today or a later date." } });
  });

  it("accepts yesterday's UTC date while it is still today somewhere", () => {
    const earlyUtc = new Date("2026-11-22T05:00:00Z");
    expect(validateTaskInput({ ...blank, due: "2026-11-21" }, { now: earlyUtc }).ok).toBe(true);
  });

  it("refuses a malformed date", () => {
    expect(validateTaskInput({ ...blank, due: "22/11/2026" }, { now }).ok).toBe(false);
  });

  it("refuses a description over 3,000 characters", () => {
    const result = validateTaskInput({ ...blank, description: "y".repeat(3001) }, { now });
    expect(result.ok ? undefined : result.errors.description).toMatch(/3000/);
  });

  it("refuses a priority outside the offered ones, exactly as named once trimmed; none given needs none offered", () => {
    const priorities = { offered: ["P0", "P1"] };
    expect(validateTaskInput({ ...blank, priority: " P1 " }, { now, priorities })).toMatchObject({ ok: true, task: { priority: "P1" } });
    expect(validateTaskInput({ ...blank, priority: "p1" }, { now, priorities })).toEqual({ ok: false, errors: { priority: UNOFFERED_PRIORITY } });
    expect(validateTaskInput({ ...blank, priority: "Urgent" }, { now, priorities })).toEqual({ ok: false, errors: { priority: UNOFFERED_PRIORITY } });
    expect(validateTaskInput({ ...blank, priority: "  " }, { now, priorities: { offered: [] } }).ok).toBe(true);
  });

  it("says a priority could not be checked when the offered ones are only what was last known of an unread board", () => {
    const result = validateTaskInput({ ...blank, priority: "Urgent" }, { now, priorities: { offered: ["High", "Medium", "Low"], unread: true } });
    expect(result).toEqual({ ok: false, errors: { priority: UNCHECKED_PRIORITY } });
  });

  it("keeps the bound's message for a priority over 100 characters", () => {
    expect(validateTaskInput({ ...blank, priority: "x".repeat(101) }, { now, priorities: { offered: ["High"] } })).toEqual({ ok: false, errors: { priority: "Pick one of the listed priorities." } });
  });

  it("collapses line breaks in a title", () => {
    const result = validateTaskInput({ ...blank, title: "Fix\nlogin   page" }, { now });
    expect(result.ok && result.task.title).toBe("Fix login page");
  });
});

describe("earliestToday", () => {
  it("is the date in UTC-12", () => {
    expect(earliestToday(new Date("2026-11-22T11:59:00Z"))).toBe("2026-11-21");
    expect(earliestToday(new Date("2026-11-22T12:00:00Z"))).toBe("2026-11-22");
  });
});

describe("titleFrom", () => {
  it("takes the first non-empty line", () => {
    expect(titleFrom("\n  Deploy is broken \nsee logs")).toBe("Deploy is broken");
  });

  it("cuts a long line at a word boundary with an ellipsis", () => {
    const title = titleFrom(`${"word ".repeat(40)}end`, 30);
    expect(title).toBe("word word word word word word…");
    expect(title.length).toBeLessThanOrEqual(30);
  });

  it("fits 150 UTF-16 units with its ellipsis and never cuts an emoji in half", () => {
    // 151 emoji are 302 units; the longest start that fits with "…" is 74 emoji (148 + 1).
    const title = titleFrom("😀".repeat(151));
    expect(title).toBe(`${"😀".repeat(74)}…`);
    expect(title.isWellFormed()).toBe(true);
  });

  it("keeps a 150-unit first line whole", () => {
    expect(titleFrom("😀".repeat(75))).toBe("😀".repeat(75));
  });
});
