import { afterEach, describe, expect, it } from "vitest";
import { CREATE_TASK_FROM_REMINDER_ACTION } from "../../src/features/process-reminder/reminder-message.js";
import { FAULTED_TIMEOUT_MS, startHarness, type Harness, type HarnessOptions } from "../../dev/harness.js";
import { signedRequest } from "../../dev/signed-request.js";
import { virtualClock } from "../../dev/virtual-clock.js";
import { createSlackInteractionsHandler } from "../../src/handlers.js";
import { imChannelIdFor, SLACK_SEED, type OpenedView, type PostedMessage } from "../../dev/slack-emulator.js";
import { blockActions, botMessage, clickButton, findButton, interactionBody, messageAction, messageTs, slackMessage } from "../../dev/slack-payloads.js";

let h: Harness;
afterEach(async () => h?.close());

async function start(options: HarnessOptions = {}) {
  h = await startHarness(options);
  return h;
}

/** Uses a message shortcut as `user` (Bob by default) and waits for the deferred work. */
async function shortcut(callbackId: string, fields: { user?: string; channel?: { id: string; name: string }; message?: Record<string, unknown> } = {}) {
  const user = fields.user ?? SLACK_SEED.bob;
  const responseUrl = h.slack.responseUrl();
  const answer = await h.interact(messageAction({ callbackId, ...fields, user, triggerId: h.slack.triggerId(user), responseUrl }));
  await h.settle();
  const responses = h.slack.responses.filter((response) => response.url === responseUrl).map((response) => response.body);
  return { answer, responses };
}

const remind = (fields: Parameters<typeof shortcut>[1] = {}) => shortcut("remind_process", fields);

/** The reminders the bot posted (not ephemeral answers). */
function reminders(): PostedMessage[] {
  return h.slack.messages.filter((message) => message.kind === "message");
}

function inputValue(view: OpenedView, block: string): string | undefined {
  const blocks = view.view.blocks as { block_id?: string; element?: { initial_value?: string } }[];
  return blocks.find((b) => b.block_id === block)?.element?.initial_value;
}

/** The modal's private_metadata: the task form's context (features/task-request/modal.ts) and Slack's answer roads. */
function metadataOf(view: OpenedView): Record<string, unknown> {
  return JSON.parse(view.view.private_metadata as string) as Record<string, unknown>;
}

function richTextOf(page: { properties: Record<string, unknown> } | undefined, name: string): string {
  const property = page?.properties[name] as { rich_text?: { plain_text: string }[]; title?: { plain_text: string }[] } | undefined;
  return (property?.rich_text ?? property?.title ?? []).map((item) => item.plain_text).join("");
}

function permalinkOf(channel: string, ts: string, threadTs?: string): string {
  const thread = threadTs ? `?thread_ts=${threadTs}&cid=${channel}` : "";
  return `https://${SLACK_SEED.teamDomain}.slack.com/archives/${channel}/p${ts.replace(".", "")}${thread}`;
}

