/**
 * The status loop, end to end in process: Notion's webhook events (signed by the emulator, delivered
 * over HTTP to the real handler), the requester's one message, the status buttons and the hourly sync.
 */
import { afterEach, describe, expect, it } from "vitest";
import { TEST_NOTION_TOKEN, TEST_NOTION_WEBHOOK_SECRET } from "../../dev/emulator-env.js";
import { startHarness, type Harness, type HarnessOptions } from "../../dev/harness.js";
import { imChannelIdFor, SLACK_SEED, type PostedMessage } from "../../dev/slack-emulator.js";
import { appHomeOpened, clickButton, clickEphemeralButton, clickHomeButton, eventCallback, messageAction, messageTs, slackMessage } from "../../dev/slack-payloads.js";
import { COMPLETE_TASK_ACTION, START_TASK_ACTION } from "../../src/features/task-status/status-buttons.js";
import { VERIFICATION_TOKEN_KEY } from "../../src/features/notion-setup/verification-token.js";
import { signNotionBody } from "../../src/notion/verify-webhook.js";
import { OUTSIDER } from "../../src/platforms/slack/access.js";
import { readTaskRecord } from "../../src/store/task-records.js";

let h: Harness;
afterEach(async () => h?.close());

const logLines = () => h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
const requestLines = () => logLines().filter((line) => line.event === "request" && (line.kind === "notion_event" || line.kind === "handshake"));
const dmsTo = (user: string) => h.slack.messages.filter((message) => message.kind === "message" && message.channel === imChannelIdFor(user));
const statusOf = (pageId: string) => (h.notion.page(pageId)?.properties.Status as { status: { name: string } | null }).status?.name;

/** A task made with /task as Alice; resolves with its page id and the response_url its confirmation went to. */
async function taskFromCommand(title: string, user: string = SLACK_SEED.alice): Promise<{ pageId: string; responseUrl: string }> {
  const responseUrl = h.slack.responseUrl();
  await h.command(title, { response_url: responseUrl, user_id: user });
  await h.settle();
  await h.submitTaskModal(h.slack.views.at(-1)!, { title }, user);
  await h.settle();
  return { pageId: pageTitled(title), responseUrl };
}

/** A task Alice makes with the Create task shortcut on Bob's message in #general. */
async function taskFromShortcut(title: string): Promise<{ pageId: string; message: Record<string, unknown> }> {
  const message = slackMessage({ ts: messageTs(), user: SLACK_SEED.bob, text: title });
  await h.interact(messageAction({ callbackId: "create_task", user: SLACK_SEED.alice, message, triggerId: h.slack.triggerId(SLACK_SEED.alice), responseUrl: h.slack.responseUrl() }));
  await h.settle();
  await h.submitTaskModal(h.slack.views.at(-1)!, { title });
  await h.settle();
  return { pageId: pageTitled(title), message };
}

function pageTitled(title: string): string {
  const page = h.notion.pages(h.board.dataSourceId).find((candidate) => JSON.stringify(candidate.properties.Name).includes(title));
  if (!page) throw new Error(`no page ${title}`);
  return page.id;
}

/** The last message (or response_url answer) that holds `actionId`. */
function confirmationFor(responseUrl: string) {
  const sent = h.slack.responses.filter((response) => response.url === responseUrl).at(-1);
  if (!sent) throw new Error("no confirmation through the response_url");
  return sent.body as { blocks?: unknown[]; text: string };
}

async function start(options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness(options);
  return h;
}

