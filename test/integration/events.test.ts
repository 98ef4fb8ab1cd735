/**
 * The Events API endpoint through the real handler, SDKs and emulators: Slack's URL check, the
 * envelope's checks, each event once whichever delivery, and what each event does (the Home tab,
 * mentions).
 */
import { afterEach, describe, expect, it } from "vitest";
import { CREATE_TASK_FROM_MENTION_ACTION } from "../../src/platforms/slack/mention/answer-mention.js";
import { HOME_NEW_TASK_ACTION, HOME_REFRESH_ACTION } from "../../src/platforms/slack/home/home-view.js";
import { createSlackEventsHandler } from "../../src/handlers/slack-events.js";
import { startHarness, type Harness, type HarnessOptions } from "../../dev/harness.js";
import { JSON_CONTENT, signedRequest } from "../../dev/signed-request.js";
import { imChannelIdFor, SLACK_SEED, type PublishedHome } from "../../dev/slack-emulator.js";
import { appHomeOpened, appMention, clickButton, clickHomeButton, eventBody, eventCallback, messageTs, urlVerification } from "../../dev/slack-payloads.js";

/** The handlers' clock, which a test moves on to pass the Home tab's minute. */
const START_MS = Date.UTC(2026, 10, 30, 12, 0, 0);
let clock = START_MS;
let h: Harness;

async function start(options: HarnessOptions = {}): Promise<Harness> {
  clock = START_MS;
  h = await startHarness({ now: () => clock, ...options });
  return h;
}
afterEach(async () => h?.close());

function requestLines(): Record<string, unknown>[] {
  return h.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === "request");
}

/** An open task requested by Alice, as /task saves it. */
function addTask(title: string, fields: { requester?: string; due?: string; status?: string; assignee?: string } = {}): void {
  h.notion.addPage(h.board.dataSourceId, {
    Name: { title: [{ text: { content: title } }] },
    Status: { status: { name: fields.status ?? "Not started" } },
    "Requested by": { rich_text: [{ text: { content: fields.requester ?? "alice (U0ALICE)" } }] },
    ...(fields.due ? { Due: { date: { start: fields.due } } } : {}),
    ...(fields.assignee ? { Assignee: { people: [{ id: fields.assignee }] } } : {}),
  });
}

function homeText(home: PublishedHome | undefined): string {
  return JSON.stringify(home?.view.blocks ?? null);
}

async function openHome(user: string = SLACK_SEED.alice, eventId?: string) {
  const answer = await h.event(eventCallback(appHomeOpened({ user }), eventId ? { eventId } : {}));
  await h.settle();
  return answer;
}

describe("Slack's URL check", () => {
  it("answers a signed url_verification with its challenge, as plain text", async () => {
    await start();
    const answer = await h.event(urlVerification("challenge-3eZbrw1aBm2rZgRN"));
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("challenge-3eZbrw1aBm2rZgRN");
    expect(requestLines().at(-1)).toMatchObject({ kind: "url_verification", outcome: "ok" });
  });

  it.each([
    ["unsigned", {}],
    ["stale", { "x-slack-request-timestamp": String(Math.floor(START_MS / 1000) - 600) }],
  ])("refuses an %s one with a bare 401", async (_name, headers) => {
    await start();
    const body = eventBody(urlVerification());
    const request =
      _name === "unsigned"
        ? new Request("http://localhost/slack/events", { method: "POST", headers: JSON_CONTENT, body })
        : signedRequest(body, { timestamp: Math.floor(START_MS / 1000) - 600, headers: { ...JSON_CONTENT, ...headers } });
    const response = await h.events(request);
    expect(response.status).toBe(401);
    expect(await response.text()).toBe("Unauthorized");
  });
});

