/**
 * The three Mattermost functions, real, against the Mattermost emulator over HTTP with the real
 * Blobs server and the Notion emulator: what refuses a request (the command's token, a dialog's
 * state or a button's context the bot did not sign, or signed and expired) and that nothing happens
 * then; a response_url on another origin never called; /task help and list end to end; the post
 * shortcuts by permalink; a dialog opened, refused and submitted; a button pressed and its post redrawn.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MATTERMOST_SEED, startMattermostEmulator, type MattermostEmulator } from "../../dev/mattermost-emulator.js";
import { SITE_URL, startMattermostHarness, type MattermostHarness } from "../../dev/mattermost-harness.js";
import type { Card } from "../../src/chat/card.js";
import type { Form } from "../../src/chat/form.js";
import type { IntentOf } from "../../src/chat/intent.js";
import { BUTTON_SIGNED_MS, FORM_SIGNED_MS } from "../../src/platforms/mattermost/render.js";
import { intentRoutes, type IntentRoutes } from "../../src/routes.js";
import { UNOFFERED_PRIORITY } from "../../src/tasks/task.js";

let clock = Date.now();
const now = () => clock;
const seen: { kind: string; intent: unknown }[] = [];
let gate: Promise<void> = Promise.resolve();

const card = (text: string, extra: Card["blocks"] = []): Card => ({ summary: [text], blocks: [{ kind: "text", text: [text] }, ...extra] });
const form: Form = {
  id: "test_form",
  title: "New task",
  submitLabel: "Create task",
  note: "It goes on the board.",
  inputs: [
    { kind: "text", id: "title", label: "Title", maxLength: 2000, value: "Fix login" },
    { kind: "choice", id: "priority", label: "Priority", optional: true, options: [{ label: "High", value: "High" }, { label: "Low", value: "Low" }] },
    { kind: "date", id: "due", label: "Due date", optional: true },
  ],
  context: { origin: "test" },
};

/** Routes that record what reached them and answer the way the features do. */
const routes: IntentRoutes = {
  ask_for_task: async (intent, ctx) => {
    seen.push({ kind: "ask_for_task", intent });
    await ctx.reply.openForm({ ...form, inputs: form.inputs.map((input) => (input.id === "title" ? { ...input, value: intent.text } : input)) });
  },
  subcommand: {
    ...intentRoutes.subcommand,
    post: async (intent, ctx) => {
      seen.push({ kind: "subcommand", intent });
      await ctx.chat.post(intent.place!, card("A task", [{ kind: "buttons", id: "task_status/announcement", buttons: [{ kind: "action", action: "task_status_start", label: "Start", value: "page-1" }, { kind: "link", label: "Open in Notion", url: "https://www.notion.so/page-1" }] }]));
      await ctx.reply.tellPrivately(card("Posted."));
    },
    slow: async (_intent, ctx) => {
      await gate;
      await ctx.reply.tellPrivately(card("Late answer."));
    },
  },
  message_shortcut: {
    remind_process: async (intent, ctx) => {
      seen.push({ kind: "message_shortcut", intent });
      await ctx.chat.reply(intent.message.place, card("Please follow the process", []), { mention: intent.message.author });
      await ctx.reply.tellPrivately(card("Reminded."));
    },
  },
  button: {
    task_status_start: async (intent, ctx) => {
      seen.push({ kind: "button", intent });
      await ctx.reply.updateSource(card("Started by you."));
      await ctx.reply.tellPrivately(card("You started it."));
    },
  },
  submit_form: {
    test_form: async (intent, ctx) => {
      seen.push({ kind: "submit_form", intent });
      if (intent.values.due !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(intent.values.due)) return ctx.reply.refuseForm(form, { due: "Use YYYY-MM-DD." });
      await ctx.reply.closeForm();
      ctx.defer("confirm", () => ctx.reply.tellPrivately(card("Saved.")));
    },
  },
};

let h: MattermostHarness;
beforeAll(async () => {
  h = await startMattermostHarness({ routes, now });
});
afterAll(() => h.close());
afterEach(async () => {
  await h.settle();
  seen.length = 0;
  clock = Date.now();
  h.mattermost.reset();
});

/** Every call the bot made to the Mattermost emulator, by route. */
const routesCalled = () => h.mattermost.calls.map((call) => call.route);