describe("the webhook handshake", () => {
  it("answers 200 and keeps the token in the store for the admin, never in a log", async () => {
    await start({ env: { NOTION_WEBHOOK_SECRET: "" } });
    const delivery = await h.notion.sendHandshake();
    await h.settle();
    expect(delivery.status).toBe(200);
    expect((await h.store.read<{ verification_token: string }>(VERIFICATION_TOKEN_KEY))?.value.verification_token).toBe(TEST_NOTION_WEBHOOK_SECRET);
    expect(h.logs.join("\n")).not.toContain(TEST_NOTION_WEBHOOK_SECRET);
    expect(requestLines().at(-1)).toMatchObject({ kind: "handshake", status: 200, outcome: "ok" });
    expect(logLines().find((line) => line.event === "notion.handshake")?.fix).toContain("netlify blobs:get chatops notion/verification-token");
  });

  it("never replaces a configured secret", async () => {
    await start();
    const delivery = await h.notion.sendHandshake();
    expect(delivery.status).toBe(200);
    expect(await h.store.read(VERIFICATION_TOKEN_KEY)).toBeUndefined();
    expect(logLines().some((line) => line.event === "notion.handshake_ignored")).toBe(true);
    expect(h.logs.join("\n")).not.toContain(TEST_NOTION_WEBHOOK_SECRET);
  });

  it("refuses events until the secret is set, with a log line saying how to finish the set-up", async () => {
    await start({ env: { NOTION_WEBHOOK_SECRET: "" } });
    const { pageId } = await taskFromCommand("Refused before set-up");
    const delivery = await h.notion.setStatus(pageId, "Done");
    await h.settle();
    expect(delivery?.status).toBe(503);
    expect(dmsTo(SLACK_SEED.alice)).toHaveLength(0);
    expect(logLines().find((line) => line.event === "notion.webhook_not_configured")?.fix).toMatch(/NOTION_WEBHOOK_SECRET.*netlify blobs:get/);
  });
});