describe("Remind of process: the reply", () => {
  it("replies in a new thread under the message, mentioning its author (not the clicker), with the default text and the button", async () => {
    await start();
    const message = slackMessage({ user: SLACK_SEED.alice, text: "Can someone fix the login page?" });
    const { answer, responses } = await remind({ user: SLACK_SEED.bob, message });

    expect(answer.status).toBe(200);
    expect(answer.text).toBe("");
    expect(reminders()).toHaveLength(1);
    const reply = reminders()[0]!;
    expect(reply.channel).toBe(SLACK_SEED.general);
    expect(reply.thread_ts).toBe(message.ts);
    expect(reply.text).toMatch(/^Hi <@U0ALICE> :wave: /);
    expect(reply.text).not.toContain("U0BOB");
    expect(reply.text).toContain("Requests made in chat tend to get lost");
    expect(reply.text).toContain("`/task`");
    expect(reply.text).toContain("30 seconds");
    // The board's own Notion URL, read from the data source.
    expect(reply.text).toMatch(/<https:\/\/www\.notion\.so\/\S+\|Notion board>/);
    const button = findButton(reply, CREATE_TASK_FROM_REMINDER_ACTION);
    expect(button.text.text).toBe("Create task from this message");
    expect(button.value!.length).toBeLessThanOrEqual(2000);
    // A success needs no ephemeral answer: the reply is the outcome.
    expect(responses).toEqual([]);
  });

  it("acknowledges with an empty 200 before posting, even when Slack is slow", async () => {
    await start();
    h.slack.latencyMs = 300;
    const responseUrl = h.slack.responseUrl();
    const answer = await h.interact(messageAction({ callbackId: "remind_process", triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl }));
    expect(answer.status).toBe(200);
    // At the answer, Slack had not even been asked: nothing on the way to it waited for Slack.
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(0);
    expect(reminders()).toHaveLength(0);
    await h.settle();
    expect(reminders()).toHaveLength(1);
  });

  it("replies inside the thread when the message is itself a reply", async () => {
    await start();
    const parent = messageTs();
    const message = slackMessage({ thread_ts: parent, text: "Also, could someone update the docs?" });
    await remind({ message });
    expect(reminders()[0]).toMatchObject({ channel: SLACK_SEED.general, thread_ts: parent });
    expect(reminders()[0]!.text).toContain("<@U0ALICE>");
  });

  it("mentions no one under a bot's message", async () => {
    await start();
    await remind({ message: botMessage() });
    const reply = reminders()[0]!;
    expect(reply.text).not.toMatch(/<@/);
    expect(reply.text).toMatch(/^Hi team :wave: /);
    expect(JSON.parse(findButton(reply, CREATE_TASK_FROM_REMINDER_ACTION).value!)).not.toHaveProperty("a");
  });

  it("mentions no one under a system message, though Slack names the person it is about", async () => {
    await start();
    await remind({ message: slackMessage({ subtype: "channel_join", user: SLACK_SEED.alice, text: "<@U0ALICE> has joined the channel" }) });
    expect(reminders()[0]!.text).not.toMatch(/<@/);
  });

  it("uses PROCESS_REMINDER_TEXT, fills its placeholders, keeps its links and never broadcasts", async () => {
    await start({ env: { PROCESS_REMINDER_TEXT: "<!channel> {author}: Q&A <https://wiki.example/process|our process> says use {command} & <b>" } });
    await remind();
    expect(reminders()[0]!.text).toBe("&lt;!channel&gt; <@U0ALICE>: Q&amp;A <https://wiki.example/process|our process> says use /task &amp; &lt;b&gt;");
  });

  it("replies in a group DM the bot is part of", async () => {
    await start();
    h.slack.addChannel({ id: "G0MPIMWITHBOT", name: "mpdm-alice--bob--chatops-1", isMember: true, isPrivate: true });
    const message = slackMessage();
    await remind({ channel: { id: "G0MPIMWITHBOT", name: "mpdm-alice--bob--chatops-1" }, message });
    expect(reminders()[0]).toMatchObject({ channel: "G0MPIMWITHBOT", thread_ts: message.ts });
  });
});

