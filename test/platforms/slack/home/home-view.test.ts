import type { KnownBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import { buildHomeView, HOME_NEW_TASK_ACTION, HOME_OPEN_BOARD_ACTION, HOME_REFRESH_ACTION, type HomeInput } from "../../../../src/platforms/slack/home/home-view.js";
import { button, LIMITS } from "../../../../src/platforms/slack/blocks.js";
import { taskOf as task } from "../../../../dev/tasks.js";

const BOARD = "https://www.notion.so/board";
/** Monday 6 January 2025, 09:30 UTC. */
const NOW = new Date("2025-01-06T09:30:00Z");
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

function input(fields: Partial<HomeInput> = {}): HomeInput {
  return { requests: { kind: "tasks", tasks: [], complete: true }, assigned: undefined, now: NOW, timeZone: "UTC", boardUrl: BOARD, ...fields };
}

const mrkdwn = (text: string) => ({ type: "mrkdwn" as const, text });
const TOP: KnownBlock[] = [
  {
    type: "actions",
    block_id: "home_actions",
    elements: [
      { type: "button", action_id: HOME_NEW_TASK_ACTION, text: { type: "plain_text", text: "New task", emoji: true }, style: "primary" },
      { type: "button", action_id: HOME_REFRESH_ACTION, text: { type: "plain_text", text: "Refresh", emoji: true } },
      { type: "button", action_id: HOME_OPEN_BOARD_ACTION, text: { type: "plain_text", text: "Open the board", emoji: true }, url: BOARD },
    ],
  },
  {
    type: "context",
    elements: [mrkdwn(`Refreshed at <!date^${NOW_SECONDS}^{time}|09:30 UTC>. Opening this tab refreshes it at most once a minute; *Refresh* does it now.`)],
  },
];
const heading = (text: string): KnownBlock => ({ type: "header", text: { type: "plain_text", text, emoji: true } });
const section = (text: string): KnownBlock => ({ type: "section", text: mrkdwn(text) });

describe("buildHomeView", () => {
  it("groups the person's requests as the weekly review does, one section per task, with status and due date", () => {
    const view = buildHomeView(
      input({
        requests: {
          kind: "tasks",
          tasks: [task("a", { due: "2025-01-03", status: "In progress" }), task("b", { due: "2025-01-08" }), task("c", { due: "2025-02-01" }), task("d")],
          complete: true,
        },
      }),
    );
    expect(view).toEqual({
      type: "home",
      callback_id: "home",
      blocks: [
        ...TOP,
        heading("My requests"),
        section("*4 open*: 1 overdue, 1 due this week, 1 due later, 1 without a due date."),
        section(":rotating_light: *Overdue (1)*"),
        section("• <https://www.notion.so/a|Task a> · In progress · :rotating_light: *overdue* since Fri 3 Jan"),
        section(":date: *Due this week (1)*"),
        section("• <https://www.notion.so/b|Task b> · Not started · due Wed 8 Jan"),
        section(":calendar: *Later (1)*"),
        section("• <https://www.notion.so/c|Task c> · Not started · due Sat 1 Feb"),
        section(":grey_question: *No due date (1)*"),
        section("• <https://www.notion.so/d|Task d> · Not started"),
      ],
    });
  });

  it("adds *Assigned to me* when the board has an assignee, naming who asked", () => {
    const view = buildHomeView(input({ assigned: { kind: "tasks", tasks: [task("e", { requester: "Bob" })], complete: true } }));
    expect(view.blocks.slice(2)).toEqual([
      heading("My requests"),
      section("You have no open requests. Press *New task* to put one on the board."),
      { type: "divider" },
      heading("Assigned to me"),
      section("*1 open*: 1 without a due date."),
      section(":grey_question: *No due date (1)*"),
      section("• <https://www.notion.so/e|Task e> · Not started · requested by Bob"),
    ]);
  });

  it("shows a sentence in place of a list that could not be read", () => {
    const view = buildHomeView(input({ requests: { kind: "note", text: "I couldn't read the board: Notion took too long to answer." }, assigned: { kind: "tasks", tasks: [], complete: true } }));
    expect(view.blocks.slice(2)).toEqual([
      heading("My requests"),
      section("I couldn't read the board: Notion took too long to answer."),
      { type: "divider" },
      heading("Assigned to me"),
      section("Nothing on the board is assigned to you."),
    ]);
  });

  it("puts each task's buttons under it: where the status buttons go", () => {
    const status = button({ actionId: "task_status", text: "Done", value: "a" });
    const view = buildHomeView(input({ requests: { kind: "tasks", tasks: [task("a")], complete: true }, actionsFor: (t) => (t.id === "a" ? [status] : []) }));
    expect(view.blocks.slice(-2)).toEqual([section("• <https://www.notion.so/a|Task a> · Not started"), { type: "actions", elements: [status] }]);
  });

  it("keeps within Slack's 100 blocks, counting every task and leaving the rest to Notion", () => {
    const tasks = Array.from({ length: 100 }, (_, i) => task(`t${i}`, { due: i % 2 === 0 ? "2025-01-02" : undefined }));
    const status = button({ actionId: "task_status", text: "Done", value: "x" });
    const view = buildHomeView(input({ requests: { kind: "tasks", tasks, complete: false }, assigned: { kind: "tasks", tasks: tasks.slice(0, 30), complete: true }, actionsFor: () => [status] }));
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.viewBlocks);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain("*More than 100 open*: 50 overdue, at least 50 without a due date.");
    expect(text).toContain("…and at least");
    expect(text).toMatch(/…and \d+ more in <https:\/\/www\.notion\.so\/board\|Notion>/);
    // Both sections keep their headings and counts.
    expect(text).toContain("Assigned to me");
    expect(text).toContain("*30 open*: 15 overdue, 15 without a due date.");
  });

  it("leaves out the board link when the board's URL is unknown", () => {
    const view = buildHomeView(input({ boardUrl: undefined }));
    expect(JSON.stringify(view.blocks[0])).not.toContain(HOME_OPEN_BOARD_ACTION);
  });

  it("shows the time in the review's time zone where Slack cannot show the viewer's own", () => {
    const view = buildHomeView(input({ timeZone: "Asia/Tokyo" }));
    expect(JSON.stringify(view.blocks[1])).toContain("|18:30 Asia/Tokyo>");
  });
});
