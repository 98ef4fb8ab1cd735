import { describe, expect, it } from "vitest";
import type { Board } from "../../src/notion/board.js";
import { boardOf } from "../../dev/tasks.js";
import { fromNotionPage, isRequestMark, propertyText, requestMark, richText, toNotionProperties, toPageBody, type PagePropertyValue } from "../../src/notion/properties.js";
import type { NewTask } from "../../src/tasks/task.js";

const fullBoard = boardOf({
  status: { name: "Status", id: "st", type: "status", initial: "Not started", done: ["Done"], groups: { to_do: ["Not started"], in_progress: [], complete: ["Done"] } },
  priority: { name: "Priority", type: "select", options: ["High", "Medium", "Low"] },
  slackLink: { name: "Slack link", type: "url" },
  requestId: { name: "Request ID" },
});

const task: NewTask = {
  title: "Fix login",
  description: "",
  priority: "High",
  due: "2026-12-01",
  requester: { platform: "slack", userId: "U0BOB", name: "bob" },
  messageAuthor: { platform: "slack", userId: "U0ALICE", name: "alice" },
  link: "https://example.slack.com/archives/C1/p1",
  requestKey: "slack-view:V1",
};

describe("toNotionProperties", () => {
  it("maps every part of a task onto the board's properties", () => {
    expect(toNotionProperties(task, fullBoard)).toEqual({
      Name: { title: [{ type: "text", text: { content: "Fix login" } }] },
      Status: { status: { name: "Not started" } },
      Priority: { select: { name: "High" } },
      Due: { date: { start: "2026-12-01" } },
      "Requested by": { rich_text: [{ type: "text", text: { content: "bob (U0BOB), from a message by alice (U0ALICE)" } }] },
      "Slack link": { url: "https://example.slack.com/archives/C1/p1" },
      "Request ID": { rich_text: [{ type: "text", text: { content: "slack-view:V1" } }] },
    });
  });

  it("writes a Discord requester with its platform, and a Discord message link in the same link property", () => {
    const link = "https://discord.com/channels/1200000000000000001/1300000000000000001/1500000000000000001";
    const fromDiscord: NewTask = { ...task, requester: { platform: "discord", userId: "1400000000000000002", name: "Dana" }, messageAuthor: undefined, link, requestKey: "discord-modal:1" };
    const properties = toNotionProperties(fromDiscord, fullBoard);
    expect(properties["Requested by"]).toEqual({ rich_text: [{ type: "text", text: { content: "Dana (discord:1400000000000000002)" } }] });
    expect(properties["Slack link"]).toEqual({ url: link });
  });

  it("writes only the title on a board with nothing else", () => {
    const bare: Board = { ...fullBoard, status: undefined, priority: undefined, due: undefined, requester: undefined, slackLink: undefined, requestId: undefined };
    expect(Object.keys(toNotionProperties(task, bare))).toEqual(["Name"]);
  });

  it("uses a Notion person for a people property when one matched", () => {
    const people: Board = { ...fullBoard, requester: { name: "Requested by", type: "people" } };
    expect(toNotionProperties(task, people, { requesterNotionId: "user-1" })["Requested by"]).toEqual({ people: [{ id: "user-1" }] });
    expect(toNotionProperties(task, people)["Requested by"]).toBeUndefined();
  });
});

describe("toPageBody", () => {
  it("makes a paragraph per blank-line-separated part, keeping single line breaks", () => {
    expect(toPageBody("line one\nline two\n\nsecond paragraph")).toEqual([
      { object: "block", type: "paragraph", paragraph: { rich_text: [{ type: "text", text: { content: "line one\nline two" } }] } },
      { object: "block", type: "paragraph", paragraph: { rich_text: [{ type: "text", text: { content: "second paragraph" } }] } },
    ]);
  });

  it("splits text longer than 2,000 characters into several rich text items", () => {
    const items = richText("a".repeat(4_500));
    expect(items.map((item) => item.text.content.length)).toEqual([2000, 2000, 500]);
  });

  it("cuts at 2,000 UTF-16 units, as Notion counts, and never splits an emoji in two", () => {
    // 2,001 emoji are 4,002 units: pieces of 2,000 code points (4,000 units) were refused by Notion.
    const items = richText("😀".repeat(2_001));
    expect(items.map((item) => item.text.content.length)).toEqual([2000, 2000, 2]);
    expect(items.every((item) => item.text.content.isWellFormed())).toBe(true);
    expect(items.map((item) => item.text.content).join("")).toBe("😀".repeat(2_001));
  });

  it("keeps every piece whole when a pair would straddle the 2,000-unit cut", () => {
    const items = richText(`a${"😀".repeat(1_000)}`);
    expect(items.map((item) => item.text.content.length)).toEqual([1999, 2]);
    expect(items.every((item) => item.text.content.isWellFormed())).toBe(true);
  });

  it("keeps to 100 blocks, the last holding the rest of the paragraphs, so one request saves the whole body", () => {
    const description = Array.from({ length: 150 }, (_, i) => `p${i}`).join("\n\n");
    const blocks = toPageBody(description, ["Requested by alice"]);
    expect(blocks).toHaveLength(100);
    expect(blocks[1]).toEqual({ object: "block", type: "paragraph", paragraph: { rich_text: [{ type: "text", text: { content: "p0" } }] } });
    const last = blocks[99] as { paragraph: { rich_text: { text: { content: string } }[] } };
    expect(last.paragraph.rich_text.map((item) => item.text.content).join("")).toBe(Array.from({ length: 52 }, (_, i) => `p${i + 98}`).join("\n\n"));
  });

  it("has no blocks for an empty description", () => {
    expect(toPageBody("  \n\n ")).toEqual([]);
  });

  it("marks the request on the last line when given its key, still within 100 blocks", () => {
    expect(toPageBody("", [], { requestKey: "slack-view:V1" })).toEqual([
      { object: "block", type: "paragraph", paragraph: { rich_text: [{ type: "text", text: { content: "Saved from Slack · request slack-view:V1" }, annotations: { color: "gray" } }] } },
    ]);
    const description = Array.from({ length: 150 }, (_, i) => `p${i}`).join("\n\n");
    const blocks = toPageBody(description, [], { requestKey: "slack-view:V1" });
    expect(blocks).toHaveLength(100);
    expect(blocks[99]).toEqual(requestMark("slack-view:V1"));
    const rest = blocks[98] as { paragraph: { rich_text: { text: { content: string } }[] } };
    expect(rest.paragraph.rich_text.map((item) => item.text.content).join("")).toBe(Array.from({ length: 52 }, (_, i) => `p${i + 98}`).join("\n\n"));
  });
});