describe("telling the requester", () => {
  it("sends one direct message when a person moves a /task task to Done in Notion: title, status, who, link", async () => {
    await start();
    const { pageId } = await taskFromCommand("Fix the login page");
    const delivery = await h.notion.setStatus(pageId, "Done");
    await h.settle();
    expect(delivery?.status).toBe(200);
    const dms = dmsTo(SLACK_SEED.alice);
    expect(dms).toHaveLength(1);
    expect(dms[0]!.text).toBe("Your task Fix the login page is now Done, moved by Nora Notion in Notion.");
    expect(JSON.stringify(dms[0]!.blocks)).toContain(h.notion.page(pageId)!.url);
  });

  it("answers in the thread of the message a shortcut task came from, mentioning the requester", async () => {
    await start();
    const { pageId, message } = await taskFromShortcut("The CSV export times out");
    await h.notion.setStatus(pageId, "In progress");
    await h.settle();
    const inThread = h.slack.messages.filter((posted) => posted.kind === "message" && posted.thread_ts === message.ts);
    expect(inThread).toHaveLength(1);
    expect(inThread[0]).toMatchObject({ channel: SLACK_SEED.general, text: `<@${SLACK_SEED.alice}>, your task The CSV export times out is now In progress, moved by Nora Notion in Notion.` });
    expect(dmsTo(SLACK_SEED.alice)).toHaveLength(0);
  });

  it("answers in the original message's thread for a task made from the reminder's button", async () => {
    await start();
    const message = slackMessage({ ts: messageTs(), user: SLACK_SEED.bob, text: "can someone renew the certificate?" });
    await h.interact(messageAction({ callbackId: "remind_process", user: SLACK_SEED.alice, message, triggerId: h.slack.triggerId(SLACK_SEED.alice), responseUrl: h.slack.responseUrl() }));
    await h.settle();
    const reminder = h.slack.messages.find((posted) => posted.kind === "message" && posted.thread_ts === message.ts)!;
    await h.interact(clickButton(reminder, "create_task_from_reminder", { user: SLACK_SEED.bob, triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() }));
    await h.settle();
    await h.submitTaskModal(h.slack.views.at(-1)!, { title: "Renew the certificate" }, SLACK_SEED.bob);
    await h.settle();
    await h.notion.setStatus(pageTitled("Renew the certificate"), "Done");
    await h.settle();
    const told = h.slack.messages.filter((posted) => posted.thread_ts === message.ts && posted !== reminder);
    expect(told.map((posted) => posted.text)).toEqual([`<@${SLACK_SEED.bob}>, your task Renew the certificate is now Done, moved by Nora Notion in Notion.`]);
  });

  it("says nothing again for the same event delivered again, and refuses its exact replay with 401", async () => {
    await start();
    const { pageId } = await taskFromCommand("Delivered twice");
    const first = (await h.notion.setStatus(pageId, "Done"))!;
    await h.settle();
    const again = await h.notion.webhooks.redeliver(first);
    const replayed = await h.notion.webhooks.replay(first);
    await h.settle();
    expect([again.status, replayed.status]).toEqual([200, 401]);
    expect(dmsTo(SLACK_SEED.alice)).toHaveLength(1);
    expect(requestLines().slice(-2).map((line) => line.outcome)).toEqual(["duplicate", "replayed"]);
  });

  it("refuses a forged signature and a stale event with 401, and does nothing", async () => {
    await start();
    const { pageId } = await taskFromCommand("Forged");
    h.notion.webhooks.hold = true;
    await h.notion.setStatus(pageId, "Done");
    const event = h.notion.webhooks.held[0]!;
    const forged = await h.notion.webhooks.deliver(event, { signWith: "secret_someone_else_entirely_0000" });
    const stale = await h.notion.webhooks.deliver({ ...event, id: "3b5f0f2e-1111-4c1d-9f00-000000000001", timestamp: new Date(Date.now() - 4 * 86_400_000).toISOString() });
    await h.settle();
    expect([forged.status, stale.status]).toEqual([401, 401]);
    expect(requestLines().slice(-2).map((line) => line.outcome)).toEqual(["signature_mismatch", "stale_event"]);
    expect(dmsTo(SLACK_SEED.alice)).toHaveLength(0);
  });

  it("refuses an unsigned request that is not the handshake", async () => {
    await start();
    const response = await fetch(h.notionWebhooksUrl, { method: "POST", body: JSON.stringify({ id: "x", type: "page.properties_updated" }) });
    expect(response.status).toBe(401);
  });

  it("comes to one message, about where the task is now, when events arrive out of order", async () => {
    await start();
    const { pageId } = await taskFromCommand("Out of order");
    h.notion.webhooks.hold = true;
    await h.notion.setStatus(pageId, "In progress");
    await h.notion.setStatus(pageId, "Done");
    await h.notion.webhooks.release("reversed");
    await h.settle();
    const dms = dmsTo(SLACK_SEED.alice);
    expect(dms.map((dm) => dm.text)).toEqual(["Your task Out of order is now Done, moved by Nora Notion in Notion."]);
  });

  it("tells of a person's move that Notion merged with the bot's own write into one event (authors [bot, person])", async () => {
    await start();
    const { pageId, responseUrl } = await taskFromCommand("Merged change");
    h.notion.webhooks.hold = true;
    // Alice presses Start in Slack (the bot writes In progress), then Nora sets Done in Notion, close together.
    await h.interact(clickEphemeralButton(confirmationFor(responseUrl), START_TASK_ACTION, { user: SLACK_SEED.alice, triggerId: h.slack.triggerId(SLACK_SEED.alice), responseUrl: h.slack.responseUrl() }));
    await h.settle();
    await h.notion.setStatus(pageId, "Done");
    const [merged] = await h.notion.webhooks.release("aggregated");
    await h.settle();
    expect((merged!.event!.authors as { type: string }[]).map((author) => author.type)).toEqual(["bot", "person"]);
    expect(dmsTo(SLACK_SEED.alice).map((dm) => dm.text)).toEqual(["Your task Merged change is now Done, moved by Nora Notion in Notion."]);
    expect(logLines().filter((line) => line.event === "task_status.event").map((line) => line.outcome)).toEqual(["told"]);
  });

  it("tells of a move by another integration or an automation, alone or merged with the bot's write, naming nobody", async () => {
    await start();
    const automation = { id: "5a1e7c3d-0b2f-4e6a-9c8d-7f1e2d3c4b5a", type: "bot" as const };
    const { pageId: alone } = await taskFromCommand("Moved by an automation");
    await h.notion.setStatus(alone, "In progress", { by: automation });
    await h.settle();
    const { pageId: merged, responseUrl } = await taskFromCommand("Merged with an automation");
    h.notion.webhooks.hold = true;
    await h.interact(clickEphemeralButton(confirmationFor(responseUrl), START_TASK_ACTION, { user: SLACK_SEED.alice, triggerId: h.slack.triggerId(SLACK_SEED.alice), responseUrl: h.slack.responseUrl() }));
    await h.settle();
    await h.notion.setStatus(merged, "Done", { by: automation });
    await h.notion.webhooks.release("aggregated");
    await h.settle();
    expect(dmsTo(SLACK_SEED.alice).map((dm) => dm.text)).toEqual(["Your task Moved by an automation is now In progress.", "Your task Merged with an automation is now Done."]);
  });

  it("says nothing of the bot's own write: alone in an event it is own_change; merged with a person's edit, the task is where the requester last heard", async () => {
    await start();
    const { pageId, responseUrl } = await taskFromCommand("Own write");
    h.notion.webhooks.hold = true;
    // Nora edits the task in Notion (here: sets the status it already has), then Alice presses Done in Slack.
    await h.notion.setStatus(pageId, "Not started");
    await h.interact(clickEphemeralButton(confirmationFor(responseUrl), COMPLETE_TASK_ACTION, { user: SLACK_SEED.alice, triggerId: h.slack.triggerId(SLACK_SEED.alice), responseUrl: h.slack.responseUrl() }));
    await h.settle();
    await h.notion.webhooks.release("aggregated");
    await h.settle();
    await h.notion.setStatus(pageId, "Done", { by: "bot" });
    await h.settle();
    expect(dmsTo(SLACK_SEED.alice)).toHaveLength(0);
    expect(logLines().filter((line) => line.event === "task_status.event").map((line) => line.outcome)).toEqual(["unchanged", "own_change"]);
  });

  it("says nothing for a change within the same group, another property, or a page that is not the bot's", async () => {
    await start();
    const { pageId } = await taskFromCommand("Quiet changes");
    await h.notion.setStatus(pageId, "Not started");
    await h.settle();
    h.notion.webhooks.hold = true;
    await h.notion.setStatus(pageId, "Done");
    const held = h.notion.webhooks.held.splice(0)[0]!;
    h.notion.webhooks.hold = false;
    const otherProperty = await h.notion.webhooks.deliver({ ...held, data: { ...(held.data as object), updated_properties: ["zzzz"] } });
    // Each event's work runs after its answer: settled before the next, so the log's order is the events' order.
    await h.settle();
    const someone = h.notion.addPage(h.board.dataSourceId, { Name: { title: [{ text: { content: "Made in Notion" } }] } });
    await h.notion.setStatus(someone.id, "Done");
    await h.settle();
    expect(otherProperty.status).toBe(200);
    expect(dmsTo(SLACK_SEED.alice)).toHaveLength(0);
    const outcomes = logLines().filter((line) => line.event === "task_status.event").map((line) => line.outcome);
    expect(outcomes).toEqual(["unchanged", "other_property", "not_a_bot_task"]);
  });

  it("answers 200 and posts nothing for a trashed task, an unknown event type, or a page it cannot read", async () => {
    await start({ notionWebhooks: { eventTypes: ["page.properties_updated", "page.locked"] } });
    const { pageId } = await taskFromCommand("Trashed before the event");
    h.notion.webhooks.hold = true;
    await h.notion.setStatus(pageId, "Done");
    const event = h.notion.webhooks.held.splice(0)[0]!;
    h.notion.webhooks.hold = false;
    await notionApi(`/v1/pages/${pageId}`, { in_trash: true });
    const trashed = await h.notion.webhooks.deliver(event);
    // Each delivery's work (after its 200) is over before the page changes again.
    await h.settle();
    const unknown = await h.notion.webhooks.deliver({ ...event, id: "3b5f0f2e-1111-4c1d-9f00-000000000002", type: "page.locked" });
    await h.settle();
    h.notion.fail("pages.retrieve", { kind: "error", status: 404, code: "object_not_found" });
    await notionApi(`/v1/pages/${pageId}`, { in_trash: false });
    const unreadable = await h.notion.webhooks.deliver({ ...event, id: "3b5f0f2e-1111-4c1d-9f00-000000000003" });
    await h.settle();
    expect([trashed.status, unknown.status, unreadable.status]).toEqual([200, 200, 200]);
    expect(dmsTo(SLACK_SEED.alice)).toHaveLength(0);
    expect(requestLines().find((line) => line.callback_id === "page.locked")?.outcome).toBe("ignored");
    expect(logLines().filter((line) => line.event === "task_status.event").map((line) => line.outcome)).toEqual(["trashed", "not_found"]);
  });

  it("falls back to a direct message when the thread's conversation refuses the post, and logs, never a 5xx, when both do", async () => {
    await start();
    const { pageId } = await taskFromShortcut("Thread gone");
    h.slack.fail("chat.postMessage", { kind: "error", error: "channel_not_found" });
    await h.notion.setStatus(pageId, "In progress");
    await h.settle();
    expect(dmsTo(SLACK_SEED.alice).map((dm) => dm.text)).toEqual(["Your task Thread gone is now In progress, moved by Nora Notion in Notion."]);

    h.slack.fail("chat.postMessage", { kind: "error", error: "not_in_channel" }, { times: 2 });
    const delivery = await h.notion.setStatus(pageId, "Done");
    await h.settle();
    expect(delivery?.status).toBe(200);
    expect(h.slack.callsTo("chat.postMessage").length).toBe(4);
    expect(logLines().find((line) => line.event === "task_status.not_delivered")).toMatchObject({ error_code: "not_in_channel" });
  });

  it("sends no direct message after a thread post Slack's edge answered 502, since the post may have landed there", async () => {
    await start();
    const { pageId, message } = await taskFromShortcut("Edge gave up");
    h.slack.fail("chat.postMessage", { kind: "http", status: 502, commitFirst: true });
    await h.notion.setStatus(pageId, "In progress");
    await h.settle();
    expect(h.slack.messages.filter((posted) => posted.kind === "message" && posted.thread_ts === message.ts)).toHaveLength(1);
    expect(dmsTo(SLACK_SEED.alice)).toHaveLength(0);
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(1);
  });
});

