import { afterEach, describe, expect, it } from "vitest";
import { createWeeklyReviewHandler } from "../../src/handlers.js";
import { SLACK_SEED } from "../../dev/slack-emulator.js";
import { FAULTED_TIMEOUT_MS, startHarness, type Harness, type HarnessOptions } from "../../dev/harness.js";
import { virtualClock } from "../../dev/virtual-clock.js";

/** Monday 6 January 2025, 09:00 UTC: when the schedule runs. */
const MONDAY_9_UTC = Date.parse("2025-01-06T09:00:00Z");

let h: Harness;
afterEach(async () => h?.close());

async function start(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ now: () => MONDAY_9_UTC, ...options });
  return h;
}

interface TaskPage {
  title?: string;
  status?: string;
  /** For a board whose status is a select property. */
  select?: string;
  priority?: string;
  due?: string;
  requester?: string;
}

function addTask(task: TaskPage): { id: string; url: string } {
  return h.notion.addPage(h.board.dataSourceId, {
    Name: { title: task.title === undefined ? [] : [{ text: { content: task.title } }] },
    ...(task.status ? { Status: { status: { name: task.status } } } : {}),
    ...(task.select ? { Status: { select: { name: task.select } } } : {}),
    ...(task.priority ? { Priority: { select: { name: task.priority } } } : {}),
    ...(task.due ? { Due: { date: { start: task.due } } } : {}),
    ...(task.requester ? { "Requested by": { rich_text: [{ text: { content: task.requester } }] } } : {}),
  });
}

function addTasks(count: number, task: (i: number) => TaskPage): void {
  for (let i = 0; i < count; i++) addTask(task(i));
}

function reviewsIn(channel: string) {
  return h.slack.messages.filter((message) => message.channel === channel && message.kind === "message");
}

/** Every text in a posted message's blocks, joined. */
function shown(message: { blocks: unknown[] | undefined } | undefined): string {
  return JSON.stringify(message?.blocks ?? []);
}

function logLines(event: string): Record<string, unknown>[] {
  return h.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === event);
}