describe("Remind of process: when the reply cannot be posted", () => {
  it("tells the clicker how to invite the bot when it is not in the channel", async () => {
    await start();
    const { answer, responses } = await remind({ channel: { id: SLACK_SEED.random, name: "random" } });
    expect(answer.status).toBe(200);
    expect(reminders()).toHaveLength(0);
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({ response_type: "ephemeral", replace_original: false });
    const text = String(responses[0]!.text);
    expect(text).toContain("I'm not a member of <#C0RANDOM>");
    expect(text).toContain("/invite @");
    expect(text).toContain("Can someone look at the login page?");
  });

  it("tells the clicker to add the bot to a private channel it cannot see", async () => {
    await start();
    const { responses } = await remind({ channel: { id: SLACK_SEED.secret, name: "secret" } });
    expect(reminders()).toHaveLength(0);
    expect(String(responses[0]?.text)).toMatch(/private channel I'm not in.*\/invite @/s);
  });

  it("explains a direct message between other people, and offers Create task instead", async () => {
    await start();
    // Slack answers channel_not_found for a DM the bot is not part of; the emulator cannot tell whose DM it is.
    h.slack.fail("chat.postMessage", { kind: "error", error: "channel_not_found" });
    const { responses } = await remind({ channel: { id: "D0ALICEBOB", name: "directmessage" } });
    expect(h.slack.callsTo("chat.postMessage")[0]?.args).toMatchObject({ channel: "D0ALICEBOB" });
    expect(String(responses[0]?.text)).toMatch(/direct message between other people.*\*Create task\* shortcut/s);
  });

  it("explains a group DM the bot is not part of", async () => {
    await start();
    h.slack.addChannel({ id: "G0MPIM", name: "mpdm-alice--bob-1", isMember: false, isPrivate: true });
    const { responses } = await remind({ channel: { id: "G0MPIM", name: "mpdm-alice--bob-1" } });
    expect(reminders()).toHaveLength(0);
    expect(String(responses[0]?.text)).toMatch(/not part of this group message/);
  });

  it("says when Slack rate-limits the post, and lets the clicker try again", async () => {
    await start();
    h.slack.fail("chat.postMessage", { kind: "rate_limited", retryAfterSeconds: 30 });
    const message = slackMessage();
    const first = await remind({ message });
    expect(reminders()).toHaveLength(0);
    expect(String(first.responses[0]?.text)).toMatch(/rate-limiting me right now.*try again in 30 seconds/);
    // The failed attempt does not count as a reminder sent.
    await remind({ message });
    expect(reminders()).toHaveLength(1);
  });

  it("waits out a Retry-After that ends within the claim's lease, and posts once without a word to the clicker", async () => {
    const clock = virtualClock(Date.now());
    await start({ now: clock.now, sleep: clock.sleep, slackNow: clock.now });
    h.slack.rateLimit("chat.postMessage", 5);
    const { responses } = await remind();
    expect(reminders()).toHaveLength(1);
    expect(responses).toEqual([]);
    expect(clock.sleeps).toEqual([5_000]);
  });

  it("does not post again after a 502 from Slack's edge, which may follow a post that landed, and says to check the thread", async () => {
    await start();
    h.slack.fail("chat.postMessage", { kind: "http", status: 502, commitFirst: true });
    const { responses } = await remind();
    expect(reminders()).toHaveLength(1);
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(1);
    expect(String(responses[0]?.text)).toMatch(/Slack had a problem .* so it may not have been posted\. Check the thread/);
  });

  it("passes on any other refusal with Slack's code", async () => {
    await start();
    h.slack.fail("chat.postMessage", { kind: "error", error: "restricted_action" });
    const { responses } = await remind();
    expect(String(responses[0]?.text)).toContain("Slack refused the reminder about “Can someone look at the login page? It's broken on Safari.” (`restricted_action`)");
  });

  it("says the post may not have landed when Slack does not answer in time", async () => {
    await start({ slackTimeoutMs: FAULTED_TIMEOUT_MS });
    h.slack.fail("chat.postMessage", { kind: "hang" });
    const { responses } = await remind();
    expect(String(responses[0]?.text)).toMatch(/didn't answer in time.*may not have been posted\. Check the thread/);
  });

  it("tells the clicker in a direct message when even the response_url fails, and logs both failures", async () => {
    await start();
    h.slack.fail("response_url", { kind: "http", status: 404 });
    await remind({ user: SLACK_SEED.bob, channel: { id: SLACK_SEED.random, name: "random" } });
    const lines = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ event: "reminder.post_failed", error_code: "not_in_channel" }));
    expect(lines).toContainEqual(expect.objectContaining({ event: "answer.fallback", via: "response_url", error_code: "http_error" }));
    const dm = h.slack.messages.find((message) => message.kind === "message" && message.channel === imChannelIdFor(SLACK_SEED.bob));
    expect(dm?.text).toMatch(/I'm not a member of/);
  });

  it("escapes what it quotes from the message", async () => {
    await start();
    const text = "<!channel> <@U0BOB> see <https://evil.example|this> &lt;script&gt; &amp; more";
    const { responses } = await remind({ channel: { id: SLACK_SEED.random, name: "random" }, message: slackMessage({ text }) });
    const answer = String(responses[0]?.text);
    expect(answer).toContain("“@channel @U0BOB see this (https://evil.example) &lt;script&gt; &amp; more”");
    expect(answer).not.toMatch(/<!channel>|<@U0BOB>|<https:\/\/evil/);
  });
});