describe("the slash command's token", () => {
  it("answers a wrong token, a missing one and a wrong header 401 with nothing else, and calls nothing", async () => {
    for (const answer of [
      await h.command("help", { token: "x".repeat(26) }),
      await h.post("/mattermost/commands", h.mattermost.commandBody({ text: "help" }).replace(/token=[a-z0-9]+&?/, ""), { "content-type": "application/x-www-form-urlencoded" }),
      await h.command("help", { headers: { authorization: `Token ${"y".repeat(26)}` } }),
    ]) {
      expect([answer.status, answer.text]).toEqual([401, ""]);
    }
    expect(routesCalled()).toEqual([]);
    expect(seen).toEqual([]);
  });

  it("takes the token from Authorization: Token … when the form has none", async () => {
    const body = h.mattermost.commandBody({ text: "help" }).replace(/token=[a-z0-9]+&?/, "");
    const answer = await h.post("/mattermost/commands", body, { "content-type": "application/x-www-form-urlencoded", authorization: `Token ${MATTERMOST_SEED.commandToken}` });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ response_type: "ephemeral" });
  });
});

describe("/task help and list, on the port, end to end", () => {
  it("/task help answers only the person, in the command's response", async () => {
    const answer = await h.command("HELP");
    expect(answer.status).toBe(200);
    expect(answer.json?.response_type).toBe("ephemeral");
    expect(String(answer.json?.text)).toContain("`/task from <link>` turns a post into a task, and `/task remind <link>` asks its author");
    expect(String(answer.json?.text)).not.toMatch(/Home|More actions|Mention me/);
    expect(routesCalled()).toEqual([]);
  });

  it("logs a subcommand's name, as Slack and Discord do: only what follows it is what the person typed", async () => {
    await h.command("list");
    const line = h.logs.map((text) => JSON.parse(text) as Record<string, unknown>).filter((entry) => entry.event === "request" && entry.kind === "subcommand").at(-1);
    expect(line).toMatchObject({ callback_id: "task list" });
  });

  it("/task list answers the person's open tasks (none yet) from the board", async () => {
    const answer = await h.command("list");
    expect(answer.json).toMatchObject({ response_type: "ephemeral", text: "You have no open tasks. Create one with `/task`." });
  });

  it("a title opens the dialog with the command's trigger_id, posting back to the site's /mattermost/dialogs", async () => {
    const answer = await h.command("Fix login on Safari");
    expect([answer.status, answer.json]).toEqual([200, {}]);
    const [dialog] = h.mattermost.dialogs;
    expect(dialog?.url).toBe(`${SITE_URL}/mattermost/dialogs`);
    expect(dialog?.dialog).toMatchObject({ callback_id: "test_form", title: "New task", submit_label: "Create task", elements: [{ name: "title", type: "textarea", default: "Fix login on Safari" }, { name: "priority", type: "select" }, { name: "due", type: "text", placeholder: "YYYY-MM-DD" }] });
  });
});