describe("the scheduled weekly review", () => {
  it("posts a short all-clear to the review channel when no task is open", async () => {
    await start();
    addTask({ title: "Shipped", status: "Done" });
    const answer = await h.runWeeklyReview();
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ outcome: "posted", channel: SLACK_SEED.general, counts: { open: 0, complete: true } });
    const [review, ...others] = reviewsIn(SLACK_SEED.general);
    expect(others).toHaveLength(0);
    expect(review?.text).toBe("Weekly review, week of 6 Jan: no open tasks. All clear!");
    expect(logLines("weekly_review")).toEqual([expect.objectContaining({ level: "info", outcome: "posted", open_tasks: 0, duration_ms: expect.any(Number) })]);
    expect(logLines("request")).toEqual([expect.objectContaining({ kind: "schedule", outcome: "posted", status: 200 })]);
  });

  it("posts nothing on an empty board when WEEKLY_REVIEW_SKIP_EMPTY is set", async () => {
    await start({ env: { WEEKLY_REVIEW_SKIP_EMPTY: "true" } });
    const answer = await h.runWeeklyReview();
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ outcome: "skipped_empty" });
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("posts one task as a linked title with priority, due date and requester, from one filtered, sorted query", async () => {
    await start();
    const page = addTask({ title: "Fix login", status: "In progress", priority: "High", due: "2025-01-08", requester: "alice (U0ALICE)" });
    await h.runWeeklyReview();
    const [review] = reviewsIn(SLACK_SEED.general);
    expect(review?.text).toBe("Weekly review, week of 6 Jan: 1 open task, 0 overdue, 1 due this week, 0 due later, 0 without a due date.");
    expect(shown(review)).toContain(`• <${page.url}|Fix login> · High · due Wed 8 Jan · requested by alice`);

    expect(h.notion.requests.map((request) => request.route)).toEqual(["databases.retrieve", "dataSources.retrieve", "users.list", "dataSources.query"]);
    expect(h.notion.requestsTo("dataSources.query")[0]?.body).toEqual({
      filter: { and: [{ property: "Status", status: { does_not_equal: "Done" } }] },
      sorts: [
        { property: "Due", direction: "ascending" },
        { timestamp: "created_time", direction: "ascending" },
      ],
      page_size: 100,
    });
  });

  it("counts 180 open tasks exactly across two pages of 100, leaving out done ones", async () => {
    await start();
    addTasks(210, (i) => ({ title: `Task ${i}`, status: i % 7 === 0 ? "Done" : "Not started", due: i % 2 === 0 ? "2025-01-03" : undefined }));
    // 30 of the 210 are done; of the 180 open, those with an even i are overdue.
    const answer = await h.runWeeklyReview();
    expect(answer.json).toMatchObject({ counts: { open: 180, complete: true, overdue: 90, dueThisWeek: 0, later: 0, noDueDate: 90 } });
    const queries = h.notion.requestsTo("dataSources.query");
    expect(queries).toHaveLength(2);
    expect(queries[1]?.body).toMatchObject({ page_size: 100, start_cursor: expect.any(String) });
    expect(reviewsIn(SLACK_SEED.general)[0]?.text).toBe("Weekly review, week of 6 Jan: 180 open tasks, 90 overdue, 0 due this week, 0 due later, 90 without a due date.");
  });

  it("counts 250 open tasks exactly across three pages of 100", async () => {
    await start();
    addTasks(250, (i) => ({ title: `Task ${i}`, due: i < 30 ? "2025-01-02" : i < 70 ? "2025-01-09" : "2025-02-01" }));
    const answer = await h.runWeeklyReview();
    expect(answer.json).toMatchObject({ counts: { open: 250, complete: true, overdue: 30, dueThisWeek: 40, later: 180, noDueDate: 0 } });
    expect(h.notion.requestsTo("dataSources.query")).toHaveLength(3);
    const [review] = reviewsIn(SLACK_SEED.general);
    expect(review?.text).toBe("Weekly review, week of 6 Jan: 250 open tasks, 30 overdue, 40 due this week, 180 due later, 0 without a due date.");
    expect(shown(review)).toContain("*Later (180)*");
  });

  it("reads a board of 5,000 open tasks with 6 Notion requests (the schema, the people for the shared snapshot, three pages), inside Notion's rate limit, and posts within Slack's limits", async () => {
    // One clock for the bot's pacing and the emulator's rate limit: the rule is tested by the clock, not by waiting.
    const clock = virtualClock(MONDAY_9_UTC);
    await start({ now: clock.now, sleep: clock.sleep, notionNow: clock.now });
    const dues = ["2024-12-01", "2025-01-10", "2025-06-01", undefined];
    addTasks(5_000, (i) => ({ title: `Task ${i} ${"x".repeat(120)}`, priority: "Medium", requester: "bob (U0BOB)", due: dues[i % 4] }));
    h.notion.rateLimit = { requestsPerSecond: 3 };
    const answer = await h.runWeeklyReview();
    expect(answer.status).toBe(200);
    // Schema (2) and three query pages; paced, so no 429 and no sixth request.
    expect(h.notion.requests.map((request) => request.route)).toEqual(["databases.retrieve", "dataSources.retrieve", "users.list", "dataSources.query", "dataSources.query", "dataSources.query"]);
    const [review] = reviewsIn(SLACK_SEED.general);
    // The emulator refuses a message over Slack's limits, as Slack does; it was posted.
    expect(review?.blocks?.length).toBeLessThanOrEqual(50);
    expect(review?.text).toBe("Weekly review, week of 6 Jan: more than 300 open tasks, at least 300 overdue.");
    expect(shown(review)).toContain("The board has more than 300 open tasks");
  });

  it("groups by the week in REVIEW_TIMEZONE: at 07:30 UTC on Monday it is still Sunday in Los Angeles", async () => {
    await start({ now: () => Date.parse("2025-01-06T07:30:00Z"), env: { REVIEW_TIMEZONE: "America/Los_Angeles" } });
    addTask({ title: "Saturday", due: "2025-01-04" });
    addTask({ title: "Sunday", due: "2025-01-05" });
    addTask({ title: "Sunday 23:00 local", due: "2025-01-06T07:00:00.000Z" });
    addTask({ title: "Monday", due: "2025-01-06" });
    addTask({ title: "Undated" });
    await h.runWeeklyReview();
    const [review] = reviewsIn(SLACK_SEED.general);
    expect(review?.text).toBe("Weekly review, week of 30 Dec 2024: 5 open tasks, 1 overdue, 2 due this week, 1 due later, 1 without a due date.");
    const text = shown(review);
    const at = (title: string) => text.indexOf(`|${title}>`);
    expect(at("Saturday")).toBeGreaterThan(text.indexOf("*Overdue (1)*"));
    expect(at("Sunday")).toBeGreaterThan(text.indexOf("*Due this week (2)*"));
    expect(at("Sunday 23:00 local")).toBeGreaterThan(at("Sunday"));
    expect(text).toContain("due Sun 5 Jan 23:00");
    expect(at("Monday")).toBeGreaterThan(text.indexOf("*Later (1)*"));
    expect(at("Undated")).toBeGreaterThan(text.indexOf("*No due date (1)*"));
  });

  it("leaves out done tasks on a board whose status is a select, and keeps one with no status", async () => {
    const options = ["Open", "Doing", "Done", "Closed"].map((name) => ({ name }));
    await start({ schema: { Status: { select: { options } } } });
    addTask({ title: "Open one", select: "Open" });
    addTask({ title: "Doing one", select: "Doing" });
    addTask({ title: "Done one", select: "Done" });
    addTask({ title: "Closed one", select: "Closed" });
    addTask({ title: "No status" });
    const answer = await h.runWeeklyReview();
    expect(answer.json).toMatchObject({ counts: { open: 3 } });
    const text = shown(reviewsIn(SLACK_SEED.general)[0]);
    expect(text).toContain("|Open one>");
    expect(text).toContain("|Doing one>");
    expect(text).toContain("|No status>");
    expect(text).not.toMatch(/Done one|Closed one/);
  });

  it("renders a task with an empty title, and a board without a priority property", async () => {
    await start({ schema: { Priority: null } });
    addTask({ title: "", due: "2025-01-07" });
    await h.runWeeklyReview();
    expect(shown(reviewsIn(SLACK_SEED.general)[0])).toMatch(/\|Untitled> · due Tue 7 Jan/);
  });

  it("escapes every title for mrkdwn", async () => {
    await start();
    addTask({ title: "<!channel> <https://evil.example|click> & <@U0BOB>", requester: "Mallory <!here>" });
    await h.runWeeklyReview();
    const text = shown(reviewsIn(SLACK_SEED.general)[0]);
    expect(text).not.toMatch(/<!channel>|<!here>|<https:\/\/evil|<@U0BOB>/);
    expect(text).toContain("&lt;!channel&gt; &lt;https://evil.example|click&gt; &amp; &lt;@U0BOB&gt;");
  });

  it("waits out a Notion 429 (Retry-After) and posts once", async () => {
    await start();
    addTask({ title: "One", due: "2025-01-07" });
    h.notion.fail("dataSources.query", { kind: "rate_limited", retryAfterSeconds: 1 });
    const answer = await h.runWeeklyReview();
    expect(answer.json).toMatchObject({ outcome: "posted", counts: { open: 1 } });
    expect(h.notion.requestsTo("dataSources.query")).toHaveLength(2);
    expect(reviewsIn(SLACK_SEED.general)).toHaveLength(1);
  });

  it("posts nothing when Notion keeps failing, and logs what failed after bounded retries", async () => {
    await start();
    for (const route of ["databases.retrieve", "dataSources.retrieve", "dataSources.query"] as const) {
      h.notion.fail(route, { kind: "error", status: 500, code: "internal_server_error" }, { times: Infinity });
    }
    const answer = await h.runWeeklyReview();
    expect(answer.status).toBe(500);
    expect(answer.json).toMatchObject({ outcome: "failed", failed: "notion", reason: "unavailable" });
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(0);
    // The client tries each read 3 times; the review tries the whole read twice.
    expect(h.notion.requests).toHaveLength(6);
    expect(logLines("weekly_review")).toEqual([
      expect.objectContaining({ level: "error", outcome: "failed", failed: "notion", reason: "unavailable", fix: expect.stringMatching(/Notion is unavailable.*Nothing was posted/) }),
    ]);
  });

  it("says which channel to invite the bot to when it is not in the review channel", async () => {
    await start({ env: { SLACK_REVIEW_CHANNEL_ID: SLACK_SEED.random } });
    addTask({ title: "One" });
    const answer = await h.runWeeklyReview();
    expect(answer.status).toBe(500);
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(1);
    expect(h.slack.messages).toHaveLength(0);
    const [line] = logLines("weekly_review");
    expect(line).toMatchObject({ level: "error", failed: "slack", reason: "not_in_channel", channel: SLACK_SEED.random });
    expect(line?.fix).toContain(`channel ${SLACK_SEED.random}`);
    expect(line?.fix).toContain("/invite @chatops");
  });

  it("retries a Slack 429 once after Retry-After, and posts once", async () => {
    await start();
    h.slack.fail("chat.postMessage", { kind: "rate_limited", retryAfterSeconds: 1 });
    const answer = await h.runWeeklyReview();
    expect(answer.json).toMatchObject({ outcome: "posted", retried: true });
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(2);
    expect(reviewsIn(SLACK_SEED.general)).toHaveLength(1);
  });

  it("does not wait for a Retry-After longer than the run's budget", async () => {
    await start();
    h.slack.fail("chat.postMessage", { kind: "rate_limited", retryAfterSeconds: 60 });
    const answer = await h.runWeeklyReview();
    expect(answer.json).toMatchObject({ outcome: "failed", failed: "slack", reason: "rate_limited" });
    expect(h.sleeps).not.toContain(60_000);
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(1);
    expect(String(logLines("weekly_review")[0]?.fix)).toContain("not retried");
  });

  it("takes a 429 without Retry-After for a refusal: nothing was posted, so a later run posts the week's review", async () => {
    await start();
    h.slack.fail("chat.postMessage", { kind: "rate_limited", retryAfterSeconds: undefined }, { times: 2 });
    const refused = await h.runWeeklyReview();
    expect(refused.json).toMatchObject({ outcome: "failed", failed: "slack", reason: "rate_limited" });
    const again = await h.runWeeklyReview();
    expect(again.json).toMatchObject({ outcome: "posted" });
    expect(reviewsIn(SLACK_SEED.general)).toHaveLength(1);
  });

  it("never retries a post that timed out, since it may have landed", async () => {
    await start({ slackTimeoutMs: FAULTED_TIMEOUT_MS });
    h.slack.fail("chat.postMessage", { kind: "delay", ms: 2 * FAULTED_TIMEOUT_MS });
    const answer = await h.runWeeklyReview();
    expect(answer.json).toMatchObject({ outcome: "failed", failed: "slack", reason: "timeout" });
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(1);
    expect(reviewsIn(SLACK_SEED.general)).toHaveLength(1);
  });

  it("needs no signing secret, and names a missing review channel", async () => {
    await start();
    const { SLACK_SIGNING_SECRET: _secret, ...withoutSecret } = h.env;
    const logs: string[] = [];
    const post = () => new Request("http://localhost/.netlify/functions/weekly-reminder", { method: "POST", body: "{}" });
    const handler = createWeeklyReviewHandler({ env: withoutSecret, now: () => MONDAY_9_UTC, logSink: (line) => logs.push(line) });
    expect((await handler(post())).status).toBe(200);

    const { SLACK_REVIEW_CHANNEL_ID: _channel, ...withoutChannel } = withoutSecret;
    const unconfigured = createWeeklyReviewHandler({ env: withoutChannel, logSink: (line) => logs.push(line) });
    expect((await unconfigured(post())).status).toBe(500);
    expect(logs.join("\n")).toMatch(/"event":"weekly_review".*"reason":"missing_channel".*set SLACK_REVIEW_CHANNEL_ID/);
  });

  it("fails with the setting's problem, posting nothing, when REVIEW_TIMEZONE is not a time zone", async () => {
    await start({ env: { REVIEW_TIMEZONE: "Europe/Berln" } });
    addTask({ title: "One", due: "2025-01-07" });
    const answer = await h.runWeeklyReview();
    expect(answer.status).toBe(500);
    expect(answer.json).toMatchObject({ outcome: "failed", failed: "config", reason: "invalid_setting" });
    expect(h.logs.join("\n")).toMatch(/"event":"weekly_review".*REVIEW_TIMEZONE must be an IANA time zone/);
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(0);
  });
});