describe("Remind of process: once per message", () => {
  it("does not post the same nudge twice, however much later, tells the clicker when it was, and nudges about another message", async () => {
    let clock = Date.parse("2026-11-23T09:00:00Z");
    await start({ now: () => clock });
    const message = slackMessage();
    await remind({ message });
    expect(reminders()).toHaveLength(1);

    clock += 20 * 60_000;
    const second = await remind({ message, user: SLACK_SEED.alice });
    expect(second.answer.status).toBe(200);
    expect(reminders()).toHaveLength(1);
    expect(second.responses).toHaveLength(1);
    expect(second.responses[0]).toMatchObject({ response_type: "ephemeral" });
    expect(String(second.responses[0]!.text)).toMatch(/already posted this reminder about “Can someone look at the login page\?.*” 20 minutes ago, so I didn't post it again/);

    // Another message in the same channel is its own nudge.
    await remind({ message: slackMessage({ ts: "1760000500.000200" }) });
    expect(reminders()).toHaveLength(2);

    clock += 3 * 86_400_000;
    await remind({ message });
    expect(reminders()).toHaveLength(2);
  });

  it("catches a second click that lands on another instance: the store, not the instance, remembers", async () => {
    await start();
    const message = slackMessage();
    await remind({ message });
    const other = createSlackInteractionsHandler({ env: h.env, blobs: h.blobs.connection, sleep: async () => {}, logSink: () => {} });
    const responseUrl = h.slack.responseUrl();
    const payload = messageAction({ callbackId: "remind_process", user: SLACK_SEED.alice, message, triggerId: h.slack.triggerId(SLACK_SEED.alice), responseUrl });
    const pending: Promise<unknown>[] = [];
    await other(signedRequest(interactionBody(payload)), { waitUntil: (promise) => void pending.push(promise) });
    await Promise.all(pending);
    expect(reminders()).toHaveLength(1);
    expect(String(h.slack.responses.find((response) => response.url === responseUrl)?.body.text)).toMatch(/already posted this reminder/);
  });

  it("falls back to this instance's memory of the last hour when the store cannot be reached, and says so in the log", async () => {
    await start();
    h.blobs.fail({ kind: "status", status: 503 }, { times: Infinity });
    const message = slackMessage();
    await remind({ message });
    await remind({ message, user: SLACK_SEED.alice });
    expect(reminders()).toHaveLength(1);
    expect(h.logs.join("\n")).toMatch(/"event":"store.unavailable".*"fallback":"instance_memory"/);
  });

  it("counts two quick clicks as one nudge", async () => {
    await start();
    const message = slackMessage();
    const [first, second] = await Promise.all(
      [SLACK_SEED.alice, SLACK_SEED.bob].map((user) =>
        h.interact(messageAction({ callbackId: "remind_process", user, message, triggerId: h.slack.triggerId(user), responseUrl: h.slack.responseUrl() })),
      ),
    );
    await h.settle();
    expect([first!.status, second!.status]).toEqual([200, 200]);
    expect(reminders()).toHaveLength(1);
    expect(h.slack.responses).toHaveLength(1);
  });
});

describe("The reminder's button", () => {
  const text = "Fix the login page on Safari\nIt shows a blank screen after the password step.\n\nSteps: open, log in.";

  /** Posts a reminder under Alice's message and returns it with the original message. */
  async function reminderFor(message = slackMessage({ user: SLACK_SEED.alice, text })) {
    await remind({ message });
    return { reply: reminders().at(-1)!, message };
  }

  async function click(reply: PostedMessage, user: string) {
    const responseUrl = h.slack.responseUrl();
    const answer = await h.interact(clickButton(reply, CREATE_TASK_FROM_REMINDER_ACTION, { user, triggerId: h.slack.triggerId(user), responseUrl }));
    await h.settle();
    return { answer, responseUrl, view: h.slack.views.at(-1) };
  }

  it("opens the prefilled modal for whoever clicks, with the message's permalink and author in its metadata", async () => {
    await start();
    const { reply, message } = await reminderFor();
    const { answer, view } = await click(reply, SLACK_SEED.bob);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("");
    expect(view?.user).toBe(SLACK_SEED.bob);
    expect(inputValue(view!, "title")).toBe("Fix the login page on Safari");
    expect(inputValue(view!, "description")).toBe(text);
    expect(h.slack.callsTo("chat.getPermalink")[0]?.args).toMatchObject({ channel: SLACK_SEED.general, message_ts: message.ts });
    expect(metadataOf(view!)).toMatchObject({
      channelId: SLACK_SEED.general,
      link: permalinkOf(SLACK_SEED.general, message.ts as string),
      authorId: SLACK_SEED.alice,
      authorName: "alice",
    });
    // views.open came first; the permalink followed into the open modal.
    const methods = h.slack.calls.map((call) => call.method);
    expect(methods.indexOf("views.open")).toBeLessThan(methods.indexOf("chat.getPermalink"));
  });

  it("saves the clicker as requester, the author beside them, and the permalink as the Slack link", async () => {
    await start();
    const { reply, message } = await reminderFor();
    const { view } = await click(reply, SLACK_SEED.bob);
    await h.submitTaskModal(view!, { title: "Fix the login page on Safari", description: text }, SLACK_SEED.bob);
    await h.settle();
    const page = h.notion.pages(h.board.dataSourceId)[0]!;
    expect(richTextOf(page, "Requested by")).toBe("bob (U0BOB), from a message by alice (U0ALICE)");
    expect(page.properties["Slack link"]).toMatchObject({ url: permalinkOf(SLACK_SEED.general, message.ts as string) });
  });

  it("on a board without Request ID, a page whose answer Notion's edge lost (HTML 504) is found and confirmed, and a second press makes no second page", async () => {
    await start({ schema: { "Request ID": null } });
    const { reply } = await reminderFor();
    const { view } = await click(reply, SLACK_SEED.bob);
    h.notion.fail("pages.create", { kind: "http", status: 504, commitFirst: true });
    const answer = await h.submitTaskModal(view!, { title: "Fix the login page on Safari", description: text }, SLACK_SEED.bob);
    expect(answer.json).toEqual({ response_action: "clear" });
    await h.settle();
    await h.submitTaskModal(view!, { title: "Fix the login page on Safari", description: text }, SLACK_SEED.bob);
    await h.settle();
    const pages = h.notion.pages(h.board.dataSourceId);
    expect(pages).toHaveLength(1);
    const told = [...h.slack.messages.map((m) => m.text), ...h.slack.responses.map((r) => JSON.stringify(r.body))];
    expect(told.some((said) => said.includes(pages[0]!.url))).toBe(true);
  });

  it("makes the author the requester when the author clicks", async () => {
    await start();
    const { reply } = await reminderFor();
    const { view } = await click(reply, SLACK_SEED.alice);
    expect(view?.user).toBe(SLACK_SEED.alice);
    await h.submitTaskModal(view!, { title: "Fix the login page on Safari" }, SLACK_SEED.alice);
    await h.settle();
    expect(richTextOf(h.notion.pages(h.board.dataSourceId)[0], "Requested by")).toBe("alice (U0ALICE)");
  });

  it("prefills from a bounded excerpt when the message is too long for the button, and links to the whole message", async () => {
    await start();
    const long = `Please migrate the billing service\n${"The old cron jobs \"must\" move too.\n".repeat(200)}`;
    const { reply, message } = await reminderFor(slackMessage({ text: long }));
    expect(findButton(reply, CREATE_TASK_FROM_REMINDER_ACTION).value!.length).toBeLessThanOrEqual(2000);
    const { view } = await click(reply, SLACK_SEED.bob);
    const description = inputValue(view!, "description")!;
    expect(inputValue(view!, "title")).toBe("Please migrate the billing service");
    expect(long.startsWith(description.slice(0, -1))).toBe(true);
    expect(description.endsWith("…")).toBe(true);
    expect(metadataOf(view!).link).toBe(permalinkOf(SLACK_SEED.general, message.ts as string));
  });

  it("keeps a link to the message when chat.getPermalink fails", async () => {
    await start();
    const { reply, message } = await reminderFor();
    h.slack.fail("chat.getPermalink", { kind: "error", error: "message_not_found" });
    const { view } = await click(reply, SLACK_SEED.bob);
    await h.submitTaskModal(view!, { title: "Fix it" }, SLACK_SEED.bob);
    await h.settle();
    const page = h.notion.pages(h.board.dataSourceId)[0]!;
    expect(page.properties["Slack link"]).toMatchObject({ url: `https://slack.com/archives/${SLACK_SEED.general}/p${(message.ts as string).replace(".", "")}` });
  });

  it("still opens the form from a reminder posted before the chat port (its v1 value), in the original message's thread", async () => {
    await start();
    const root = messageTs();
    const original = messageTs();
    const value = JSON.stringify({ v: 1, c: SLACK_SEED.general, t: original, a: SLACK_SEED.alice, x: "Fix the export" });
    const reminder = { type: "message", subtype: "bot_message", text: "Hi", user: SLACK_SEED.botUserId, bot_id: SLACK_SEED.botId, ts: messageTs(), thread_ts: root };
    const answer = await h.interact(
      blockActions({ message: reminder, action: { action_id: CREATE_TASK_FROM_REMINDER_ACTION, value }, triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() }),
    );
    await h.settle();
    expect(answer.status).toBe(200);
    const view = h.slack.views[0]!;
    expect(inputValue(view, "title")).toBe("Fix the export");
    // The form's place is the original message, in the thread the reminder was posted in.
    expect(metadataOf(view)).toMatchObject({ place: `slack:T0TEAM:${SLACK_SEED.general}:${root}:${original}`, authorId: SLACK_SEED.alice, authorName: "alice" });
    expect(h.slack.callsTo("chat.getPermalink")[0]?.args).toMatchObject({ channel: SLACK_SEED.general, message_ts: original });
  });

  it("answers a button it cannot read through the response_url", async () => {
    await start();
    const responseUrl = h.slack.responseUrl();
    const answer = await h.interact(
      blockActions({
        message: { type: "message", ts: messageTs(), text: "old reminder" },
        action: { action_id: CREATE_TASK_FROM_REMINDER_ACTION, value: "not-json" },
        triggerId: h.slack.triggerId(SLACK_SEED.bob),
        responseUrl,
      }),
    );
    await h.settle();
    expect(answer.status).toBe(200);
    expect(h.slack.callsTo("views.open")).toHaveLength(0);
    expect(String(h.slack.responses[0]?.body.text)).toMatch(/older version of the bot.*\*Create task\*/);
  });
});

describe("Create task shortcut", () => {
  it("opens the modal for the clicker, prefilled from the message, with its permalink", async () => {
    await start();
    const text = "Fix the login page on Safari\nIt shows a blank screen.";
    const message = slackMessage({ user: SLACK_SEED.alice, text });
    const { answer, responses } = await shortcut("create_task", { user: SLACK_SEED.bob, message });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("");
    expect(responses).toEqual([]);
    expect(reminders()).toHaveLength(0);
    const view = h.slack.views[0]!;
    expect(view.user).toBe(SLACK_SEED.bob);
    expect(inputValue(view, "title")).toBe("Fix the login page on Safari");
    expect(inputValue(view, "description")).toBe(text);
    expect(metadataOf(view)).toMatchObject({
      link: permalinkOf(SLACK_SEED.general, message.ts as string),
      authorId: SLACK_SEED.alice,
      authorName: "alice",
    });
  });

  it("cuts a long first line to the title limit and keeps the whole message as the description", async () => {
    await start();
    const text = `${"word ".repeat(60).trim()}\nsecond line`;
    await shortcut("create_task", { message: slackMessage({ text }) });
    const view = h.slack.views[0]!;
    const title = inputValue(view, "title")!;
    expect(Array.from(title).length).toBeLessThanOrEqual(150);
    expect(title.endsWith("word…")).toBe(true);
    expect(inputValue(view, "description")).toBe(text);
  });

  it("shows the message as a person reads it: mentions, links and entities decoded", async () => {
    await start();
    await shortcut("create_task", { message: slackMessage({ text: "<@U0BOB> &lt;b&gt; fails on <https://x.example/login|the login page> &amp; <#C0GENERAL|general>" }) });
    expect(inputValue(h.slack.views[0]!, "title")).toBe("@U0BOB <b> fails on the login page (https://x.example/login) & #general");
  });

  it("saves a reply's thread permalink as the Slack link", async () => {
    await start();
    const parent = messageTs();
    const message = slackMessage({ thread_ts: parent, text: "Follow-up: the docs too" });
    // The emulator gives a thread reply's permalink its thread parameters when it knows the reply.
    h.slack.messages.push({ kind: "message", channel: SLACK_SEED.general, text: "Follow-up: the docs too", blocks: undefined, thread_ts: parent, ts: message.ts as string });
    await shortcut("create_task", { user: SLACK_SEED.alice, message });
    // With a priority the board offers: the prefilled form's submission is checked as any other.
    await h.submitTaskModal(h.slack.views[0]!, { title: "Update the docs", priority: "Medium" }, SLACK_SEED.alice);
    await h.settle();
    const page = h.notion.pages(h.board.dataSourceId)[0]!;
    expect(page.properties.Priority).toMatchObject({ select: { name: "Medium" } });
    expect(page.properties["Slack link"]).toMatchObject({ url: permalinkOf(SLACK_SEED.general, message.ts as string, parent) });
    expect(richTextOf(page, "Requested by")).toBe("alice (U0ALICE)");
  });

  it("opens an empty-author modal for a bot's message", async () => {
    await start();
    await shortcut("create_task", { message: botMessage() });
    const metadata = metadataOf(h.slack.views[0]!);
    expect(metadata).not.toHaveProperty("authorId");
    expect(inputValue(h.slack.views[0]!, "title")).toBe("Deploy finished: build #512 is live.");
  });

  it("works on a message in a DM, where the bot posts nothing", async () => {
    await start();
    const { responses } = await shortcut("create_task", { channel: { id: "D0ALICEBOB", name: "directmessage" } });
    expect(h.slack.views).toHaveLength(1);
    expect(responses).toEqual([]);
  });

  it("tells the clicker through the response_url when the modal cannot open", async () => {
    await start();
    h.slack.fail("views.open", { kind: "error", error: "expired_trigger_id" });
    const { answer, responses } = await shortcut("create_task");
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("");
    expect(responses).toHaveLength(1);
    expect(String(responses[0]!.text)).toMatch(/form could not open\. Please try again/);
  });
});