describe("a dialog's state", () => {
  async function openDialog() {
    await h.command("Fix login");
    const dialog = h.mattermost.dialogs.at(-1);
    if (dialog === undefined) throw new Error("no dialog opened");
    seen.length = 0;
    h.mattermost.calls.length = 0;
    return dialog;
  }

  it("a submission the bot signed reaches its route with the values typed and the form's instance; a refusal keeps the dialog open with the error under its element", async () => {
    const dialog = await openDialog();
    const refused = await h.submit(dialog, { title: "Fix login", priority: "High", due: "next week" });
    expect([refused.status, refused.json]).toEqual([200, { errors: { due: "Use YYYY-MM-DD." } }]);
    const saved = await h.submit(dialog, { title: "Fix login", priority: "High", due: "2026-12-24" });
    expect([saved.status, saved.json]).toEqual([200, {}]);
    const [first, second] = seen.map((entry) => entry.intent as IntentOf<"submit_form">);
    expect(second).toMatchObject({ form: "test_form", values: { title: "Fix login", priority: "High", due: "2026-12-24" }, context: { origin: "test" }, person: { platform: "mattermost", userId: MATTERMOST_SEED.alice } });
    // Both sends of one dialog carry one instance: what its save is claimed by.
    expect(second?.instance).toBe(first?.instance);
    await h.settle();
    expect(h.mattermost.posts.filter((post) => post.ephemeralFor === MATTERMOST_SEED.alice).map((post) => post.message)).toEqual(["Saved."]);
  });

  it("refuses a forged state, a state changed by one character, and one submitted by someone else, 401 with no effect", async () => {
    const dialog = await openDialog();
    const state = String(dialog.dialog.state);
    const tampered = `${state.slice(0, -2)}${state.at(-2) === "A" ? "B" : "A"}${state.at(-1)}`;
    for (const body of [
      { ...h.mattermost.dialogSubmission(dialog, { title: "x" }), state: "v1.zzzzzzzz.e30.forged" },
      { ...h.mattermost.dialogSubmission(dialog, { title: "x" }), state: tampered },
      { ...h.mattermost.dialogSubmission(dialog, { title: "x" }), state: "" },
      h.mattermost.dialogSubmission(dialog, { title: "x" }, { userId: MATTERMOST_SEED.bob }),
      { ...h.mattermost.dialogSubmission(dialog, { title: "x" }), callback_id: "other_form" },
    ]) {
      const answer = await h.submit(dialog, {}, { body });
      expect([answer.status, answer.text]).toEqual([401, ""]);
    }
    expect(seen).toEqual([]);
    expect(routesCalled()).toEqual([]);
  });

  it("tells an expired state so on the dialog, and does nothing", async () => {
    const dialog = await openDialog();
    clock += FORM_SIGNED_MS + 1;
    const answer = await h.submit(dialog, { title: "Fix login" });
    expect(answer.json).toEqual({ error: expect.stringContaining("expired") });
    expect(seen).toEqual([]);
  });
});

describe("a button's context", () => {
  async function postWithButton() {
    await h.command("post");
    const post = h.mattermost.posts.find((candidate) => candidate.ephemeralFor === undefined && candidate.user_id === MATTERMOST_SEED.botUserId);
    if (post === undefined) throw new Error("nothing posted");
    seen.length = 0;
    return post;
  }

  it("posts a card's action buttons as attachment actions to the site's /mattermost/actions, and a link as markdown", async () => {
    const post = await postWithButton();
    expect(post.message).toBe("A task\n[Open in Notion](https://www.notion.so/page-1)");
    expect(post.props).toMatchObject({ attachments: [{ actions: [{ id: "b0", name: "Start", type: "button", integration: { url: `${SITE_URL}/mattermost/actions` } }] }] });
  });

  it("a press the bot signed reaches its route, redraws the post in the response and tells the person beside it", async () => {
    const post = await postWithButton();
    const answer = await h.press(post, "Start", { userId: MATTERMOST_SEED.bob });
    expect(answer.json).toEqual({ update: { message: "Started by you.", props: { attachments: [] } }, ephemeral_text: "You started it." });
    expect(seen[0]?.intent).toMatchObject({ kind: "button", action: "task_status_start", value: "page-1", rowId: "task_status/announcement", person: { userId: MATTERMOST_SEED.bob }, message: { platform: "mattermost", conversation: MATTERMOST_SEED.townSquare, message: post.id } });
  });

  it("refuses a forged or changed context 401 with no effect, and tells an expired one so", async () => {
    const post = await postWithButton();
    const action = h.mattermost.actionRequest(post, "Start")!;
    const signed = String((action.body.context as { signed: string }).signed);
    for (const context of [{}, { signed: "v1.zz.e30.forged" }, { signed: signed.replace(/\.[^.]+\./, `.${Buffer.from('{"a":"task_status_done","v":"page-1"}').toString("base64url")}.`) }, { a: "task_status_start", v: "page-1" }]) {
      const answer = await h.post("/mattermost/actions", JSON.stringify({ ...action.body, context }), { "content-type": "application/json" });
      expect([answer.status, answer.text]).toEqual([401, ""]);
    }
    clock += BUTTON_SIGNED_MS + 1;
    const expired = await h.press(post, "Start");
    expect(expired.json).toEqual({ ephemeral_text: expect.stringContaining("expired") });
    expect(seen).toEqual([]);
    expect(h.mattermost.posts.find((candidate) => candidate.id === post.id)?.edited).toBe(false);
  });
});

