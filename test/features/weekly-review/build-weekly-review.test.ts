import type { KnownBlock } from "@slack/types";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildWeeklyReview, countWeeklyReview, TASKS_PER_GROUP, type OpenTaskList, type ReviewOptions } from "../../../src/features/weekly-review/build-weekly-review.js";
import { LIMITS } from "../../../src/platforms/slack/blocks.js";
import { fitsSlackMessage, renderSlackCard } from "../../../src/platforms/slack/render-card.js";
import { dueGroupOf as groupOf, weekOf as reviewWeek } from "../../../src/tasks/due.js";
import { taskOf as task } from "../../../dev/tasks.js";

const BOARD = "https://www.notion.so/board";
/** Monday 6 January 2025, 09:00 UTC: when the schedule runs. */
const MONDAY_9_UTC = new Date("2025-01-06T09:00:00Z");

function texts(blocks: KnownBlock[] | undefined): string[] {
  return (blocks ?? []).flatMap((block) => {
    if (block.type === "section" || block.type === "header") return [block.text?.text ?? ""];
    if (block.type === "context") return block.elements.map((element) => ("text" in element ? element.text : ""));
    return [];
  });
}

/** The titles shown under each heading, in order. */
function shownGroups(blocks: KnownBlock[] | undefined): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  let current: string[] | undefined;
  for (const text of texts(blocks)) {
    for (const line of text.split("\n")) {
      const heading = /^:\w+: \*([^(]+) \(/.exec(line);
      if (heading) groups[heading[1]!] = current = [];
      else if (line.startsWith("• ")) current?.push(/\|([^>]*)>/.exec(line)?.[1] ?? line);
    }
  }
  return groups;
}

/** The review as Slack's adapter posts it: the Card drawn in Block Kit, within a message's 50 blocks. */
function build(result: OpenTaskList, options: ReviewOptions) {
  return renderSlackCard(buildWeeklyReview(result, { ...options, fits: fitsSlackMessage }));
}

describe("buildWeeklyReview", () => {
  it("says all clear when no task is open", () => {
    expect(build({ tasks: [], complete: true }, { now: MONDAY_9_UTC, timeZone: "UTC", boardUrl: BOARD })).toEqual({
      text: "Weekly review, week of 6 Jan: no open tasks. All clear!",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "Weekly review, week of 6 Jan", emoji: true } },
        { type: "section", text: { type: "mrkdwn", text: ":white_check_mark: No open tasks on the board. All clear!" } },
        { type: "context", elements: [{ type: "mrkdwn", text: `Open <${BOARD}|the board> in Notion.` }] },
      ],
    });
  });

  it("leaves out the board link when the board's URL is unknown", () => {
    const message = build({ tasks: [], complete: true }, { now: MONDAY_9_UTC, timeZone: "UTC" });
    expect(message.blocks).toHaveLength(2);
  });

  it("shows one task as a linked title with its priority, due date and requester", () => {
    const one = task("p1", { title: "Fix login", priority: "High", due: "2025-01-08", requester: "Alice Smith" });
    expect(build({ tasks: [one], complete: true }, { now: MONDAY_9_UTC, timeZone: "UTC", boardUrl: BOARD })).toEqual({
      text: "Weekly review, week of 6 Jan: 1 open task, 0 overdue, 1 due this week, 0 due later, 0 without a due date.",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "Weekly review, week of 6 Jan", emoji: true } },
        { type: "section", text: { type: "mrkdwn", text: "*1 open task*: 0 overdue, 1 due this week, 0 due later, 0 without a due date." } },
        {
          type: "section",
          text: { type: "mrkdwn", text: ":date: *Due this week (1)*\n• <https://www.notion.so/p1|Fix login> · High · due Wed 8 Jan · requested by Alice Smith" },
        },
        { type: "context", elements: [{ type: "mrkdwn", text: `Open <${BOARD}|the board> in Notion.` }] },
      ],
    });
  });

  it("shows a task with no priority, date or requester as its link alone", () => {
    const message = build({ tasks: [task("p1", { title: "Untitled" })], complete: true }, { now: MONDAY_9_UTC, timeZone: "UTC" });
    expect(texts(message.blocks)).toContain(":grey_question: *No due date (1)*\n• <https://www.notion.so/p1|Untitled>");
  });

  it("groups overdue, due this week, later and undated tasks, in that order, earliest first", () => {
    const tasks = [
      task("later", { due: "2025-01-20" }),
      task("undated"),
      task("overdue-2", { due: "2025-01-05" }),
      task("week", { due: "2025-01-12" }),
      task("overdue-1", { due: "2024-12-20" }),
      task("today", { due: "2025-01-06" }),
    ];
    const message = build({ tasks, complete: true }, { now: MONDAY_9_UTC, timeZone: "UTC" });
    expect(shownGroups(message.blocks)).toEqual({
      Overdue: ["Task overdue-1", "Task overdue-2"],
      "Due this week": ["Task today", "Task week"],
      Later: ["Task later"],
      "No due date": ["Task undated"],
    });
    expect(message.text).toBe("Weekly review, week of 6 Jan: 6 open tasks, 2 overdue, 2 due this week, 1 due later, 1 without a due date.");
  });

  it("counts every open task in the summary: the field report's 7 open tasks, 4 of them later", () => {
    const tasks = [
      task("o", { due: "2025-01-03" }),
      ...["2025-01-20", "2025-02-01", "2025-03-01", "2025-04-01"].map((due, i) => task(`l${i}`, { due })),
      task("u1"),
      task("u2"),
    ];
    const message = build({ tasks, complete: true }, { now: MONDAY_9_UTC, timeZone: "UTC" });
    expect(texts(message.blocks)[1]).toBe("*7 open tasks*: 1 overdue, 0 due this week, 4 due later, 2 without a due date.");
  });

  it("has summary counts that add up to the open tasks, whatever their dates", () => {
    const day = fc.integer({ min: -40, max: 40 }).map((offset) => new Date(MONDAY_9_UTC.getTime() + offset * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.array(fc.option(day, { nil: undefined }), { maxLength: 30 }), (dues) => {
        const tasks = dues.map((due, i) => task(String(i), { due }));
        const { text } = build({ tasks, complete: true }, { now: MONDAY_9_UTC, timeZone: "UTC" });
        if (tasks.length === 0) return;
        const [total, ...parts] = [...text.matchAll(/(\d+) (?:open task|overdue|due this week|due later|without a due date)/g)].map((match) => Number(match[1]));
        expect(parts).toHaveLength(4);
        expect(parts.reduce((sum, count) => sum + count, 0)).toBe(total);
      }),
    );
  });

  it("shows a due time in the review's time zone and the year when it is not this year's", () => {
    const tasks = [task("a", { due: "2025-01-09T23:30:00.000Z" }), task("b", { due: "2026-02-01" })];
    const message = build({ tasks, complete: true }, { now: MONDAY_9_UTC, timeZone: "Europe/Paris" });
    const shown = texts(message.blocks).join("\n");
    expect(shown).toContain("· due Fri 10 Jan 00:30");
    expect(shown).toContain("· due Sun 1 Feb 2026");
  });

  it("names the week by its Monday, with the year when the week began last year", () => {
    const message = build({ tasks: [], complete: true }, { now: new Date("2025-01-02T12:00:00Z"), timeZone: "UTC" });
    expect(message.text).toBe("Weekly review, week of 30 Dec 2024: no open tasks. All clear!");
  });

  it("escapes every piece of board text and keeps a | from ending a link early", () => {
    const hostile = task("p1", {
      title: "<!channel> a|b <https://evil.example|click> & <@U0BOSS>",
      priority: "<!here>",
      requester: "Eve <@U0EVE> & co",
      due: "2025-01-07",
    });
    const message = build({ tasks: [hostile], complete: true }, { now: MONDAY_9_UTC, timeZone: "UTC" });
    const shown = JSON.stringify(message);
    expect(shown).not.toMatch(/<!channel>|<!here>|<@U0BOSS>|<@U0EVE>|<https:\/\/evil/);
    expect(texts(message.blocks)).toContain(
      ":date: *Due this week (1)*\n• &lt;!channel&gt; a|b &lt;https://evil.example|click&gt; &amp; &lt;@U0BOSS&gt; (<https://www.notion.so/p1|open>) · &lt;!here&gt; · due Tue 7 Jan · requested by Eve &lt;@U0EVE&gt; &amp; co",
    );
  });

  it(`shows ${TASKS_PER_GROUP} tasks a group, then "and N more" with a link to the board`, () => {
    const tasks = Array.from({ length: 40 }, (_, i) => task(`o${i}`, { due: "2025-01-01" }));
    const message = build({ tasks, complete: true }, { now: MONDAY_9_UTC, timeZone: "UTC", boardUrl: BOARD });
    expect(shownGroups(message.blocks).Overdue).toHaveLength(TASKS_PER_GROUP);
    expect(texts(message.blocks).join("\n")).toContain(`\n…and 25 more on <${BOARD}|the board>`);
    expect(message.text).toBe("Weekly review, week of 6 Jan: 40 open tasks, 40 overdue, 0 due this week, 0 due later, 0 without a due date.");
  });

  it("never exceeds 50 blocks or 3,000 characters a text, however long the board's texts", () => {
    // Every "&" escapes to five characters: each line is then too long to share a section.
    const long = "&".repeat(2_000);
    const dues = ["2025-01-01", "2025-01-08", "2025-03-01", undefined];
    const tasks = Array.from({ length: 200 }, (_, i) =>
      task(`t${i}`, { title: long, priority: long, requester: long, url: `https://www.notion.so/${"x".repeat(278)}`, due: dues[i % 4] }),
    );
    const message = build({ tasks, complete: true }, { now: MONDAY_9_UTC, timeZone: "UTC", boardUrl: BOARD });
    expect(message.blocks).toHaveLength(LIMITS.messageBlocks);
    for (const text of texts(message.blocks)) expect(text.length).toBeLessThanOrEqual(3_000);
    // Each group keeps its heading and says how many are left out.
    const shown = shownGroups(message.blocks);
    expect(Object.keys(shown)).toEqual(["Overdue", "Due this week", "Later", "No due date"]);
    expect(Object.values(shown).flat().length).toBeLessThan(4 * TASKS_PER_GROUP);
    const more = texts(message.blocks).join("\n").match(/…and \d+ more/g) ?? [];
    expect(more.map((line) => Number(/\d+/.exec(line)?.[0]))).toEqual(Object.values(shown).map((titles) => 50 - titles.length));
  });

  it("links a page by its id when its URL is too long to be a page's", () => {
    const message = build(
      { tasks: [task("1234abcd-0000-0000-0000-000000000000", { url: `https://www.notion.so/${"x".repeat(2_000)}` })], complete: true },
      { now: MONDAY_9_UTC, timeZone: "UTC" },
    );
    expect(texts(message.blocks).join("\n")).toContain("<https://www.notion.so/1234abcd000000000000000000000000|");
  });

  it('says "more than N open tasks" when the board was read only in part, and which counts are exact', () => {
    // Read by due date: 30 overdue, then due this week, where the read stopped.
    const tasks = [
      ...Array.from({ length: 30 }, (_, i) => task(`o${i}`, { due: "2025-01-02" })),
      ...Array.from({ length: 170 }, (_, i) => task(`w${i}`, { due: "2025-01-09" })),
    ];
    const message = build({ tasks, complete: false }, { now: MONDAY_9_UTC, timeZone: "UTC", boardUrl: BOARD });
    expect(message.text).toBe("Weekly review, week of 6 Jan: more than 200 open tasks, 30 overdue, at least 170 due this week.");
    const shown = texts(message.blocks);
    expect(shown[1]).toBe("*More than 200 open tasks*: 30 overdue, at least 170 due this week.");
    expect(shown).toContain(`:date: *Due this week (at least 170)*\n${tasks.slice(30, 45).map((t) => `• <${t.url}|${t.title}> · due Thu 9 Jan`).join("\n")}\n…and at least 155 more on <${BOARD}|the board>`);
    expect(shown.at(-1)).toBe(`The board has more than 200 open tasks; a review reads the first 200 by due date. The rest are on <${BOARD}|the board>.`);
    expect(Object.keys(shownGroups(message.blocks))).toEqual(["Overdue", "Due this week"]);
  });

  it("counts every dated group exactly when the partial read reached undated tasks", () => {
    const tasks = [task("a", { due: "2025-01-02" }), task("b", { due: "2025-02-02" }), task("c")];
    expect(countWeeklyReview({ tasks, complete: false }, { now: MONDAY_9_UTC, timeZone: "UTC" })).toEqual({
      open: 3,
      complete: false,
      overdue: 1,
      dueThisWeek: 0,
      later: 1,
      noDueDate: 1,
    });
    const message = build({ tasks, complete: false }, { now: MONDAY_9_UTC, timeZone: "UTC" });
    expect(message.text).toBe("Weekly review, week of 6 Jan: more than 3 open tasks, 1 overdue, 0 due this week, 1 due later, at least 1 without a due date.");
  });
});

