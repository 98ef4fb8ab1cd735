/**
 * The board shared by every instance (notion/shared-board.ts), through the real handlers, SDKs,
 * emulators and Blobs server: a second instance reads nothing from Notion, one instance at a time
 * refreshes, the bot's own saves show at once, a 429's Retry-After holds every instance's reads, and
 * the weekly review Notion refused is owed until the owed-work schedule has posted it, once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createSlackCommandsHandler, createSlackEventsHandler, type AppOptions, type Handler, type InvocationContext } from "../../src/handlers.js";
import { REFRESH_LEASE_KEY, SNAPSHOT_KEY } from "../../src/notion/shared-board.js";
import type { BoardSnapshot } from "../../src/notion/board-snapshot.js";
import { owedKey } from "../../src/features/owed-work/owed-work.js";
import { createRuntime, REQUIRED_VARIABLES, SCHEDULE_BUDGET_MS } from "../../src/runtime.js";
import { taskRecordKey } from "../../src/store/task-records.js";
import { HEALTHY_TIMEOUT_MS, startHarness, type Harness, type HarnessOptions } from "../../dev/harness.js";
import { JSON_CONTENT, signedRequest } from "../../dev/signed-request.js";
import { SLACK_SEED, type PublishedHome } from "../../dev/slack-emulator.js";
import { appHomeOpened, eventBody, eventCallback, slashCommandBody } from "../../dev/slack-payloads.js";
import { virtualClock, type VirtualClock } from "../../dev/virtual-clock.js";

const START_MS = Date.UTC(2026, 10, 30, 12, 0, 0);
/** Monday 6 January 2025, 09:00 UTC: when the weekly review's schedule runs. */
const MONDAY_9_UTC = Date.parse("2025-01-06T09:00:00Z");

let h: Harness;
let clock: VirtualClock;
afterEach(async () => h?.close());

const PEOPLE = ["U0CAROL", "U0DAN", "U0ERIN"];

async function start(options: HarnessOptions & { at?: number } = {}): Promise<Harness> {
  clock = virtualClock(options.at ?? START_MS);
  h = await startHarness({ now: clock.now, sleep: clock.sleep, notionNow: clock.now, ...options });
  for (const id of PEOPLE) h.slack.addUser({ id, name: id.toLowerCase() });
  return h;
}

/**
 * Another instance of a function: its own warm caches and pacing, the same store and emulators. Its
 * store calls get the harness's HEALTHY_TIMEOUT_MS: at the store's own 800 ms, a busy machine turned
 * a read into store.unavailable, and that instance read Notion itself (as it must without the store).
 */
function instance(create: (options: AppOptions) => Handler, options: Partial<AppOptions> = {}): (body: string, json?: boolean) => Promise<void> {
  const pending: Promise<unknown>[] = [];
  const context: InvocationContext = { waitUntil: (promise) => void pending.push(promise) };
  const handler = create({ env: h.env, blobs: h.blobs.connection, storeTimeoutMs: HEALTHY_TIMEOUT_MS, logSink: (line) => h.logs.push(line), now: clock.now, sleep: clock.sleep, ...options });
  return async (body, json = true) => {
    const response = await handler(signedRequest(body, { timestamp: Math.floor(clock.now() / 1000), ...(json ? { headers: JSON_CONTENT } : {}) }), context);
    expect(response.status).toBe(200);
    while (pending.length > 0) await Promise.allSettled(pending.splice(0));
  };
}

function addTask(title: string, requester = "alice (U0ALICE)"): void {
  h.notion.addPage(h.board.dataSourceId, {
    Name: { title: [{ text: { content: title } }] },
    Status: { status: { name: "Not started" } },
    "Requested by": { rich_text: [{ text: { content: requester } }] },
  });
}

const openHomeBody = (user: string) => eventBody(eventCallback(appHomeOpened({ user })));
const homeText = (home: PublishedHome | undefined) => JSON.stringify(home?.view.blocks ?? null);
const queries = () => h.notion.requestsTo("dataSources.query").length;

