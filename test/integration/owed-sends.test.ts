/**
 * What Slack refuses for now is not lost: each deferred send (a status message, a new task's
 * announcement, a Home tab) waits out Slack's Retry-After as given while the invocation has time,
 * else is owed in the store and delivered once by the next task sync. Slack's rate limit is emulated
 * as it behaves (refused until Retry-After has passed), on a virtual clock the handlers share.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../dev/harness.js";
import { imChannelIdFor, SLACK_SEED } from "../../dev/slack-emulator.js";
import { appHomeOpened, eventCallback } from "../../dev/slack-payloads.js";
import { virtualClock, type VirtualClock } from "../../dev/virtual-clock.js";
import { INVOCATION_BUDGET_MS, SCHEDULE_BUDGET_MS } from "../../src/runtime.js";
import { OWED_MAX_AGE_MS, OWED_PREFIX } from "../../src/store/owed-sends.js";
import { readTaskRecord } from "../../src/store/task-records.js";

let h: Harness;
let clock: VirtualClock;
afterEach(async () => h?.close());

async function start(options: { env?: Record<string, string>; notionWebhooks?: false } = {}): Promise<Harness> {
  clock = virtualClock(Date.now());
  h = await startHarness({ ...options, now: clock.now, sleep: clock.sleep, slackNow: clock.now });
  return h;
}

const logLines = () => h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
const dmsTo = (user: string) => h.slack.messages.filter((message) => message.kind === "message" && message.channel === imChannelIdFor(user));
const announcements = () => h.slack.messages.filter((message) => message.kind === "message" && message.channel === SLACK_SEED.general);
const owedKeys = async () => (await h.store.list(OWED_PREFIX)).keys;

/** A task Alice makes with /task; resolves with its page id. */
async function aliceTask(title: string): Promise<string> {
  await h.command(title, { response_url: h.slack.responseUrl() });
  await h.settle();
  await h.submitTaskModal(h.slack.views.at(-1)!, { title });
  await h.settle();
  const page = h.notion.pages(h.board.dataSourceId).find((candidate) => JSON.stringify(candidate.properties.Name).includes(title));
  if (!page) throw new Error(`no page ${title}`);
  return page.id;
}

/** Past what Slack asked the bot to wait, as the hour until the next sync would be. */
const passTime = (seconds: number) => clock.advance(seconds * 1000 + 1);