describe("/task review", () => {
  it("shows the same digest to the caller only, and posts nothing to the channel", async () => {
    await start();
    addTask({ title: "Fix login", due: "2025-01-03" });
    const answer = await h.command("review");
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      response_type: "ephemeral",
      text: "Weekly review, week of 6 Jan: 1 open task, 1 overdue, 0 due this week, 0 due later, 0 without a due date.",
    });
    expect(JSON.stringify(answer.json?.blocks)).toContain("|Fix login> · due Fri 3 Jan");
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("finishes through response_url when Notion is slower than the acknowledgement budget", async () => {
    await start({ ackDeadlineMs: 50 });
    addTask({ title: "Slow one" });
    h.notion.fail("dataSources.query", { kind: "delay", ms: 300 });
    const answer = await h.command("review");
    expect(answer.text).toBe("");
    await h.settle();
    expect(h.slack.responses).toHaveLength(1);
    expect(JSON.stringify(h.slack.responses[0]?.body)).toContain("|Slow one>");
  });

  it("tells the caller when the board cannot be read", async () => {
    await start();
    h.notion.fail("databases.retrieve", { kind: "error", status: 404, code: "object_not_found" }, { times: Infinity });
    h.notion.fail("dataSources.retrieve", { kind: "error", status: 404, code: "object_not_found" }, { times: Infinity });
    const answer = await h.command("review");
    expect(answer.json).toMatchObject({ response_type: "ephemeral", text: expect.stringContaining("share the Notion database with the integration") });
  });
});