describe("the response_url", () => {
  let elsewhere: MattermostEmulator;
  let slow: MattermostHarness;
  beforeAll(async () => {
    elsewhere = await startMattermostEmulator();
    slow = await startMattermostHarness({ routes, now, ackDeadlineMs: 50 });
  });
  afterAll(async () => {
    await Promise.all([elsewhere.close(), slow.close()]);
  });

  it("answers late through a response_url on MATTERMOST_URL's origin", async () => {
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const answer = await slow.command("slow");
    expect(answer.json).toEqual({});
    open();
    await slow.settle();
    expect(slow.mattermost.responses.map((response) => response.body)).toEqual([{ response_type: "ephemeral", text: "Late answer.", props: { attachments: [] } }]);
  });

  it("never calls one on another origin: the late answer is an ephemeral post on MATTERMOST_URL instead", async () => {
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    await slow.command("slow", { responseUrl: elsewhere.issueResponseUrl() });
    open();
    await slow.settle();
    expect(elsewhere.calls).toEqual([]);
    expect(slow.mattermost.posts.map((post) => [post.ephemeralFor, post.message])).toEqual([[MATTERMOST_SEED.alice, "Late answer."]]);
  });
});

describe("/task remind and /task from <permalink>", () => {
  it("reads the post on MATTERMOST_URL and replies in its thread, mentioning only its author", async () => {
    const root = h.mattermost.postUserMessage({ userId: MATTERMOST_SEED.bob, message: "Can someone deploy? @channel" });
    const answer = await h.command(`remind ${h.mattermost.permalinkOf(root)}`);
    expect(answer.json).toMatchObject({ response_type: "ephemeral", text: "Reminded." });
    expect(seen[0]?.intent).toMatchObject({ kind: "message_shortcut", shortcut: "remind_process", message: { text: "Can someone deploy? @channel", author: { userId: MATTERMOST_SEED.bob }, place: { conversation: MATTERMOST_SEED.townSquare, message: root.id } } });
    const reply = h.mattermost.posts.at(-1);
    expect([reply?.root_id, reply?.message]).toEqual([root.id, "Please follow the process"]);
  });

  it("answers a permalink on another server, and one to a post the bot cannot read, without a route", async () => {
    const elsewhere = await h.command("from https://chat.elsewhere.example/alpha/pl/abcdefghijklmnopqrstuvwxyz");
    expect(String(elsewhere.json?.text)).toMatch(/^That link is to another server/);
    const secret = h.mattermost.postUserMessage({ userId: MATTERMOST_SEED.bob, channelId: MATTERMOST_SEED.secret, message: "psst" });
    const unreadable = await h.command(`remind ${h.mattermost.permalinkOf(secret)}`);
    expect(String(unreadable.json?.text)).toMatch(/^I can't read that post/);
    expect(seen).toEqual([]);
    expect(routesCalled()).toEqual(["get_post"]);
  });

  it("with the real routes, /task from <permalink> opens the form from the post, and the page links the post", async () => {
    const real = await startMattermostHarness();
    try {
      const root = real.mattermost.postUserMessage({ userId: MATTERMOST_SEED.bob, message: "The login page hangs on Safari" });
      const answer = await real.command(`from ${real.mattermost.permalinkOf(root)}`);
      expect([answer.status, answer.json]).toEqual([200, {}]);
      const dialog = real.mattermost.dialogs.at(-1)!;
      const elements = dialog.dialog.elements as { name: string; default?: string }[];
      expect(elements.find((element) => element.name === "title")?.default).toBe("The login page hangs on Safari");
      const before = real.notion.pages().length;
      await real.submit(dialog, { title: "The login page hangs on Safari" });
      await real.settle();
      const page = real.notion.pages().slice(before)[0];
      expect(JSON.stringify(page?.properties)).toContain(`${real.mattermost.url}/_redirect/pl/${root.id}`);
      expect(JSON.stringify(page?.properties)).toContain(`alice (mattermost:${MATTERMOST_SEED.alice}), from a message by bob (mattermost:${MATTERMOST_SEED.bob})`);
    } finally {
      await real.close();
    }
  });
});

describe("the features on the port, on Mattermost (the real routes)", () => {
  let real: MattermostHarness;
  beforeAll(async () => {
    real = await startMattermostHarness({ env: { MATTERMOST_REVIEW_CHANNEL_ID: MATTERMOST_SEED.review } });
  });
  afterAll(() => real.close());
  afterEach(async () => {
    await real.settle();
    real.mattermost.reset();
  });

  it("/task review answers the week's review privately", async () => {
    const answer = await real.command("review");
    expect(answer.json?.response_type).toBe("ephemeral");
    expect(String(answer.json?.text).length).toBeGreaterThan(0);
  });

  it("/task remind <permalink> replies in the post's thread, pinging only its author, with the button that posts back to the site; @channel in the post is never sent", async () => {
    const root = real.mattermost.postUserMessage({ userId: MATTERMOST_SEED.bob, message: "Please deploy @channel" });
    const answer = await real.command(`remind ${real.mattermost.permalinkOf(root)}`);
    expect(answer.status).toBe(200);
    await real.settle();
    const reply = real.mattermost.posts.find((post) => post.root_id === root.id);
    expect(reply?.message).toMatch(/(^|\s)@bob\b/);
    expect(reply?.message).not.toMatch(/@(channel|all|here)\b/);
    expect(reply?.props).toMatchObject({ attachments: [{ actions: [{ name: "Create task from this message", integration: { url: `${SITE_URL}/mattermost/actions` } }] }] });
    // A second use is told privately, and nothing is posted twice.
    await real.command(`remind ${real.mattermost.permalinkOf(root)}`);
    await real.settle();
    expect(real.mattermost.posts.filter((post) => post.root_id === root.id && post.ephemeralFor === undefined)).toHaveLength(1);
  });

  it("the reminder's Create task from this message: the dialog opens prefilled, and the task links back to the post it was about", async () => {
    const root = real.mattermost.postUserMessage({ userId: MATTERMOST_SEED.bob, message: "the CSV export times out" });
    await real.command(`remind ${real.mattermost.permalinkOf(root)}`);
    await real.settle();
    const reminder = real.mattermost.posts.find((post) => post.root_id === root.id && post.ephemeralFor === undefined)!;
    expect((await real.press(reminder, "Create task from this message", { userId: MATTERMOST_SEED.bob })).status).toBe(200);
    await real.settle();
    const dialog = real.mattermost.dialogs.at(-1)!;
    expect((dialog.dialog.elements as { name: string; default?: string }[]).find((element) => element.name === "title")?.default).toBe("the CSV export times out");
    expect((await real.submit(dialog, { title: "the CSV export times out" })).status).toBe(200);
    await real.settle();
    const page = real.notion.pages().find((candidate) => JSON.stringify(candidate.properties).includes("the CSV export times out"));
    // A dialog cannot be redrawn with a link found after it opened: the link is known when it opens.
    expect(JSON.stringify(page?.properties)).toContain(`"url":"${real.mattermost.url}/_redirect/pl/${root.id}"`);
  });

  it("the weekly review posts to MATTERMOST_REVIEW_CHANNEL_ID", async () => {
    const run = await real.runSchedule("weekly-review");
    expect(run.status).toBe(200);
    await real.settle();
    expect(real.mattermost.posts.filter((post) => post.channel_id === MATTERMOST_SEED.review && post.ephemeralFor === undefined)).toHaveLength(1);
  });
});

describe("a task's road on Mattermost (the real routes)", () => {
  let real: MattermostHarness;
  beforeAll(async () => {
    real = await startMattermostHarness({ env: { MATTERMOST_TASKS_CHANNEL_ID: MATTERMOST_SEED.tasks } });
  });
  afterAll(() => real.close());

  it("/task Fix login -> the dialog -> one page however often it is sent -> the confirmation with Start and Done -> Start moves it once", async () => {
    const before = real.notion.pages().length;
    const asked = await real.command("Fix login on Safari");
    expect(asked.status).toBe(200);
    await real.settle();
    const dialog = real.mattermost.dialogs.at(-1)!;
    expect(dialog.dialog).toMatchObject({ callback_id: "task_modal", submit_label: "Create task" });
    const elements = dialog.dialog.elements as { name: string; type: string; default?: string; placeholder?: string; options?: unknown[] }[];
    expect(elements.find((element) => element.name === "title")?.default).toBe("Fix login on Safari");
    expect(elements.find((element) => element.placeholder === "YYYY-MM-DD")).toBeDefined();

    const bad = await real.submit(dialog, { title: "Fix login on Safari", due: "tomorrow" });
    expect(bad.json?.errors).toBeDefined();
    const dueName = Object.keys(bad.json!.errors as Record<string, string>)[0]!;
    const values = { title: "Fix login on Safari", [dueName]: "2026-12-24" };
    const first = await real.submit(dialog, values);
    const again = await real.submit(dialog, values);
    expect([first.status, again.status]).toEqual([200, 200]);
    await real.settle();
    const pages = real.notion.pages().slice(before);
    expect(pages).toHaveLength(1);

    const visible = real.mattermost.posts.filter((post) => post.ephemeralFor === undefined || post.ephemeralFor === MATTERMOST_SEED.alice);
    const withStart = visible.find((post) => JSON.stringify(post.props).includes('"name":"Start"'));
    expect(withStart).toBeDefined();
    expect(real.mattermost.posts.some((post) => post.channel_id === MATTERMOST_SEED.tasks && post.ephemeralFor === undefined)).toBe(true);

    const announcement = real.mattermost.posts.find((post) => post.channel_id === MATTERMOST_SEED.tasks && JSON.stringify(post.props).includes('"name":"Start"'))!;
    const stale = real.mattermost.actionRequest(announcement, "Start", { userId: MATTERMOST_SEED.bob })!.body;
    const pressed = await real.press(announcement, "Start", { userId: MATTERMOST_SEED.bob });
    expect(pressed.status).toBe(200);
    await real.settle();
    const moved = real.notion.pages().slice(before)[0];
    expect(JSON.stringify(moved)).toContain("In progress");
    // The press redraws the announcement in its response (Done left), and Alice hears it in a direct message.
    expect(String((pressed.json?.update as { message?: string } | undefined)?.message)).toMatch(/Status: \*\*In progress\*\*, moved by @\u200bbob$/);
    const dm = real.mattermost.directChannelOf(MATTERMOST_SEED.alice);
    expect(real.mattermost.posts.filter((post) => post.channel_id === dm).map((post) => post.message)).toEqual([expect.stringMatching(/^▶️ Your task .* is now \*\*In progress\*\*, moved by @\u200bbob\./)]);
    // Mattermost redrew the announcement with the answer's update: Done is what is left to press.
    expect(real.mattermost.posts.find((post) => post.id === announcement.id)?.message).toMatch(/In progress/);
    expect(real.mattermost.actionRequest(announcement, "Start")).toBeUndefined();
    expect(real.mattermost.actionRequest(announcement, "Done")).toBeDefined();
    // A second press (a stale client still showing Start) changes nothing twice: no second move, no second word to Alice.
    await real.post("/mattermost/actions", JSON.stringify(stale), { "content-type": "application/json" });
    await real.settle();
    expect(real.mattermost.posts.filter((post) => post.channel_id === dm)).toHaveLength(1);
  });

  it("refuses a priority the dialog never offered (POST /api/v4/actions/dialogs/submit passes any value a signed-in user sends) under its element, the dialog kept open, and writes nothing", async () => {
    const creates = real.notion.requestsTo("pages.create").length;
    await real.command("Forged priority");
    await real.settle();
    const dialog = real.mattermost.dialogs.at(-1)!;
    const refused = await real.submit(dialog, { title: "Forged priority", priority: "Urgent" });
    expect(refused.status).toBe(200);
    expect(refused.json).toEqual({ errors: { priority: UNOFFERED_PRIORITY } });
    await real.settle();
    expect(real.notion.requestsTo("pages.create")).toHaveLength(creates);
    // One the dialog offered saves, from the same dialog.
    expect((await real.submit(dialog, { title: "Forged priority", priority: "Low" })).json ?? {}).not.toHaveProperty("errors");
    await real.settle();
    const page = real.notion.pages().find((candidate) => JSON.stringify(candidate.properties).includes("Forged priority"));
    expect(page?.properties.Priority).toMatchObject({ select: { name: "Low" } });
  });
});