describe("a status message Slack rate-limits", () => {
  it("waits out a Retry-After of 30 s as given, not a capped 1.5 s that draws a second 429, and tells the requester once", async () => {
    await start();
    const pageId = await aliceTask("Fix the login page");
    h.slack.rateLimit("chat.postMessage", 30);
    await h.notion.setStatus(pageId, "Done");
    await h.settle();
    expect(dmsTo(SLACK_SEED.alice).map((dm) => dm.text)).toEqual(["Your task Fix the login page is now Done, moved by Nora Notion in Notion."]);
    expect(clock.sleeps).toContain(30_000);
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(2);
    expect(await owedKeys()).toEqual([]);
  });

  it("is owed when the Retry-After outlasts the invocation, and the next sync delivers it once, however many run", async () => {
    await start();
    const pageId = await aliceTask("Renew the certificate");
    const waitS = INVOCATION_BUDGET_MS / 1000 + 70;
    h.slack.rateLimit("chat.postMessage", waitS);
    const delivery = await h.notion.setStatus(pageId, "Done");
    await h.settle();
    expect(delivery?.status).toBe(200);
    expect(dmsTo(SLACK_SEED.alice)).toHaveLength(0);
    // Never a wait the invocation cannot finish.
    expect(clock.sleeps.every((ms) => ms < INVOCATION_BUDGET_MS)).toBe(true);
    expect(logLines().find((line) => line.event === "task_status.owed")).toMatchObject({ page_id: pageId, error_code: "rate_limited" });
    expect(await owedKeys()).toEqual([`${OWED_PREFIX}status:${pageId}`]);
    // Ids and times only: the title is read from Notion when it is delivered.
    expect(JSON.stringify((await h.store.read(`${OWED_PREFIX}status:${pageId}`))?.value)).not.toContain("certificate");

    passTime(waitS);
    const runs = await Promise.all([h.runTaskSync(), h.runTaskSync()]);
    await h.settle();
    const again = await h.runTaskSync();
    expect(dmsTo(SLACK_SEED.alice).map((dm) => dm.text)).toEqual(["Your task Renew the certificate is now Done."]);
    expect(runs.map((run) => (run.json as { delivered: number }).delivered).sort()).toEqual([0, 1]);
    expect(again.json).toMatchObject({ outcome: "synced", delivered: 0, told: 0 });
    expect(await owedKeys()).toEqual([]);
  });

  it("is delivered by the next Notion event once Slack's Retry-After has passed, without waiting for the sync", async () => {
    await start();
    const first = await aliceTask("Owed first");
    const second = await aliceTask("Moved later");
    const waitS = INVOCATION_BUDGET_MS / 1000 + 70;
    h.slack.rateLimit("chat.postMessage", waitS);
    await h.notion.setStatus(first, "Done");
    await h.settle();
    passTime(waitS);
    await h.notion.setStatus(second, "In progress");
    await h.settle();
    expect(dmsTo(SLACK_SEED.alice).map((dm) => dm.text)).toEqual([
      "Your task Moved later is now In progress, moved by Nora Notion in Notion.",
      "Your task Owed first is now Done.",
    ]);
    expect((await h.runTaskSync()).json).toMatchObject({ delivered: 0, told: 0 });
    expect(dmsTo(SLACK_SEED.alice)).toHaveLength(2);
  });

  it("is owed by a sync that cannot wait it out, and the next sync delivers it", async () => {
    await start({ notionWebhooks: false });
    const pageId = await aliceTask("Event lost");
    await h.notion.setStatus(pageId, "Done");
    const waitS = SCHEDULE_BUDGET_MS / 1000 + 35;
    h.slack.rateLimit("chat.postMessage", waitS);
    const first = await h.runTaskSync();
    expect(first.status).toBe(500);
    expect(first.json).toMatchObject({ outcome: "failed", failed: "slack", reason: "owed", owed: 1, told: 0 });
    expect(logLines().find((line) => line.event === "task_sync" && line.outcome === "failed")?.fix).toMatch(/owed, and the next run delivers them/);
    passTime(waitS);
    const second = await h.runTaskSync();
    expect(second.json).toMatchObject({ outcome: "synced", delivered: 1 });
    expect(dmsTo(SLACK_SEED.alice).map((dm) => dm.text)).toEqual(["Your task Event lost is now Done."]);
  });

  it("is dropped when the task has moved on before it could be delivered: the newer move is told instead, once", async () => {
    await start();
    const pageId = await aliceTask("Moved twice");
    const waitS = INVOCATION_BUDGET_MS / 1000 + 70;
    h.slack.rateLimit("chat.postMessage", waitS);
    await h.notion.setStatus(pageId, "In progress");
    await h.settle();
    passTime(waitS);
    await h.notion.setStatus(pageId, "Done");
    await h.settle();
    const run = await h.runTaskSync();
    expect(run.json).toMatchObject({ delivered: 0 });
    expect(dmsTo(SLACK_SEED.alice).map((dm) => dm.text)).toEqual(["Your task Moved twice is now Done, moved by Nora Notion in Notion."]);
    expect((await readTaskRecord(h.store, pageId))?.value.group).toBe("complete");
    expect(await owedKeys()).toEqual([]);
  });

  it("is dropped after a day: late news is no news", async () => {
    await start();
    const pageId = await aliceTask("A day late");
    h.slack.rateLimit("chat.postMessage", OWED_MAX_AGE_MS / 1000 + 60);
    await h.notion.setStatus(pageId, "Done");
    await h.settle();
    clock.advance(OWED_MAX_AGE_MS + 120_000);
    h.slack.clearFaults();
    await h.runTaskSync();
    expect(dmsTo(SLACK_SEED.alice)).toHaveLength(0);
    expect(logLines().find((line) => line.event === "owed.expired")).toMatchObject({ kind: "status", page_id: pageId });
    expect(await owedKeys()).toEqual([]);
  });
});

describe("a message Slack answers with a 5xx", () => {
  it("is neither tried again nor owed when Slack's edge answers 502 after the post landed, and no DM follows a thread's", async () => {
    await start();
    const pageId = await aliceTask("Check the backups");
    h.slack.fail("chat.postMessage", { kind: "http", status: 502, commitFirst: true });
    await h.notion.setStatus(pageId, "Done");
    await h.settle();
    expect(dmsTo(SLACK_SEED.alice).map((dm) => dm.text)).toEqual(["Your task Check the backups is now Done, moved by Nora Notion in Notion."]);
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(1);
    expect(logLines().find((line) => line.event === "task_status.not_delivered")).toMatchObject({ page_id: pageId, error_code: "http_error" });
    expect(await owedKeys()).toEqual([]);
    passTime(3_600);
    await h.runTaskSync();
    expect(dmsTo(SLACK_SEED.alice)).toHaveLength(1);
  });

  it("is not announced twice when the announcement's post lands and the edge answers 504", async () => {
    await start({ env: { SLACK_TASKS_CHANNEL_ID: SLACK_SEED.general } });
    h.slack.fail("chat.postMessage", { kind: "http", status: 504, commitFirst: true });
    await aliceTask("Order the cables");
    passTime(3_600);
    await h.runTaskSync();
    expect(announcements()).toHaveLength(1);
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(1);
    expect(await owedKeys()).toEqual([]);
  });
});