/** A direct call to the Notion emulator's API, as a person's edit in Notion would be. */
async function notionApi(path: string, body: object): Promise<void> {
  const response = await fetch(`${h.notion.url}${path}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${TEST_NOTION_TOKEN}`, "notion-version": "2025-09-03", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

describe("the status buttons", () => {
  it("put Start and Done on the confirmation; Done sets the board's complete option and redraws it in place, quietly", async () => {
    await start();
    const { pageId, responseUrl } = await taskFromCommand("Press Done");
    const confirmation = confirmationFor(responseUrl);
    expect(JSON.stringify(confirmation.blocks)).toContain(START_TASK_ACTION);
    const redrawUrl = h.slack.responseUrl();
    await h.interact(clickEphemeralButton(confirmation, COMPLETE_TASK_ACTION, { user: SLACK_SEED.alice, triggerId: h.slack.triggerId(SLACK_SEED.alice), responseUrl: redrawUrl }));
    await h.settle();
    expect(statusOf(pageId)).toBe("Done");
    const redrawn = h.slack.responses.find((response) => response.url === redrawUrl)!.body;
    expect(redrawn).toMatchObject({ replace_original: true });
    expect(JSON.stringify(redrawn.blocks)).toContain("Status: *Done*, moved by <@U0ALICE>");
    expect(JSON.stringify(redrawn.blocks)).not.toContain(COMPLETE_TASK_ACTION);
    // Alice moved her own task: nobody is told, and Notion's event about the bot's write says nothing.
    expect(dmsTo(SLACK_SEED.alice)).toHaveLength(0);
    expect(logLines().find((line) => line.event === "task_status.event")?.outcome).toBe("own_change");
    expect((await readTaskRecord(h.store, pageId))?.value.group).toBe("complete");
  });

  it("makes one change on a double click", async () => {
    await start();
    const { pageId, responseUrl } = await taskFromCommand("Double click");
    const confirmation = confirmationFor(responseUrl);
    const click = () => h.interact(clickEphemeralButton(confirmation, COMPLETE_TASK_ACTION, { user: SLACK_SEED.alice, triggerId: h.slack.triggerId(SLACK_SEED.alice), responseUrl: h.slack.responseUrl() }));
    await Promise.all([click(), click()]);
    await h.settle();
    await click();
    await h.settle();
    expect(h.notion.requestsTo("pages.update")).toHaveLength(1);
    expect(statusOf(pageId)).toBe("Done");
  });

  it("keep the status line on every redraw of a second Done press: raced, or after the move, on the same message or another", async () => {
    await start({ env: { SLACK_TASKS_CHANNEL_ID: SLACK_SEED.general } });
    const { pageId, responseUrl } = await taskFromCommand("Pressed twice");
    const confirmation = confirmationFor(responseUrl);
    const announcement = h.slack.messages.find((message) => message.channel === SLACK_SEED.general && message.text.includes("Pressed twice")) as PostedMessage;
    const redraws: string[] = [];
    const press = (message: "confirmation" | "announcement", user: string) => {
      const url = h.slack.responseUrl();
      redraws.push(url);
      const options = { user, triggerId: h.slack.triggerId(user), responseUrl: url };
      return h.interact(message === "confirmation" ? clickEphemeralButton(confirmation, COMPLETE_TASK_ACTION, options) : clickButton(announcement, COMPLETE_TASK_ACTION, options));
    };
    // A double click races on one reading of the page; a third press comes on the same (old) message after the move.
    await Promise.all([press("confirmation", SLACK_SEED.alice), press("confirmation", SLACK_SEED.alice)]);
    await h.settle();
    await press("confirmation", SLACK_SEED.alice);
    await h.settle();
    // Bob presses Done on the announcement, which still shows it.
    await press("announcement", SLACK_SEED.bob);
    await h.settle();
    expect(h.notion.requestsTo("pages.update")).toHaveLength(1);
    expect(statusOf(pageId)).toBe("Done");
    const bodies = redraws.map((url) => h.slack.responses.find((response) => response.url === url)?.body);
    expect(bodies.map((body) => body?.replace_original)).toEqual([true, true, true, true]);
    for (const body of bodies) {
      expect(JSON.stringify(body?.blocks)).toContain("Status: *Done*");
      expect(JSON.stringify(body?.blocks)).not.toContain(COMPLETE_TASK_ACTION);
    }
    // Who moved it is said where it is known: by the click that moved it.
    expect(bodies.filter((body) => JSON.stringify(body?.blocks).includes(`Status: *Done*, moved by <@${SLACK_SEED.alice}>`)).length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(bodies[3]!.blocks)).toContain(`<@${SLACK_SEED.alice}> asked for`);
  });

  it("tell the requester when someone else presses Start on the announcement, and redraw it for the channel", async () => {
    await start({ env: { SLACK_TASKS_CHANNEL_ID: SLACK_SEED.general } });
    const { pageId } = await taskFromCommand("Announced task");
    const announcement = h.slack.messages.find((message) => message.channel === SLACK_SEED.general && message.text.includes("Announced task")) as PostedMessage;
    const redrawUrl = h.slack.responseUrl();
    await h.interact(clickButton(announcement, START_TASK_ACTION, { user: SLACK_SEED.bob, triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: redrawUrl }));
    await h.settle();
    expect(statusOf(pageId)).toBe("In progress");
    expect(dmsTo(SLACK_SEED.alice).map((dm) => dm.text)).toEqual([`Your task Announced task is now In progress, moved by <@${SLACK_SEED.bob}>.`]);
    const redrawn = h.slack.responses.find((response) => response.url === redrawUrl)!.body;
    expect(redrawn.response_type).toBeUndefined();
    expect(JSON.stringify(redrawn.blocks)).toContain(`<@${SLACK_SEED.alice}> asked for`);
    expect(JSON.stringify(redrawn.blocks)).toContain(COMPLETE_TASK_ACTION);
  });

  it("answer with what happened when the task was trashed in Notion, and change nothing", async () => {
    await start();
    const { pageId, responseUrl } = await taskFromCommand("Trashed, then pressed");
    await notionApi(`/v1/pages/${pageId}`, { in_trash: true });
    const answerUrl = h.slack.responseUrl();
    await h.interact(clickEphemeralButton(confirmationFor(responseUrl), COMPLETE_TASK_ACTION, { user: SLACK_SEED.alice, triggerId: h.slack.triggerId(SLACK_SEED.alice), responseUrl: answerUrl }));
    await h.settle();
    expect(h.notion.requestsTo("pages.update").filter((request) => JSON.stringify(request.body).includes("Status"))).toHaveLength(0);
    expect(String(h.slack.responses.find((response) => response.url === answerUrl)?.body.text)).toMatch(/moved to the trash in Notion/);
  });

  it("are refused politely for a guest from outside the allowed workspaces (a Slack Connect channel)", async () => {
    await start({ env: { SLACK_ALLOWED_TEAM_IDS: SLACK_SEED.teamId } });
    const { pageId, responseUrl } = await taskFromCommand("Outsider");
    const answerUrl = h.slack.responseUrl();
    const click = clickEphemeralButton(confirmationFor(responseUrl), COMPLETE_TASK_ACTION, { user: SLACK_SEED.bob, triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: answerUrl });
    await h.interact({ ...click, user: { id: "U0GUEST", username: "gina", name: "gina", team_id: "T0OTHER" } });
    await h.settle();
    expect(statusOf(pageId)).toBe("Not started");
    expect(h.slack.responses.find((response) => response.url === answerUrl)?.body.text).toBe(OUTSIDER);
  });
});

describe("the status buttons on the Home tab", () => {
  it("show under each of the person's tasks; Done moves it and publishes the tab again, without it", async () => {
    await start();
    const { pageId } = await taskFromCommand("Finish from Home");
    await h.event(eventCallback(appHomeOpened({ user: SLACK_SEED.alice })));
    await h.settle();
    const home = h.slack.homeView(SLACK_SEED.alice)!;
    expect(JSON.stringify(home.view.blocks)).toContain(START_TASK_ACTION);
    const published = h.slack.callsTo("views.publish").length;
    await h.interact(clickHomeButton(home, COMPLETE_TASK_ACTION, { triggerId: h.slack.triggerId(SLACK_SEED.alice) }));
    await h.settle();
    expect(statusOf(pageId)).toBe("Done");
    expect(h.slack.callsTo("views.publish")).toHaveLength(published + 1);
    expect(JSON.stringify(h.slack.homeView(SLACK_SEED.alice)!.view.blocks)).not.toContain("Finish from Home");
    // Her own move: nobody is told, and nothing is posted where there is no message to redraw.
    expect(dmsTo(SLACK_SEED.alice)).toHaveLength(0);
  });
});

describe("the hourly sync", () => {
  it("announces, once, a change no event delivered", async () => {
    await start({ notionWebhooks: false });
    const { pageId } = await taskFromCommand("Event lost");
    await h.notion.setStatus(pageId, "Done");
    const first = await h.runTaskSync();
    await h.settle();
    const second = await h.runTaskSync();
    await h.settle();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.json).toMatchObject({ outcome: "synced", told: 1 });
    expect(second.json).toMatchObject({ outcome: "synced", told: 0 });
    expect(dmsTo(SLACK_SEED.alice).map((dm) => dm.text)).toEqual(["Your task Event lost is now Done."]);
  });

  it("stays quiet about a change an event already announced", async () => {
    await start();
    const { pageId } = await taskFromCommand("Announced by the event");
    await h.notion.setStatus(pageId, "Done");
    await h.settle();
    expect((await h.runTaskSync()).json).toMatchObject({ told: 0 });
    expect(dmsTo(SLACK_SEED.alice)).toHaveLength(1);
  });
});

describe("the receiver's answers to bad requests", () => {
  it("answers 405 to a GET and 413 to a body far bigger than an event", async () => {
    await start();
    expect((await fetch(h.notionWebhooksUrl)).status).toBe(405);
    const body = JSON.stringify({ filler: "x".repeat(300_000) });
    const response = await fetch(h.notionWebhooksUrl, { method: "POST", headers: { "x-notion-signature": signNotionBody(TEST_NOTION_WEBHOOK_SECRET, body) }, body });
    expect(response.status).toBe(413);
  });
});