describe("the shared board", () => {
  it("reads Notion for a Refresh press (ten seconds) that comes while a tab's load (a minute) is under way in the same instance", async () => {
    await start();
    addTask("First");
    const board = () => createRuntime({ env: h.env, blobs: h.blobs.connection, logSink: (line) => h.logs.push(line), now: clock.now, sleep: clock.sleep }, REQUIRED_VARIABLES.schedule).load().ports.tasks;
    await board().openTasks({ maxPages: 1 });
    clock.advance(30_000);
    addTask("Added in Notion");
    const tasks = board();
    const alice = { platform: "slack" as const, userId: SLACK_SEED.alice, email: async () => undefined };
    const [opened, refreshed] = await Promise.all([
      tasks.openTasksOf(alice, "requester", { pageSize: 20, maxAgeMs: 60_000 }),
      tasks.openTasksOf(alice, "requester", { pageSize: 20, maxAgeMs: 10_000 }),
    ]);
    expect(opened.tasks.map((task) => task.title)).toEqual(["First"]);
    expect(refreshed.tasks.map((task) => task.title).sort()).toEqual(["Added in Notion", "First"]);
  });

  it("costs a second instance nothing: the schema, the people and the tasks come from the store", async () => {
    await start();
    h.notion.addUser({ name: "Alice", email: "alice@example.com" });
    addTask("Alice's task");
    addTask("Bob's task", "bob (U0BOB)");
    await instance(createSlackEventsHandler)(openHomeBody(SLACK_SEED.alice));
    expect(h.notion.requests.length).toBeGreaterThan(0);
    h.notion.reset();
    await instance(createSlackEventsHandler)(openHomeBody(SLACK_SEED.bob));
    expect(h.notion.requests).toEqual([]);
    expect(homeText(h.slack.homeView(SLACK_SEED.bob))).toContain("Bob's task");
    expect(homeText(h.slack.homeView(SLACK_SEED.bob))).not.toContain("Alice's task");
  });

  it("is read from Notion by one instance at a time: five cold instances opening at once make one query", async () => {
    // Real time: the others really wait for the one reading (up to 6 s, for a read of milliseconds).
    h = await startHarness({});
    for (const id of PEOPLE) h.slack.addUser({ id, name: id.toLowerCase() });
    clock = { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), advance: () => {}, sleeps: [] };
    addTask("Alice's task");
    const users = ["U0ALICE", "U0BOB", "U0CAROL", "U0DAN", "U0ERIN"];
    await Promise.all(users.map((user) => instance(createSlackEventsHandler)(openHomeBody(user))));
    expect(queries()).toBe(1);
    expect(homeText(h.slack.homeView(SLACK_SEED.alice))).toContain("Alice's task");
    expect(h.slack.callsTo("views.publish")).toHaveLength(5);
  });

  it("is read from Notion once when its reader writes it and frees the lease between another instance's look at the snapshot and its taking of the lease", async () => {
    await start();
    addTask("Alice's task");
    addTask("Bob's task", "bob (U0BOB)");
    // Bob's instance finds no snapshot and nobody refreshing (the board's schema: a look at the lease);
    // its next read of the lease, to take it, is held.
    h.blobs.fail({ kind: "late", ms: 0 }, { method: "GET", key: REFRESH_LEASE_KEY });
    h.blobs.fail({ kind: "delay" }, { method: "GET", key: REFRESH_LEASE_KEY });
    const bobs = instance(createSlackEventsHandler)(openHomeBody(SLACK_SEED.bob));
    await expect.poll(() => h.blobs.requests.filter((request) => request.method === "GET" && request.path.endsWith(`/${REFRESH_LEASE_KEY}`)).length).toBe(2);
    // Meanwhile Alice's instance takes the lease, reads Notion, writes the snapshot and frees the lease.
    await instance(createSlackEventsHandler)(openHomeBody(SLACK_SEED.alice));
    expect(queries()).toBe(1);
    expect(await h.blobs.releaseHeld()).toBe(1);
    await bobs;
    expect(queries()).toBe(1);
    expect(homeText(h.slack.homeView(SLACK_SEED.bob))).toContain("Bob's task");
  });

  it("is read again once a minute old, and not before", async () => {
    await start();
    addTask("First");
    const list = instance(createSlackCommandsHandler);
    const command = () => slashCommandBody({ text: "list", user: SLACK_SEED.alice, triggerId: h.slack.triggerId(SLACK_SEED.alice), responseUrl: h.slack.responseUrl() });
    await list(command(), false);
    expect(queries()).toBe(1);
    clock.advance(59_000);
    await list(command(), false);
    expect(queries()).toBe(1);
    clock.advance(2_000);
    await list(command(), false);
    expect(queries()).toBe(2);
  });

  it("shows a task saved on another instance at once, without reading Notion again", async () => {
    await start();
    addTask("Older task");
    await instance(createSlackEventsHandler)(openHomeBody(SLACK_SEED.alice));
    const view = await h.openTaskModal();
    await h.submitTaskModal(view, { title: "Saved just now" });
    await h.settle();
    h.notion.reset();
    await instance(createSlackEventsHandler)(openHomeBody(SLACK_SEED.bob));
    const answer = await h.command("list");
    await h.settle();
    expect(queries()).toBe(0);
    const listed = JSON.stringify([answer.json, h.slack.responses.at(-1)]);
    expect(listed).toContain("Saved just now");
    expect(listed).toContain("Older task");
  });

  it("drops a task the bot saved when its webhook event says it was moved to Done in Notion", async () => {
    await start();
    await h.submitTaskModal(await h.openTaskModal(), { title: "Soon done" });
    await h.settle();
    await instance(createSlackEventsHandler)(openHomeBody(SLACK_SEED.alice));
    const page = h.notion.pages(h.board.dataSourceId)[0]!;
    expect((await h.store.read<{ tasks: { title: string }[] }>(SNAPSHOT_KEY))?.value.tasks.map((task) => task.title)).toEqual(["Soon done"]);
    await h.notion.setStatus(page.id, "Done");
    await h.settle();
    const snapshot = await h.store.read<{ tasks: { title: string }[] }>(SNAPSHOT_KEY);
    expect(snapshot?.value.tasks.map((task) => task.title)).toEqual([]);
  });

  it("holds every instance's reads for a 429's Retry-After, as given, and shows the last snapshot meanwhile with its age", async () => {
    await start();
    addTask("Alice's task");
    await instance(createSlackEventsHandler)(openHomeBody(SLACK_SEED.alice));
    clock.advance(3 * 60_000);
    h.notion.reset();
    h.notion.fail("dataSources.query", { kind: "rate_limited", retryAfterSeconds: 30 });
    await instance(createSlackEventsHandler)(openHomeBody(SLACK_SEED.bob));
    // 30 s is over the client's own 1.5 s retry cap: the read yields at once, with no second 429.
    expect(queries()).toBe(1);
    const lease = await h.store.read<{ until: number }>(REFRESH_LEASE_KEY);
    expect(lease?.value.until).toBe(clock.now() + 30_000);
    const shown = homeText(h.slack.homeView(SLACK_SEED.bob));
    expect(shown).not.toContain("rate-limiting");
    expect(shown).toContain("as Notion showed it at");
    // Another instance within the 30 s: no request to Notion at all; the last snapshot answers.
    clock.advance(29_000);
    h.notion.reset();
    await instance(createSlackEventsHandler)(openHomeBody("U0CAROL"));
    expect(h.notion.requests).toEqual([]);
    expect(h.slack.callsTo("views.publish")).toHaveLength(3);
    clock.advance(2_000);
    await instance(createSlackEventsHandler)(openHomeBody("U0DAN"));
    expect(queries()).toBe(1);
  });
});