describe("an owed send whose settle fails after it landed", () => {
  it("is delivered once even when the entry's delete fails after the post", async () => {
    await start();
    const pageId = await aliceTask("Renew the certificate");
    const waitS = INVOCATION_BUDGET_MS / 1000 + 70;
    h.slack.rateLimit("chat.postMessage", waitS);
    await h.notion.setStatus(pageId, "Done");
    await h.settle();
    expect(dmsTo(SLACK_SEED.alice)).toHaveLength(0);
    passTime(waitS);
    // The store refuses the next DELETE: the owed entry's settle after the post.
    h.blobs.fail({ kind: "status", status: 503 }, { method: "DELETE", times: 1 });
    await h.runTaskSync();
    await h.settle();
    expect(dmsTo(SLACK_SEED.alice)).toHaveLength(1);
    clock.advance(61_000); // the deliverer's lease is over
    await h.runTaskSync();
    await h.settle();
    expect(dmsTo(SLACK_SEED.alice).map((dm) => dm.text)).toEqual(["Your task Renew the certificate is now Done."]);
  });

  it("is not posted again when the store is down from the post to the end of the run, and is counted once, as delivered", async () => {
    await start();
    const pageId = await aliceTask("Rotate the keys");
    const waitS = INVOCATION_BUDGET_MS / 1000 + 70;
    h.slack.rateLimit("chat.postMessage", waitS);
    await h.notion.setStatus(pageId, "Done");
    await h.settle();
    passTime(waitS);
    h.blobs.fail({ kind: "status", status: 503 }, { method: "DELETE", times: Infinity });
    const first = await h.runTaskSync();
    await h.settle();
    expect(first.json).toMatchObject({ delivered: 1 });
    expect(logLines().find((line) => line.event === "owed.run")).toMatchObject({ delivered: 1, waiting: 0 });
    expect(logLines().find((line) => line.event === "owed.settle_failed")).toMatchObject({ page_id: pageId, outcome: "delivered" });
    h.blobs.clearFaults();
    clock.advance(61_000);
    const second = await h.runTaskSync();
    await h.settle();
    expect(second.json).toMatchObject({ delivered: 0 });
    expect(dmsTo(SLACK_SEED.alice).map((dm) => dm.text)).toEqual(["Your task Rotate the keys is now Done."]);
    expect(logLines().find((line) => line.event === "owed.unsettled")).toMatchObject({ kind: "status", page_id: pageId });
    expect(await owedKeys()).toEqual([]);
  });
});

describe("a new task's announcement Slack rate-limits", () => {
  const tasksChannel = { env: { SLACK_TASKS_CHANNEL_ID: SLACK_SEED.general } };

  it("waits out a Retry-After of 30 s and announces the task once", async () => {
    await start(tasksChannel);
    h.slack.rateLimit("chat.postMessage", 30);
    await aliceTask("Order new toner");
    expect(announcements().map((message) => message.text)).toEqual([`New task from <@${SLACK_SEED.alice}>: Order new toner`]);
    expect(clock.sleeps).toContain(30_000);
  });

  it("is owed past the invocation's budget, and the next sync announces it, with its status buttons", async () => {
    await start(tasksChannel);
    const waitS = INVOCATION_BUDGET_MS / 1000 + 70;
    h.slack.rateLimit("chat.postMessage", waitS);
    const pageId = await aliceTask("Order new toner");
    expect(announcements()).toHaveLength(0);
    expect(logLines().find((line) => line.event === "task.announce_owed")).toMatchObject({ page_id: pageId, error_code: "rate_limited" });
    passTime(waitS);
    expect((await h.runTaskSync()).json).toMatchObject({ delivered: 1 });
    await h.runTaskSync();
    expect(announcements().map((message) => message.text)).toEqual([`New task from <@${SLACK_SEED.alice}>: Order new toner`]);
    expect(JSON.stringify(announcements()[0]!.blocks)).toContain("task_status");
  });
});

describe("a Home tab Slack rate-limits", () => {
  it("waits out a short Retry-After and publishes the tab", async () => {
    await start();
    await aliceTask("On my tab");
    h.slack.rateLimit("views.publish", 10);
    await h.event(eventCallback(appHomeOpened({ user: SLACK_SEED.alice })));
    await h.settle();
    expect(JSON.stringify(h.slack.homeView(SLACK_SEED.alice)?.view.blocks)).toContain("On my tab");
    // Refused once, then published once the wait Slack asked for had passed.
    expect(h.slack.callsTo("views.publish")).toHaveLength(2);
  });

  it("is owed past the invocation's budget, and the next sync publishes it", async () => {
    await start();
    await aliceTask("On my tab");
    const waitS = INVOCATION_BUDGET_MS / 1000 + 70;
    h.slack.rateLimit("views.publish", waitS);
    await h.event(eventCallback(appHomeOpened({ user: SLACK_SEED.alice })));
    await h.settle();
    expect(h.slack.homeView(SLACK_SEED.alice)).toBeUndefined();
    expect(logLines().find((line) => line.event === "home.owed")).toMatchObject({ error_code: "rate_limited" });
    passTime(waitS);
    expect((await h.runTaskSync()).json).toMatchObject({ delivered: 1 });
    expect(JSON.stringify(h.slack.homeView(SLACK_SEED.alice)?.view.blocks)).toContain("On my tab");
  });
});