describe("the review's week", () => {
  it("runs Monday to Sunday around today in the review's time zone", () => {
    expect(reviewWeek(MONDAY_9_UTC, "UTC")).toEqual({ today: "2025-01-06", monday: "2025-01-06", sunday: "2025-01-12" });
    expect(reviewWeek(new Date("2025-01-12T23:59:59Z"), "UTC")).toEqual({ today: "2025-01-12", monday: "2025-01-06", sunday: "2025-01-12" });
  });

  describe("in Los Angeles, where Monday 07:30 UTC is still Sunday", () => {
    const zone = "America/Los_Angeles";
    const sundayNight = new Date("2025-01-06T07:30:00Z"); // Sun 5 Jan 23:30 PST
    const mondayMidnight = new Date("2025-01-06T08:00:00Z"); // Mon 6 Jan 00:00 PST

    it("is still last week until local midnight", () => {
      expect(reviewWeek(sundayNight, zone)).toEqual({ today: "2025-01-05", monday: "2024-12-30", sunday: "2025-01-05" });
      expect(reviewWeek(mondayMidnight, zone)).toEqual({ today: "2025-01-06", monday: "2025-01-06", sunday: "2025-01-12" });
    });

    it("puts Sunday in this week and Monday in later on Sunday night", () => {
      const week = reviewWeek(sundayNight, zone);
      expect(groupOf("2025-01-04", week, zone)).toBe("overdue");
      expect(groupOf("2025-01-05", week, zone)).toBe("this_week");
      expect(groupOf("2025-01-06", week, zone)).toBe("later");
      expect(groupOf(undefined, week, zone)).toBe("no_date");
      // An instant is placed on its local day: 07:00 UTC Monday is 23:00 Sunday in Los Angeles.
      expect(groupOf("2025-01-06T07:00:00.000Z", week, zone)).toBe("this_week");
      expect(groupOf("2025-01-06T08:00:00.000Z", week, zone)).toBe("later");
    });

    it("makes yesterday overdue and next Sunday this week from local midnight on Monday", () => {
      const week = reviewWeek(mondayMidnight, zone);
      expect(groupOf("2025-01-05", week, zone)).toBe("overdue");
      expect(groupOf("2025-01-06", week, zone)).toBe("this_week");
      expect(groupOf("2025-01-12", week, zone)).toBe("this_week");
      expect(groupOf("2025-01-13", week, zone)).toBe("later");
      expect(groupOf("2025-01-06T07:59:00.000Z", week, zone)).toBe("overdue");
    });
  });

  describe("in Auckland, where Sunday 11:00 UTC is already Monday", () => {
    const zone = "Pacific/Auckland";

    it("starts the new week at local midnight", () => {
      expect(reviewWeek(new Date("2025-01-05T10:59:00Z"), zone)).toEqual({ today: "2025-01-05", monday: "2024-12-30", sunday: "2025-01-05" });
      expect(reviewWeek(new Date("2025-01-05T11:00:00Z"), zone)).toEqual({ today: "2025-01-06", monday: "2025-01-06", sunday: "2025-01-12" });
    });

    it("groups the week's edges by the local day", () => {
      const now = new Date("2025-01-05T11:00:00Z"); // Mon 6 Jan 00:00 NZDT
      const tasks = [
        task("sunday", { due: "2025-01-05" }),
        task("monday", { due: "2025-01-06" }),
        task("next-sunday", { due: "2025-01-12" }),
        task("next-monday", { due: "2025-01-13" }),
        // 10:00 UTC on Sunday 12 January is 23:00 that Sunday in Auckland; 11:00 UTC is Monday.
        task("sunday-late", { due: "2025-01-12T10:00:00.000Z" }),
        task("monday-early", { due: "2025-01-12T11:00:00.000Z" }),
      ];
      const message = build({ tasks, complete: true }, { now, timeZone: zone });
      expect(shownGroups(message.blocks)).toEqual({
        Overdue: ["Task sunday"],
        "Due this week": ["Task monday", "Task next-sunday", "Task sunday-late"],
        Later: ["Task next-monday", "Task monday-early"],
      });
      expect(texts(message.blocks).join("\n")).toContain("Task sunday-late> · due Sun 12 Jan 23:00");
    });
  });
});