describe("a task the bot saved", () => {
  const titles = async () => (await h.store.read<BoardSnapshot>(SNAPSHOT_KEY))?.value.tasks.map((t) => t.title);

  it.each([
    ["answered normally", false],
    ["answer lost after the page was made (502), and found on the board", true],
  ])("is in the shared snapshot at once, its create %s", async (_name, lose) => {
    await start();
    await h.command("list"); // the snapshot exists: someone listed tasks a moment ago
    await h.settle();
    expect(await titles()).toEqual([]);
    const view = await h.openTaskModal();
    if (lose) h.notion.fail("pages.create", { kind: "http", status: 502, commitFirst: true });
    const answer = await h.submitTaskModal(view, { title: "Saved for sure" });
    expect(answer.json).toEqual({ response_action: "clear" });
    await h.settle();
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
    // The bot told the person it was saved: the snapshot every list reads has it, without reading Notion again.
    expect(await titles()).toEqual(["Saved for sure"]);
    h.notion.reset();
    const listed = await h.command("list");
    await h.settle();
    expect(JSON.stringify([listed.json, h.slack.responses.at(-1)])).toContain("Saved for sure");
  });
});

describe("owed scheduled work", () => {
  it("keeps a weekly review Notion rate-limited owed, and the owed-work schedule posts it once", async () => {
    await start({ at: MONDAY_9_UTC });
    addTask("Open task");
    h.notion.fail("dataSources.query", { kind: "rate_limited", retryAfterSeconds: 1 }, { times: Infinity });
    const first = await h.runWeeklyReview();
    expect(first.json).toMatchObject({ outcome: "failed", failed: "notion", reason: "rate_limited" });
    // Notion's Retry-After was honoured as given: each wait for it was its whole second.
    const waits = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === "board.snapshot_waiting");
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((line) => line.wait_ms === 1_000)).toBe(true);
    expect((await h.store.read(owedKey("weekly-review")))?.value).toMatchObject({ attempts: 1, reason: "rate_limited", week: "2025-01-06" });

    clock.advance(10 * 60_000);
    expect((await h.runSchedule("owed-work")).json).toMatchObject({ outcome: "failed", ran: ["weekly-review"] });
    expect((await h.store.read(owedKey("weekly-review")))?.value).toMatchObject({ attempts: 2 });

    h.notion.reset();
    clock.advance(10 * 60_000);
    expect((await h.runSchedule("owed-work")).json).toMatchObject({ outcome: "done", ran: ["weekly-review"] });
    expect(await h.store.read(owedKey("weekly-review"))).toBeUndefined();
    clock.advance(10 * 60_000);
    expect((await h.runSchedule("owed-work")).json).toMatchObject({ outcome: "done", ran: [] });
    expect((await h.runWeeklyReview()).json).toMatchObject({ outcome: "already_posted" });
    expect(h.slack.messages.filter((message) => message.channel === SLACK_SEED.general && message.kind === "message")).toHaveLength(1);
  });

  it("drops a review still owed when its week is over", async () => {
    await start({ at: MONDAY_9_UTC });
    h.notion.fail("dataSources.query", { kind: "rate_limited", retryAfterSeconds: 1 }, { times: Infinity });
    await h.runWeeklyReview();
    h.notion.reset();
    clock.advance(7 * 86_400_000);
    expect((await h.runSchedule("owed-work")).json).toMatchObject({ ran: [], dropped: ["weekly-review"] });
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("keeps a failed sync owed and runs it again", async () => {
    await start();
    h.notion.fail("dataSources.query", { kind: "error", status: 503, code: "service_unavailable" }, { times: Infinity });
    expect((await h.runTaskSync()).json).toMatchObject({ outcome: "failed", failed: "notion" });
    expect(await h.store.read(owedKey("task-sync"))).toBeDefined();
    h.notion.reset();
    expect((await h.runSchedule("owed-work")).json).toMatchObject({ outcome: "done", ran: ["task-sync"] });
    expect(await h.store.read(owedKey("task-sync"))).toBeUndefined();
  });

  it("does not owe a review that cannot pass by itself (the bot is not in the channel)", async () => {
    await start({ at: MONDAY_9_UTC, env: { SLACK_REVIEW_CHANNEL_ID: SLACK_SEED.random } });
    expect((await h.runWeeklyReview()).json).toMatchObject({ outcome: "failed", failed: "slack", reason: "not_in_channel" });
    expect(await h.store.read(owedKey("weekly-review"))).toBeUndefined();
  });
  it("fails the weekly review, naming the refused token, rather than post a three-day-old snapshot as this week's", async () => {
    // Friday 16:00 UTC: /task review leaves a snapshot in the store.
    await start({ at: Date.parse("2025-01-03T16:00:00Z") });
    addTask("Closed on Saturday");
    await h.command("review");
    await h.settle();
    clock.advance(3 * 86_400_000 - 7 * 3_600_000); // Monday 09:00 UTC
    for (const method of ["dataSources.query", "databases.retrieve", "dataSources.retrieve"] as const) h.notion.fail(method, { kind: "error", status: 401, code: "unauthorized" }, { times: Infinity });
    expect((await h.runWeeklyReview()).json).toMatchObject({ outcome: "failed", failed: "notion", reason: "unauthorized" });
    expect(h.slack.messages.filter((message) => message.channel === SLACK_SEED.general && message.kind === "message")).toHaveLength(0);
    // /task list says what Notion refused, not Friday's list.
    expect(JSON.stringify((await h.command("list")).json)).toContain("NOTION_TOKEN");
  });

  it("answers with an hour-old board while Notion is down, saying its age, but keeps the weekly review owed until Notion answers", async () => {
    await start({ at: MONDAY_9_UTC - 2 * 3_600_000 });
    addTask("Open task");
    await h.command("review");
    clock.advance(2 * 3_600_000);
    h.notion.fail("dataSources.query", { kind: "error", status: 503, code: "service_unavailable" }, { times: Infinity });
    const listed = JSON.stringify((await h.command("list")).json);
    expect(listed).toContain("Open task");
    expect(listed).toContain("The board as Notion showed it <!date^" + String(Math.floor((MONDAY_9_UTC - 2 * 3_600_000) / 1000)));
    expect(JSON.stringify((await h.command("review")).json)).toContain("The board as Notion showed it");
    expect((await h.runWeeklyReview()).json).toMatchObject({ outcome: "failed", failed: "notion", reason: "stale_board" });
    expect(h.slack.messages.filter((message) => message.channel === SLACK_SEED.general && message.kind === "message")).toHaveLength(0);
    expect((await h.store.read(owedKey("weekly-review")))?.value).toMatchObject({ reason: "stale_board" });
    h.notion.reset();
    clock.advance(10 * 60_000);
    expect((await h.runSchedule("owed-work")).json).toMatchObject({ outcome: "done", ran: ["weekly-review"] });
    expect(h.slack.messages.filter((message) => message.channel === SLACK_SEED.general && message.kind === "message")).toHaveLength(1);
  });

  it("answers no list from a snapshot over a day old while Notion is down: it says Notion is unavailable", async () => {
    await start();
    addTask("Open task");
    await h.command("list");
    clock.advance(25 * 3_600_000);
    h.notion.fail("dataSources.query", { kind: "error", status: 503, code: "service_unavailable" }, { times: Infinity });
    const listed = JSON.stringify((await h.command("list")).json);
    expect(listed).not.toContain("Open task");
    expect(listed).toContain("Notion is unavailable");
  });

  it("does not begin an owed review with too little of the run's budget left after the sync: it stays owed", async () => {
    await start({ at: MONDAY_9_UTC });
    let posts = 0;
    let armed = false;
    // Slack rate-limits the sync's message for 20 s, and the review's post for 15 s.
    const rateLimiting: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (armed && url.endsWith("/chat.postMessage")) {
        posts += 1;
        const retryAfter = posts === 1 ? 20 : posts === 3 ? 15 : undefined;
        if (retryAfter !== undefined) return new Response(JSON.stringify({ ok: false, error: "ratelimited" }), { status: 429, headers: { "content-type": "application/json", "retry-after": String(retryAfter) } });
      }
      return fetch(input, init);
    };
    await h.close();
    h = await startHarness({ now: clock.now, sleep: clock.sleep, notionNow: clock.now, fetch: rateLimiting });
    await h.submitTaskModal(await h.openTaskModal(), { title: "Moved back" });
    await h.settle();
    const page = h.notion.pages(h.board.dataSourceId)[0]!;
    const record = await h.store.read<Record<string, unknown>>(taskRecordKey(page.id));
    // The requester last heard of In progress; the task is To do on the board: the sync tells them.
    await h.store.write(taskRecordKey(page.id), { ...record!.value, group: "in_progress" });
    await h.store.write(owedKey("task-sync"), { v: 1, since: clock.now(), attempts: 1, reason: "unavailable" });
    await h.store.write(owedKey("weekly-review"), { v: 1, since: clock.now(), attempts: 1, reason: "rate_limited", week: "2025-01-06" });
    clock.advance(10 * 60_000);
    const started = clock.now();
    armed = true;
    const run = await h.runSchedule("owed-work");
    expect(clock.now() - started).toBeLessThanOrEqual(SCHEDULE_BUDGET_MS);
    expect(run.json).toMatchObject({ ran: ["task-sync"], postponed: ["weekly-review"] });
    expect((await h.store.read(owedKey("weekly-review")))?.value).toMatchObject({ week: "2025-01-06" });
    armed = false;
    clock.advance(10 * 60_000);
    expect((await h.runSchedule("owed-work")).json).toMatchObject({ outcome: "done", ran: ["weekly-review"], postponed: [] });
  });
});