describe("the envelope", () => {
  it.each([
    ["an unknown event type", eventCallback({ type: "reaction_added", user: SLACK_SEED.alice }), "ignored"],
    ["no inner event", (() => { const { event: _, ...rest } = eventCallback({ type: "app_mention" }); return rest; })(), "invalid_payload"],
    ["an inner event of the wrong shape", eventCallback({ type: "app_mention", user: SLACK_SEED.alice, text: 42 }), "invalid_payload"],
    ["another kind of request", { type: "app_rate_limited", team_id: SLACK_SEED.teamId, minute_rate_limited: 1 }, "ignored"],
    ["a body that is not JSON", "{not json", "invalid_payload"],
  ])("answers %s with an empty 200 and one log line, calling nothing", async (_name, payload, outcome) => {
    await start();
    const answer = typeof payload === "string" ? await h.events(signedRequest(payload, { timestamp: Math.floor(clock / 1000), headers: JSON_CONTENT })).then(async (r) => ({ status: r.status, text: await r.text() })) : await h.event(payload);
    await h.settle();
    expect(answer).toMatchObject({ status: 200, text: "" });
    expect(requestLines()).toHaveLength(1);
    expect(requestLines()[0]).toMatchObject({ outcome });
    expect(h.slack.calls).toEqual([]);
    expect(h.notion.requests).toEqual([]);
  });

  it("ignores a mention written by a bot, or by the bot itself: nothing posted, one log line", async () => {
    await start();
    await h.event(eventCallback(appMention({ text: "list" }, { user: undefined, bot_id: "B0OTHER" })));
    await h.event(eventCallback(appMention({ text: "list", user: SLACK_SEED.botUserId })));
    await h.settle();
    expect(h.slack.calls).toEqual([]);
    expect(requestLines().map((line) => line.outcome)).toEqual(["not_a_person", "not_a_person"]);
  });

  it("ignores a person from a workspace outside SLACK_ALLOWED_TEAM_IDS: nothing posted, one log line", async () => {
    await start({ env: { SLACK_ALLOWED_TEAM_IDS: SLACK_SEED.teamId } });
    await h.event(eventCallback(appMention({ text: "list" }, { user_team: "T0OTHER" })));
    await h.event(eventCallback(appHomeOpened(), { workspace: { teamId: "T0OTHER", teamDomain: "other", appId: SLACK_SEED.appId } }));
    await h.settle();
    expect(h.slack.calls).toEqual([]);
    expect(requestLines().map((line) => line.outcome)).toEqual(["team_not_allowed", "team_not_allowed"]);
  });

  it("handles each event once: Slack's retry of it, with X-Slack-Retry-Num, does nothing more", async () => {
    await start();
    addTask("Renew the certificate");
    const event = eventCallback(appHomeOpened());
    const first = await h.event(event);
    await h.settle();
    const retry = await h.event(event, { retry: { num: 1, reason: "http_timeout" } });
    await h.settle();
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(h.slack.callsTo("views.publish")).toHaveLength(1);
    expect(requestLines()[1]).toMatchObject({ outcome: "duplicate", retry_num: "1", retry_reason: "http_timeout" });
  });

  it("acknowledges with an empty 200 before the event's work: its Slack and Notion calls come after", async () => {
    await start();
    const answer = await h.event(eventCallback(appHomeOpened()));
    expect(answer).toMatchObject({ status: 200, text: "" });
    expect(h.slack.callsTo("views.publish")).toHaveLength(0);
    await h.settle();
    expect(h.slack.callsTo("views.publish")).toHaveLength(1);
  });
});