describe("isRequestMark", () => {
  /** A paragraph as blocks.children.list returns it. */
  const read = (text: string) => ({ type: "paragraph", paragraph: { rich_text: [{ plain_text: text }] } });

  it("knows its own request's line and no other's, nor a prefix of it", () => {
    expect(isRequestMark(read("Saved from Slack · request slack-view:V1"), "slack-view:V1")).toBe(true);
    expect(isRequestMark(read("Saved from Discord · request discord-modal:1300000000000000001"), "discord-modal:1300000000000000001")).toBe(true);
    expect(JSON.stringify(requestMark("discord-modal:1"))).toContain('"content":"Saved from Discord · request discord-modal:1"');
    expect(isRequestMark(read("Saved from Slack · request slack-view:V12"), "slack-view:V1")).toBe(false);
    expect(isRequestMark(read("Saved from Slack · request slack-view:V1"), "slack-view:V12")).toBe(false);
    expect(isRequestMark(read("slack-view:V1"), "slack-view:V1")).toBe(false);
    expect(isRequestMark({ type: "heading_1" }, "slack-view:V1")).toBe(false);
  });
});

describe("fromNotionPage", () => {
  it("reads an empty title as Untitled and deleted properties as unknown", () => {
    const page = { id: "p1", url: "https://www.notion.so/p1", created_time: "2026-11-01T00:00:00.000Z", properties: {} };
    expect(fromNotionPage(page, fullBoard)).toEqual({
      id: "p1",
      url: "https://www.notion.so/p1",
      title: "Untitled",
      status: undefined,
      priority: undefined,
      due: undefined,
      requester: undefined,
      createdTime: "2026-11-01T00:00:00.000Z",
    });
  });
});

describe("fromNotionPage's requester", () => {
  const plain = (text: string) => ({ type: "text", text: { content: text, link: null }, plain_text: text, href: null, annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: "default" } });
  const pageWith = (requester: string) => ({ id: "p1", url: "https://www.notion.so/p1", created_time: "2026-11-01T00:00:00.000Z", properties: { "Requested by": { id: "r", type: "rich_text", rich_text: [plain(requester)] } } });

  it("reads a Slack requester and a Discord one as people on their platforms, and the names as people read them", () => {
    expect(fromNotionPage(pageWith("Bob (U0BOB)") as never, fullBoard)).toMatchObject({ requester: "Bob", requesterId: { platform: "slack", userId: "U0BOB" } });
    expect(fromNotionPage(pageWith("Dana (discord:1400000000000000002)") as never, fullBoard)).toMatchObject({ requester: "Dana", requesterId: { platform: "discord", userId: "1400000000000000002" } });
    expect(fromNotionPage(pageWith("The ops team") as never, fullBoard)).toMatchObject({ requester: "The ops team", requesterId: undefined });
  });
});

describe("propertyText", () => {
  // Trimmed values as Notion returns them (docs: page property values).
  const text = (plain: string) => ({ type: "text", text: { content: plain, link: null }, plain_text: plain, href: null, annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: "default" } });

  it.each<[string, unknown, string]>([
    ["a title, joined and trimmed", { id: "title", type: "title", title: [text(" Fix "), text("login ")] }, "Fix login"],
    ["rich text", { id: "r", type: "rich_text", rich_text: [text("alice (U0ALICE)")] }, "alice (U0ALICE)"],
    ["a status", { id: "s", type: "status", status: { id: "1", name: "In progress", color: "blue" } }, "In progress"],
    ["an empty select", { id: "p", type: "select", select: null }, ""],
    ["a date", { id: "d", type: "date", date: { start: "2030-01-31", end: null, time_zone: null } }, "2030-01-31"],
    ["a date range", { id: "d", type: "date", date: { start: "2030-01-01", end: "2030-01-05", time_zone: null } }, "2030-01-01 → 2030-01-05"],
    ["a URL", { id: "u", type: "url", url: "https://slack.com/app_redirect?channel=C0GENERAL" }, "https://slack.com/app_redirect?channel=C0GENERAL"],
    ["the number 0", { id: "n", type: "number", number: 0 }, "0"],
    ["people, one without a name", { id: "pe", type: "people", people: [{ object: "user", id: "u1", name: "Alice" }, { object: "user", id: "u2" }] }, "Alice, someone"],
    ["a type without a text form", { id: "f", type: "files", files: [] }, ""],
  ])("reads %s", (_name, value, expected) => {
    expect(propertyText(value as PagePropertyValue)).toBe(expected);
  });

  it("reads an absent property as empty", () => {
    expect(propertyText(undefined)).toBe("");
  });
});
