import { describe, expect, it } from "vitest";
import { boardOf } from "../../dev/tasks.js";
import { dueThenCreated, isFullPage, notDone, personCondition } from "../../src/notion/task-queries.js";

const BOARD = boardOf({
  dataSourceId: "ds1",
  status: { name: "Status", id: "st", type: "status", initial: "Not started", done: ["Done", "Cancelled"], groups: { to_do: ["Not started"], in_progress: ["In progress"], complete: ["Done", "Cancelled"] } },
  requester: { name: "Requester", type: "rich_text" },
});

const noOne = async () => undefined;

describe("notDone", () => {
  it("excludes each option that means done, as a status or a select", () => {
    expect(notDone(BOARD)).toEqual([
      { property: "Status", status: { does_not_equal: "Done" } },
      { property: "Status", status: { does_not_equal: "Cancelled" } },
    ]);
    expect(notDone({ ...BOARD, status: { ...BOARD.status!, type: "select", done: ["Done"] } })).toEqual([{ property: "Status", select: { does_not_equal: "Done" } }]);
  });

  it("excludes nothing on a board without a status", () => {
    expect(notDone({ ...BOARD, status: undefined })).toEqual([]);
  });
});

describe("personCondition", () => {
  it("finds a Discord requester by the platform and id the text holds", async () => {
    expect(await personCondition(BOARD, { platform: "discord", userId: "1400000000000000002" }, "requester", noOne)).toEqual({ property: "Requester", rich_text: { contains: "(discord:1400000000000000002)" } });
  });

  it("finds a text requester by the Slack id the text holds", async () => {
    expect(await personCondition(BOARD, { platform: "slack", userId: "U123" }, "requester", noOne)).toEqual({ property: "Requester", rich_text: { contains: "(U123)" } });
  });

  it("finds a people property's person by the Notion id of their email", async () => {
    const person = { platform: "slack" as const, userId: "U123", email: async () => "ada@example.com" };
    const byEmail = async (email: string | undefined) => (email === "ada@example.com" ? "notion-ada" : undefined);
    expect(await personCondition(BOARD, person, "assignee", byEmail)).toEqual({ property: "Assignee", people: { contains: "notion-ada" } });
  });

  it("cannot tell when the email matches no one, or the board has no property for the role", async () => {
    expect(await personCondition(BOARD, { platform: "slack" as const, userId: "U123", email: async () => "x@example.com" }, "assignee", noOne)).toBeUndefined();
    expect(await personCondition({ ...BOARD, requester: undefined }, { platform: "slack", userId: "U123" }, "requester", noOne)).toBeUndefined();
  });
});

describe("dueThenCreated", () => {
  it("sorts by due date first when the board has one, then by creation", () => {
    expect(dueThenCreated(BOARD)).toEqual([{ property: "Due", direction: "ascending" }, { timestamp: "created_time", direction: "ascending" }]);
    expect(dueThenCreated({ ...BOARD, due: undefined })).toEqual([{ timestamp: "created_time", direction: "ascending" }]);
  });
});

describe("isFullPage", () => {
  it("takes a page with properties, not a partial page or another object", () => {
    expect(isFullPage({ object: "page", properties: {} } as { object: string })).toBe(true);
    expect(isFullPage({ object: "page" })).toBe(false);
    expect(isFullPage({ object: "data_source", properties: {} } as { object: string })).toBe(false);
  });
});