describe("the Home tab", () => {
  it("shows the person's open requests, grouped as the review groups them, with status and due date", async () => {
    await start();
    addTask("Renew the certificate", { due: "2026-11-20", status: "In progress" });
    addTask("Write the onboarding guide");
    addTask("Bob's own task", { requester: "bob (U0BOB)" });
    addTask("Finished one", { status: "Done" });
    await openHome();
    const home = h.slack.homeView(SLACK_SEED.alice);
    expect(home?.view.type).toBe("home");
    const text = homeText(home);
    expect(text).toContain("Renew the certificate");
    expect(text).toContain("In progress");
    expect(text).toContain("*overdue* since Fri 20 Nov");
    expect(text).toContain("Write the onboarding guide");
    expect(text).toContain("*2 open*: 1 overdue, 1 without a due date.");
    expect(text).not.toContain("Bob's own task");
    expect(text).not.toContain("Finished one");
    expect(text).toContain(HOME_NEW_TASK_ACTION);
    expect(text).toMatch(/Refreshed at <!date\^\d+\^\{time\}\|12:00 UTC>/);
  });

  it("lists the task a person requested with /task", async () => {
    await start();
    await h.command("");
    await h.settle();
    await h.submitTaskModal(h.slack.views.at(-1)!, { title: "Saved with /task" });
    await h.settle();
    await openHome();
    expect(homeText(h.slack.homeView(SLACK_SEED.alice))).toContain("Saved with /task");
  });

  it("shows *Assigned to me* from the board's people property, matched by the person's email", async () => {
    await start();
    const alice = h.notion.addUser({ name: "Alice", email: "alice@example.com" });
    addTask("Bob asked, Alice does", { requester: "bob (U0BOB)", assignee: alice.id });
    await openHome();
    const text = homeText(h.slack.homeView(SLACK_SEED.alice));
    expect(text).toContain("Assigned to me");
    expect(text).toContain("Bob asked, Alice does");
    expect(text).toContain("requested by bob");
  });

  it("says so when the person's email matches no Notion user, and leaves the section out on a board without an assignee", async () => {
    await start();
    await openHome();
    expect(homeText(h.slack.homeView(SLACK_SEED.alice))).toContain("I couldn't find your Slack email among the Notion workspace's people");
    await h.close();
    await start({ schema: { Assignee: null } });
    await openHome();
    const text = homeText(h.slack.homeView(SLACK_SEED.alice));
    expect(text).not.toContain("Assigned to me");
    expect(text).toContain("You have no open requests");
  });

  it("publishes at most once a minute per person when the tab is opened, whichever instance gets the event", async () => {
    await start();
    await openHome();
    clock += 30_000;
    await openHome();
    expect(h.slack.callsTo("views.publish")).toHaveLength(1);
    // Another person's tab is theirs.
    await openHome(SLACK_SEED.bob);
    expect(h.slack.callsTo("views.publish")).toHaveLength(2);
    clock += 31_000;
    const queries = h.notion.requestsTo("dataSources.query").length;
    await openHome();
    expect(h.slack.callsTo("views.publish")).toHaveLength(3);
    expect(h.notion.requestsTo("dataSources.query").length).toBeGreaterThan(queries);
  });

  it("reads nothing from Notion for an open within the minute", async () => {
    await start();
    await openHome();
    const requests = h.notion.requests.length;
    clock += 10_000;
    await openHome();
    expect(h.notion.requests.length).toBe(requests);
  });

  it("paces Notion's requests under its 3 a second: a cold store's four (the schema, the people, one query for both lists) wait a second after the first three", async () => {
    await start();
    h.notion.addUser({ name: "Alice", email: "alice@example.com" });
    await openHome();
    expect(h.notion.requests.map((request) => request.route)).toEqual(["databases.retrieve", "dataSources.retrieve", "users.list", "dataSources.query"]);
    // The handlers' clock stands still here, so each paced request waits the whole window (1.02 s), through the injected sleep.
    expect(h.sleeps.filter((ms) => ms >= 1_000)).toHaveLength(1);
  });

  it("does nothing for the Messages tab", async () => {
    await start();
    await h.event(eventCallback(appHomeOpened({ tab: "messages" })));
    await h.settle();
    expect(h.slack.calls).toEqual([]);
  });

  it("keeps to 100 blocks with many tasks, counting them all and leaving the rest to Notion", async () => {
    await start();
    for (let i = 0; i < 130; i++) addTask(`Task number ${i}`, { due: `2026-12-${String((i % 28) + 1).padStart(2, "0")}` });
    await openHome();
    const home = h.slack.homeView(SLACK_SEED.alice)!;
    expect((home.view.blocks as unknown[]).length).toBeLessThanOrEqual(100);
    const text = homeText(home);
    expect(text).toContain("More than 100 open");
    expect(text).toMatch(/more in <https:\/\/[^|]+\|Notion>/);
  });

  it("shows why when Notion fails, and the next open tries again at once", async () => {
    await start();
    h.notion.fail("dataSources.query", { kind: "error", status: 500, code: "internal_server_error" }, { times: Infinity });
    await openHome();
    expect(homeText(h.slack.homeView(SLACK_SEED.alice))).toMatch(/couldn't read the board/);
    h.notion.reset();
    clock += 5_000;
    addTask("Visible once Notion is back");
    await openHome();
    expect(homeText(h.slack.homeView(SLACK_SEED.alice))).toContain("Visible once Notion is back");
  });

  it("*Refresh* publishes again at once, unless the tab is seconds old", async () => {
    await start();
    await openHome();
    const refresh = () => h.interact(clickHomeButton(h.slack.homeView(SLACK_SEED.alice)!, HOME_REFRESH_ACTION, { triggerId: h.slack.triggerId(SLACK_SEED.alice) }));
    clock += 3_000;
    expect((await refresh()).status).toBe(200);
    await h.settle();
    expect(h.slack.callsTo("views.publish")).toHaveLength(1);
    clock += 20_000;
    addTask("Added meanwhile");
    await refresh();
    await h.settle();
    expect(h.slack.callsTo("views.publish")).toHaveLength(2);
    expect(homeText(h.slack.homeView(SLACK_SEED.alice))).toContain("Added meanwhile");
  });

  it("*New task* opens the /task modal; once it is saved, a direct message confirms it and the tab shows it", async () => {
    await start();
    await openHome();
    const answer = await h.interact(clickHomeButton(h.slack.homeView(SLACK_SEED.alice)!, HOME_NEW_TASK_ACTION, { triggerId: h.slack.triggerId(SLACK_SEED.alice) }));
    expect(answer).toMatchObject({ status: 200, text: "" });
    const modal = h.slack.views.at(-1)!;
    expect((modal.view.title as { text: string }).text).toBe("New task");
    await h.settle();
    await h.submitTaskModal(h.slack.views.at(-1)!, { title: "From the Home tab" });
    await h.settle();
    expect(h.slack.messages.some((message) => message.channel === imChannelIdFor(SLACK_SEED.alice) && message.text.includes("From the Home tab"))).toBe(true);
    expect(h.slack.callsTo("views.publish")).toHaveLength(2);
    expect(homeText(h.slack.homeView(SLACK_SEED.alice))).toContain("From the Home tab");
  });
});

describe("mentions", () => {
  const replies = (ts: string) => h.slack.messages.filter((message) => message.kind === "message" && message.thread_ts === ts);

  it("answers @chatops list in the thread with the person's open tasks", async () => {
    await start();
    addTask("Fix the printer");
    const ts = messageTs();
    await h.event(eventCallback(appMention({ text: "list", ts })));
    await h.settle();
    expect(replies(ts)).toHaveLength(1);
    expect(replies(ts)[0]!.text).toContain("Your open tasks (1)");
    expect(JSON.stringify(replies(ts)[0]!.blocks)).toContain("Fix the printer");
  });

  it.each([
    ["help", /\/task list/],
    ["REVIEW", /Weekly review, week of/],
    ["", /\/task list/],
  ])("answers @chatops %s in the thread like the /task subcommand", async (text, expected) => {
    await start();
    const ts = messageTs();
    await h.event(eventCallback(appMention({ text, ts })));
    await h.settle();
    expect(replies(ts)).toHaveLength(1);
    expect(replies(ts)[0]!.text).toMatch(expected);
  });

  it("answers a mention inside a thread in that thread", async () => {
    await start();
    const root = messageTs();
    await h.event(eventCallback(appMention({ text: "help", ts: messageTs(), threadTs: root })));
    await h.settle();
    expect(replies(root)).toHaveLength(1);
  });

  it("offers any other text as a task; the button opens the modal prefilled, linked to the thread's root", async () => {
    await start();
    const root = h.slack.postUserMessage({ channel: SLACK_SEED.general, author: SLACK_SEED.bob, text: "The export times out" });
    const mention = messageTs();
    await h.event(eventCallback(appMention({ text: "can you track this? the CSV export times out &amp; fails", ts: mention, threadTs: root.ts })));
    await h.settle();
    const [reply] = replies(root.ts);
    expect(reply?.text).toMatch(/Want this on the team's board\?/);
    const click = await h.interact(clickButton(reply!, CREATE_TASK_FROM_MENTION_ACTION, { user: SLACK_SEED.alice, triggerId: h.slack.triggerId(SLACK_SEED.alice), responseUrl: h.slack.responseUrl() }));
    expect(click.status).toBe(200);
    await h.settle();
    const modal = h.slack.views.at(-1)!;
    const blocks = modal.view.blocks as { block_id: string; element: { initial_value?: string } }[];
    expect(blocks.find((block) => block.block_id === "title")?.element.initial_value).toBe("can you track this? the CSV export times out & fails");
    // The form's context (features/task-request/modal.ts): the link and the author, flat.
    const metadata = JSON.parse(modal.view.private_metadata as string) as { link: string; authorId?: string };
    expect(metadata.link).toContain(`p${root.ts.replace(".", "")}`);
    expect(metadata.authorId).toBe(SLACK_SEED.alice);
  });

  it("answers privately when the thread refuses the reply", async () => {
    await start();
    h.slack.fail("chat.postMessage", { kind: "error", error: "is_archived" });
    await h.event(eventCallback(appMention({ text: "help" })));
    await h.settle();
    expect(h.slack.messages.filter((message) => message.kind === "ephemeral" && message.user === SLACK_SEED.alice)).toHaveLength(1);
  });

  /** A message ts `secondsAgo` before the handlers' clock: an edit's event carries its message's own. */
  const tsBefore = (secondsAgo: number) => `${Math.floor(clock / 1000) - secondsAgo}.000200`;

  it("answers a message once when an edit makes Slack send its mention again (same ts, new event_id, `edited`)", async () => {
    await start();
    addTask("Fix the printer");
    const ts = tsBefore(60);
    await h.event(eventCallback(appMention({ text: "lsit", ts })));
    await h.settle();
    // The person corrects the typo a minute later: Slack sends app_mention again for the same message.
    clock += 60_000;
    const edit = await h.event(eventCallback(appMention({ text: "list", ts, editedTs: tsBefore(0) })));
    await h.settle();
    expect(edit).toMatchObject({ status: 200, text: "" });
    expect(replies(ts).map((reply) => reply.text)).toEqual([expect.stringMatching(/Want this on the team's board\?/)]);
    expect(requestLines()[1]).toMatchObject({ callback_id: "app_mention", outcome: "duplicate", edited: true });
  });

  it("answers a message once when its edit comes while the first answer is still being worked on, past half a minute", async () => {
    await start();
    const ts = tsBefore(60);
    // The first answer's board read is held in Notion: its work is under way when the edit comes.
    h.notion.fail("dataSources.query", { kind: "delay" });
    await h.event(eventCallback(appMention({ text: "list", ts })));
    await expect.poll(() => h.notion.requestsTo("dataSources.query").length, { timeout: 10_000 }).toBeGreaterThan(0);
    // Slack sends the edit's mention 31 s later, while the work still holds the message's claim:
    // Netlify lets that work run for up to 60 s, so the claim must not lapse before.
    clock += 31_000;
    const edit = await h.event(eventCallback(appMention({ text: "list please", ts, editedTs: tsBefore(0) })));
    expect(edit).toMatchObject({ status: 200, text: "" });
    h.notion.releaseHeld();
    await h.settle();
    expect(requestLines()[1]).toMatchObject({ callback_id: "app_mention", outcome: "duplicate", edited: true });
    expect(replies(ts)).toHaveLength(1);
  });

  it("answers a message once whichever instance the edit's event reaches: the store, not the instance, remembers", async () => {
    await start();
    const ts = tsBefore(30);
    await h.event(eventCallback(appMention({ text: "help", ts })));
    await h.settle();
    const other = createSlackEventsHandler({ env: h.env, blobs: h.blobs.connection, now: () => clock, sleep: async () => {}, logSink: (line) => h.logs.push(line) });
    const pending: Promise<unknown>[] = [];
    const edit = eventBody(eventCallback(appMention({ text: "help me", ts, editedTs: tsBefore(0) })));
    const answer = await other(signedRequest(edit, { timestamp: Math.floor(clock / 1000), headers: JSON_CONTENT }), { waitUntil: (promise) => void pending.push(promise) });
    await Promise.all(pending);
    expect(answer.status).toBe(200);
    expect(replies(ts)).toHaveLength(1);
    expect(requestLines().at(-1)).toMatchObject({ outcome: "duplicate" });
  });

  it("answers the edit of a message that did not mention the bot before: its first mention, once", async () => {
    await start();
    const ts = tsBefore(120);
    await h.event(eventCallback(appMention({ text: "help", ts, editedTs: tsBefore(0) })));
    await h.settle();
    await h.event(eventCallback(appMention({ text: "help", ts, editedTs: tsBefore(0) })));
    await h.settle();
    expect(replies(ts)).toHaveLength(1);
  });

  it("does not answer an edit of a message older than the store remembers mentions: an edit is not a new request", async () => {
    await start();
    const ts = tsBefore(8 * 86_400);
    await h.event(eventCallback(appMention({ text: "list", ts, editedTs: tsBefore(0) })));
    await h.settle();
    expect(h.slack.calls).toEqual([]);
    expect(requestLines()[0]).toMatchObject({ outcome: "edit_of_old_message", edited: true });
  });

  it("answers two different messages of the same person in the same thread, each once", async () => {
    await start();
    const root = tsBefore(300);
    await h.event(eventCallback(appMention({ text: "help", ts: tsBefore(200), threadTs: root })));
    await h.event(eventCallback(appMention({ text: "help", ts: tsBefore(100), threadTs: root })));
    await h.settle();
    expect(replies(root)).toHaveLength(2);
  });

  it("never logs what was written", async () => {
    await start();
    await h.event(eventCallback(appMention({ text: "my secret plan for the offsite" })));
    await h.settle();
    expect(h.logs.join("\n")).not.toContain("secret plan");
    expect(requestLines()[0]).toMatchObject({ callback_id: "app_mention", text_length: expect.any(Number) });
  });
});
