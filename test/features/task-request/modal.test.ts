import { describe, expect, it } from "vitest";
import { buildTaskModal, decodeMetadata, encodeMetadata, readTaskModal, TASK_BLOCKS, toBlockErrors } from "../../../src/features/task-request/modal.js";

describe("buildTaskModal", () => {
  const modal = buildTaskModal({ title: "Fix login", metadata: { channelId: "C1" } });

  it("has a title, submit and close within Slack's 24 characters", () => {
    for (const text of [modal.title, modal.submit!, modal.close!]) expect(text.text.length).toBeLessThanOrEqual(24);
  });

  it("prefills the title and carries the channel in private_metadata", () => {
    expect(JSON.stringify(modal.blocks[0])).toContain('"initial_value":"Fix login"');
    expect(decodeMetadata(modal.private_metadata)).toEqual({ channelId: "C1" });
  });

  it("offers High, Medium and Low when the board has no priorities of its own", () => {
    const select = (modal.blocks[2] as { element: { options: { value: string }[] } }).element;
    expect(select.options.map((option) => option.value)).toEqual(["High", "Medium", "Low"]);
  });

  it("offers the board's priorities when it has them", () => {
    const withBoard = buildTaskModal({ priorities: ["P0", "P1"], metadata: {} });
    const select = (withBoard.blocks[2] as { element: { options: { value: string }[] } }).element;
    expect(select.options.map((option) => option.value)).toEqual(["P0", "P1"]);
  });

  it("cuts a prefilled title to the input's limit", () => {
    const long = buildTaskModal({ title: "x".repeat(400), metadata: {} });
    const element = (long.blocks[0] as { element: { initial_value: string; max_length: number } }).element;
    expect(element.initial_value.length).toBe(element.max_length);
  });

  it("prefills within max_length counted in UTF-16 units, as Slack counts, without splitting an emoji", () => {
    const emoji = buildTaskModal({ title: "😀".repeat(151), description: "😀".repeat(2_000), metadata: {} });
    const [title, description] = emoji.blocks as { element: { initial_value: string; max_length: number } }[];
    expect(title!.element.initial_value).toBe(`${"😀".repeat(74)}…`);
    // The longest start of the text that fits 3,000 units with its "…": 1,499 emoji (2,998 units).
    expect(description!.element.initial_value).toBe(`${"😀".repeat(1_499)}…`);
    for (const input of [title!, description!]) {
      expect(input.element.initial_value.length).toBeLessThanOrEqual(input.element.max_length);
      expect(input.element.initial_value.isWellFormed()).toBe(true);
    }
  });
});

describe("readTaskModal", () => {
  it("reads each input by the ids the builder used", () => {
    const values = {
      [TASK_BLOCKS.title.block]: { [TASK_BLOCKS.title.action]: { type: "plain_text_input", value: "Fix login" } },
      [TASK_BLOCKS.description.block]: { [TASK_BLOCKS.description.action]: { type: "plain_text_input", value: null } },
      [TASK_BLOCKS.priority.block]: { [TASK_BLOCKS.priority.action]: { type: "static_select", selected_option: { value: "High" } } },
      [TASK_BLOCKS.due.block]: { [TASK_BLOCKS.due.action]: { type: "datepicker", selected_date: "2026-12-01" } },
    };
    expect(readTaskModal(values)).toEqual({ title: "Fix login", description: undefined, priority: "High", due: "2026-12-01" });
  });

  it("reads a view without the expected blocks as empty", () => {
    expect(readTaskModal({ other: { x: { type: "plain_text_input", value: "hi" } } })).toEqual({
      title: undefined,
      description: undefined,
      priority: undefined,
      due: undefined,
    });
  });
});

describe("toBlockErrors", () => {
  it("keys each error by the input's block_id", () => {
    expect(toBlockErrors({ title: "Give the task a title.", due: "That date has passed." })).toEqual({
      title: "Give the task a title.",
      due: "That date has passed.",
    });
  });
});

describe("metadata", () => {
  it("ignores metadata that is not ours", () => {
    expect(decodeMetadata("not json")).toEqual({});
    expect(decodeMetadata(JSON.stringify({ responseUrl: "javascript:alert(1)" }))).toEqual({});
  });

  it("drops the long fields rather than exceed 3,000 characters", () => {
    const encoded = encodeMetadata({ channelId: "C1", slackLink: `https://x.slack.com/${"a".repeat(3000)}` });
    expect(encoded.length).toBeLessThanOrEqual(3000);
    expect(decodeMetadata(encoded)).toEqual({ channelId: "C1" });
  });
});

describe("the modal's metadata", () => {
  it("drops a Slack link that does not point into Slack (a forged private_metadata), keeping the rest", () => {
    const forged = JSON.stringify({ channelId: "C0GENERAL", slackLink: "https://evil.example/phish", messageAuthor: { id: "U0BOB", name: "bob" } });
    expect(decodeMetadata(forged)).toEqual({ channelId: "C0GENERAL", messageAuthor: { id: "U0BOB", name: "bob" } });
    const genuine = JSON.stringify({ channelId: "C0GENERAL", slackLink: "https://example.slack.com/archives/C0GENERAL/p1700000000000100" });
    expect(decodeMetadata(genuine).slackLink).toBe("https://example.slack.com/archives/C0GENERAL/p1700000000000100");
  });
});
