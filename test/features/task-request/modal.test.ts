import { describe, expect, it } from "vitest";
import type { Place } from "../../../src/chat/model.js";
import { buildSavedNotice, buildSavingNotice, buildTaskForm, decodeTaskContext, encodeTaskContext, readTaskForm, TASK_INPUTS, toFormErrors } from "../../../src/features/task-request/modal.js";
import { renderSlackForm } from "../../../src/platforms/slack/render-card.js";

const slack = { platform: "slack" as const, workspace: "T0TEAM" };
const general: Place = { platform: "slack", workspace: "T0TEAM", conversation: "C0GENERAL" };

describe("buildTaskForm, as Slack draws it", () => {
  const modal = renderSlackForm(buildTaskForm({ title: "Fix login", context: { asked: general } }));

  it("has a title, submit and close within Slack's 24 characters", () => {
    for (const text of [modal.title, modal.submit!, modal.close!]) expect(text.text.length).toBeLessThanOrEqual(24);
  });

  it("prefills the title and carries where it was asked in private_metadata", () => {
    expect(JSON.stringify(modal.blocks[0])).toContain('"initial_value":"Fix login"');
    expect(decodeTaskContext(JSON.parse(modal.private_metadata!) as Record<string, string>, slack)).toEqual({ asked: general });
  });

  it("offers High, Medium and Low when the board has no priorities of its own", () => {
    const select = (modal.blocks[2] as { element: { options: { value: string }[] } }).element;
    expect(select.options.map((option) => option.value)).toEqual(["High", "Medium", "Low"]);
  });

  it("offers the board's priorities when it has them", () => {
    const withBoard = renderSlackForm(buildTaskForm({ priorities: ["P0", "P1"], context: {} }));
    const select = (withBoard.blocks[2] as { element: { options: { value: string }[] } }).element;
    expect(select.options.map((option) => option.value)).toEqual(["P0", "P1"]);
  });

  it("cuts a prefilled title to the input's limit", () => {
    const long = renderSlackForm(buildTaskForm({ title: "x".repeat(400), context: {} }));
    const element = (long.blocks[0] as { element: { initial_value: string; max_length: number } }).element;
    expect(element.initial_value.length).toBe(element.max_length);
  });

  it("prefills within max_length counted in UTF-16 units, as Slack counts, without splitting an emoji", () => {
    const emoji = renderSlackForm(buildTaskForm({ title: "😀".repeat(151), description: "😀".repeat(2_000), context: {} }));
    const [title, description] = emoji.blocks as { element: { initial_value: string; max_length: number } }[];
    expect(title!.element.initial_value).toBe(`${"😀".repeat(74)}…`);
    // The longest start of the text that fits 3,000 units with its "…": 1,499 emoji (2,998 units).
    expect(description!.element.initial_value).toBe(`${"😀".repeat(1_499)}…`);
    for (const input of [title!, description!]) {
      expect(input.element.initial_value.length).toBeLessThanOrEqual(input.element.max_length);
      expect(input.element.initial_value.isWellFormed()).toBe(true);
    }
  });

  it("labels its inputs Title, Description, Priority and Due date on every platform", () => {
    expect(buildTaskForm({ context: {} }).inputs.map((input) => [input.id, input.label])).toEqual([
      ["title", "Title"],
      ["description", "Description"],
      ["priority", "Priority"],
      ["due", "Due date"],
    ]);
  });

  it("keeps what was picked when it is shown again after a refusal", () => {
    const again = buildTaskForm({ title: "Fix", priority: "Low", due: "2030-01-31", context: {} });
    expect(again.inputs.map((input) => input.value)).toEqual(["Fix", undefined, "Low", "2030-01-31"]);
  });
});

describe("readTaskForm", () => {
  it("reads each input by the ids the builder used", () => {
    const values = { [TASK_INPUTS.title]: "Fix login", [TASK_INPUTS.description]: undefined, [TASK_INPUTS.priority]: "High", [TASK_INPUTS.due]: "2026-12-01" };
    expect(readTaskForm(values)).toEqual({ title: "Fix login", description: undefined, priority: "High", due: "2026-12-01" });
  });

  it("reads a form without the expected inputs as empty", () => {
    expect(readTaskForm({ other: "hi" })).toEqual({ title: undefined, description: undefined, priority: undefined, due: undefined });
  });

  it("reads nothing from a value named like an object's own property", () => {
    expect(readTaskForm(JSON.parse('{"__proto__": {"title": "forged"}}') as Record<string, string>).title).toBeUndefined();
  });
});

describe("toFormErrors", () => {
  it("keys each error by the input's id", () => {
    expect(toFormErrors({ title: "Give the task a title.", due: "That date has passed." })).toEqual({
      title: "Give the task a title.",
      due: "That date has passed.",
    });
  });
});

describe("the form's context", () => {
  const message: Place = { ...general, thread: "1700000000.000100", message: "1700000000.000200" };
  const link = "https://example.slack.com/archives/C0GENERAL/p1700000000000200";

  it("is flat strings, read back as it was written", () => {
    const context = { asked: general, message, link, author: { userId: "U0BOB", name: "bob" }, from: "home" as const };
    const encoded = encodeTaskContext(context);
    expect(Object.values(encoded).every((value) => typeof value === "string")).toBe(true);
    expect(decodeTaskContext(encoded, slack)).toEqual(context);
  });

  it("leaves out a place no platform produces (a hostile channel id), and never throws for it", () => {
    const hostile: Place = { platform: "slack", workspace: "T0TEAM", conversation: "C0 GENERAL\n" };
    expect(encodeTaskContext({ asked: hostile, message: { ...hostile, message: "1.2" }, link: "https://slack.com/archives/C1/p1" })).toEqual({ link: "https://slack.com/archives/C1/p1" });
  });

  it("ignores context that is not ours", () => {
    expect(decodeTaskContext({ asked: "not a place", place: "slack:T0TEAM:", from: "elsewhere" }, slack)).toEqual({});
    expect(decodeTaskContext({ link: "javascript:alert(1)" }, slack)).toEqual({});
  });

  it("drops a link that does not point into a chat (a forged context), keeping the rest", () => {
    const forged = { ...encodeTaskContext({ asked: general, author: { userId: "U0BOB", name: "bob" } }), link: "https://evil.example/phish" };
    expect(decodeTaskContext(forged, slack)).toEqual({ asked: general, author: { userId: "U0BOB", name: "bob" } });
    expect(encodeTaskContext({ link: "https://evil.example/phish" })).toEqual({});
  });

  it("drops a link longer than Notion keeps, so Slack's 3,000-character private_metadata is never passed", () => {
    const long = `https://x.slack.com/${"a".repeat(3000)}`;
    const encoded = encodeTaskContext({ asked: general, link: long });
    expect(encoded).toEqual({ asked: "slack:T0TEAM:C0GENERAL" });
    expect(decodeTaskContext({ ...encoded, link: long }, slack)).toEqual({ asked: general });
  });

  it("drops a place on another platform than the person's", () => {
    const discord = encodeTaskContext({ asked: { platform: "discord", workspace: "1200000000000000001", conversation: "1300000000000000001" } });
    expect(decodeTaskContext(discord, slack)).toEqual({});
    expect(decodeTaskContext(discord, { platform: "discord" }).asked?.conversation).toBe("1300000000000000001");
  });

  it("reads no key of Slack's own (the Slack adapter translates a pre-port modal's)", () => {
    expect(decodeTaskContext({ channelId: "C0GENERAL", responseUrl: "https://hooks.slack.com/x", slackLink: link, threadTs: "1700000000.000100", openedFrom: "home" }, slack)).toEqual({});
  });
});

describe("the notices that stand where the form was", () => {
  it("says the save is under way, with the title cut to a line", () => {
    const notice = buildSavingNotice(`Fix *login* ${"x".repeat(300)}`);
    expect(notice).toMatchObject({ title: "New task", closeLabel: "Close" });
    expect(JSON.stringify(notice.card)).toContain("Fix *login*");
    expect(JSON.stringify(notice.card)).not.toContain("x".repeat(201));
  });

  it("says the task is on the board, or was already, with a button to it", () => {
    expect(buildSavedNotice("Fix", "https://www.notion.so/p1")).toMatchObject({ title: "Task created", closeLabel: "Done" });
    const existing = buildSavedNotice("Fix", "https://www.notion.so/p1", { existing: true });
    expect(existing.title).toBe("Already saved");
    expect(existing.card.blocks[0]).toMatchObject({ kind: "text", button: { kind: "link", url: "https://www.notion.so/p1", action: "open_in_notion" } });
  });
});
