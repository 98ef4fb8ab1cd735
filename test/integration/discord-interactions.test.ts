/**
 * POST /discord/interactions end to end: the real handler, signed as Discord signs, against the
 * Discord emulator (which takes the handler's HTTP answer as Discord would) and the real Blobs
 * server, with Discord's variables only. Routes are injected (the features move onto the port in
 * their own steps): each exercises one of the Reply's methods, first and later.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DISCORD_SEED } from "../../dev/discord-emulator.js";
import { startDiscordHarness, type DiscordHarness } from "../../dev/discord-harness.js";
import { DISCORD_PAYLOADS, discordKeyPair, discordSignedHeaders } from "../../dev/discord-signed.js";
import type { Card } from "../../src/chat/card.js";
import { ChatError } from "../../src/chat/chat-error.js";
import type { Form } from "../../src/chat/form.js";
import type { IntentOf } from "../../src/chat/intent.js";
import type { InteractionContext } from "../../src/features/context.js";
import { PARKED_PREFIX } from "../../src/platforms/discord/parking.js";
import type { IntentRoutes } from "../../src/routes.js";

const LONG = `{"excerpt":"${"a reminder's quoted message, longer than a custom_id holds. ".repeat(4)}"}`;

/** What the test routes saw and did, for assertions. */
const seen = { runs: 0, values: [] as (string | undefined)[], contexts: [] as Record<string, string>[], instances: [] as string[], errors: [] as string[] };
/** Released by a test once the handler has answered: a route waiting on it outlasts the deadline. */
let gate: { promise: Promise<void>; open(): void };
function newGate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  gate = { promise, open };
}

const card = (text: string, extra: Card["blocks"] = []): Card => ({ summary: [text], blocks: [{ kind: "text", text: [text] }, ...extra] });

function taskForm(title: string, context: Record<string, string> = {}): Form {
  return {
    id: "task_modal",
    title: "New task",
    submitLabel: "Create task",
    inputs: [
      { kind: "text", id: "title", label: "Title", maxLength: 2000, value: title },
      { kind: "date", id: "due", label: "Due date", optional: true },
    ],
    context,
  };
}

const routes: IntentRoutes = {
  ask_for_task: async (intent, ctx) => {
    seen.runs += 1;
    const context: Record<string, string> = intent.text === "long context" ? { from: LONG.slice(0, 150) } : {};
    await ctx.reply.openForm(taskForm(intent.text, context));
  },
  subcommand: {
    help: async (_intent, ctx) => {
      seen.runs += 1;
      await ctx.reply.tellPrivately(card("Here is how /task works."));
      await ctx.reply.tellPrivately(card("And one more thing."));
    },
    late: async (_intent, ctx) => {
      seen.runs += 1;
      await gate.promise;
      await ctx.reply.tellPrivately(card("Here is your list."));
      await ctx.reply.tellPrivately(card("And a follow-up."));
      await ctx.reply.openForm(taskForm("too late")).catch((error: unknown) => seen.errors.push(error instanceof ChatError ? error.code : String(error)));
    },
    post: async (intent, ctx) => {
      seen.runs += 1;
      await ctx.chat.post(intent.place!, card("A button with a long value", [{ kind: "buttons", buttons: [{ kind: "action", action: "echo", label: "Echo", value: LONG }] }]));
    },
    both: async (_intent, ctx) => {
      seen.runs += 1;
      await ctx.reply.closeForm();
      ctx.defer("tell twice", async () => void (await Promise.all([ctx.reply.tellPrivately(card("One.")), ctx.reply.tellPrivately(card("Two."))])));
    },
    fail: async () => {
      seen.runs += 1;
      throw new Error("the route broke");
    },
  },
  message_shortcut: {},
  button: {
    redraw: async (_intent, ctx) => {
      seen.runs += 1;
      await ctx.reply.updateSource(card("Redrawn at once."));
    },
    redraw_late: async (_intent, ctx) => {
      seen.runs += 1;
      await gate.promise;
      await ctx.reply.updateSource(card("Redrawn later."));
    },
    echo: async (intent, ctx) => {
      seen.runs += 1;
      seen.values.push(intent.value);
      await ctx.reply.tellPrivately(card(`Got ${intent.value?.length ?? 0} characters.`));
    },
  },
  submit_form: {
    task_modal: async (intent: IntentOf<"submit_form">, ctx: InteractionContext) => {
      seen.runs += 1;
      seen.contexts.push({ ...intent.context });
      seen.instances.push(intent.instance);
      if (intent.values.title === "late x") {
        await gate.promise;
        return ctx.reply.refuseForm(taskForm("late x"), { title: "Still too short." });
      }
      if (intent.values.title === "late save") {
        await gate.promise;
        const held = await ctx.reply.holdForm({ title: "Saving", closeLabel: "Close", card: card("Saving your task…") });
        return held.finish({ title: "Saved", closeLabel: "Close", card: card("Saved: late save.") });
      }
      if (intent.values.title === "x") return ctx.reply.refuseForm(taskForm(intent.values.title), { title: "Give the task a title of at least 2 characters." });
      if (intent.values.title === "slow save") {
        const held = await ctx.reply.holdForm({ title: "Saving", closeLabel: "Close", card: card("Saving your task…") });
        ctx.defer("finish", () => held.finish({ title: "Saved", closeLabel: "Close", card: card("Saved: slow save.") }));
        return;
      }
      await ctx.reply.closeForm();
      ctx.defer("confirm", () => ctx.reply.tellPrivately(card(`Saved: ${intent.values.title ?? ""}.`)));
    },
  },
};

let h: DiscordHarness;
beforeAll(async () => {
  h = await startDiscordHarness({ routes });
});
afterAll(() => h.close());
beforeEach(() => {
  h.discord.reset();
  h.logs.length = 0;
  Object.assign(seen, { runs: 0, values: [], contexts: [], instances: [], errors: [] });
  newGate();
});

const command = (text?: string) => {
  const interaction = h.discord.issueInteraction({ type: 2 });
  return { interaction, payload: DISCORD_PAYLOADS.taskCommand(interaction, text) };
};

describe("verification", () => {
  it("answers a bad, missing or old signature with a bare 401, and nothing else happens", async () => {
    const { payload } = command("help");
    const body = JSON.stringify(payload);
    const other = discordSignedHeaders(body, discordKeyPair().privateKey);
    const now = Math.floor(Date.now() / 1000);
    const answers = [
      await h.send(payload, { headers: { "x-signature-ed25519": other["x-signature-ed25519"]! } }),
      await h.send(payload, { headers: { "x-signature-ed25519": "" } }),
      await h.send(payload, { timestamp: now - 301 }),
      // Signed, then changed on the way.
      await h.send(payload, { body: body.replace("help", "list"), headers: discordSignedHeaders(body, h.pair.privateKey) }),
    ];
    expect(answers.map((answer) => [answer.status, answer.text])).toEqual(Array(4).fill([401, "Unauthorized"]));
    expect(seen.runs).toBe(0);
    expect(h.discord.calls).toEqual([]);
    await h.settle();
    expect((await h.store.list("claims/")).keys).toEqual([]);
  });

  it("answers a signed PING with {\"type\":1}", async () => {
    const answer = await h.send(DISCORD_PAYLOADS.ping());
    expect([answer.status, answer.text]).toEqual([200, '{"type":1}']);
  });
});

describe("the Reply, first and later", () => {
  it("tellPrivately first is the ephemeral response (type 4, flags 64); later, a follow-up", async () => {
    const { interaction, payload } = command("help");
    const answer = await h.send(payload);
    expect(answer.json).toEqual({ type: 4, data: { content: "Here is how /task works.", components: [], allowed_mentions: { parse: [], replied_user: false }, flags: 64 } });
    expect(answer.refused).toBeUndefined();
    await h.settle();
    expect(h.discord.callsTo("follow_up").map((call) => call.body)).toEqual([{ content: "And one more thing.", components: [], allowed_mentions: { parse: [], replied_user: false }, flags: 64 }]);
    expect(h.discord.messages.at(-1)).toMatchObject({ interaction_token: interaction.token, flags: 64 });
  });

  it("two private answers under way together: one fills the deferred answer in, the other follows up", async () => {
    const { payload } = command("both");
    expect((await h.send(payload)).json).toEqual({ type: 5, data: { flags: 64 } });
    await h.settle();
    expect([h.discord.callsTo("edit_original").length, h.discord.callsTo("follow_up").length]).toEqual([1, 1]);
  });

  it("openForm is the modal (type 9) with the opening interaction as the form's `o`; its submission carries it back", async () => {
    const { interaction, payload } = command("Fix login");
    const answer = await h.send(payload);
    expect(answer.json?.type).toBe(9);
    expect(answer.refused).toBeUndefined();
    const modal = answer.json?.data as { custom_id: string; title: string };
    expect(modal).toMatchObject({ custom_id: `task_modal;o=${interaction.id}`, title: "New task" });
    const submission = h.discord.issueInteraction({ type: 5 });
    const saved = await h.send(DISCORD_PAYLOADS.modalSubmit(submission, modal.custom_id, [{ id: "title", value: "Fix login" }]));
    // closeForm: deferred and ephemeral; the confirmation then fills it in.
    expect(saved.json).toEqual({ type: 5, data: { flags: 64 } });
    await h.settle();
    expect(seen.instances).toEqual([interaction.id]);
    expect(h.discord.callsTo("edit_original").map((call) => (call.body as { content: string }).content)).toEqual(["Saved: Fix login."]);
    expect(h.discord.interactions.find((candidate) => candidate.id === submission.id)?.original).toMatchObject({ content: "Saved: Fix login.", flags: 64, edited: true });
  });

  it("parks a form's context too long for its custom_id before the modal goes, and reads it back on submission", async () => {
    const { interaction, payload } = command("long context");
    const answer = await h.send(payload);
    const modal = answer.json?.data as { custom_id: string };
    expect(modal.custom_id).toMatch(/^task_modal;~[A-Za-z0-9_-]{22}$/);
    expect((await h.store.list(PARKED_PREFIX)).keys).toEqual([`${PARKED_PREFIX}${modal.custom_id.slice("task_modal;~".length)}`]);
    await h.send(DISCORD_PAYLOADS.modalSubmit(h.discord.issueInteraction({ type: 5 }), modal.custom_id, [{ id: "title", value: "From a long context" }]));
    await h.settle();
    expect(seen.contexts).toEqual([{ from: LONG.slice(0, 150), o: interaction.id }]);
    expect(seen.instances).toEqual([interaction.id]);
  });

  it("refuseForm says what is wrong with a Fix it button that reopens the form as it was left, errors shown, for the same save", async () => {
    const { interaction, payload } = command("x");
    const opened = await h.send(payload);
    const modal = opened.json?.data as { custom_id: string };
    const submission = h.discord.issueInteraction({ type: 5 });
    const refused = await h.send(DISCORD_PAYLOADS.modalSubmit(submission, modal.custom_id, [{ id: "title", value: "x" }, { id: "due", value: "2026-12-24" }]));
    expect(refused.json).toMatchObject({ type: 4, data: { flags: 64, content: "Nothing was saved yet:\n• **Title**: Give the task a title of at least 2 characters.\n-# Press Fix it to change what you typed: it is all still there." } });
    const fixIt = (refused.json?.data as { components: { components: { custom_id: string; label: string }[] }[] }).components[0]!.components[0]!;
    expect(fixIt).toMatchObject({ label: "Fix it", custom_id: expect.stringMatching(/^reopen_form;;~/) });
    // Its message is ephemeral: the click comes from it.
    const message = h.discord.interactions.find((candidate) => candidate.id === submission.id)!.original!;
    const press = h.discord.issueInteraction({ type: 3, messageId: message.id });
    const reopened = await h.send(DISCORD_PAYLOADS.buttonPress(press, fixIt.custom_id, { id: message.id, flags: 64 }));
    expect(reopened.refused).toBeUndefined();
    expect(reopened.json).toMatchObject({
      type: 9,
      data: {
        custom_id: `task_modal;o=${interaction.id}`,
        components: [
          { type: 18, label: "Title", description: "⚠️ Give the task a title of at least 2 characters.", component: { custom_id: "title", value: "x" } },
          { type: 18, label: "Due date", component: { custom_id: "due", value: "2026-12-24" } },
        ],
      },
    });
    expect(seen.runs).toBe(2);
  });

  it("holdForm shows the notice at once (type 4, flags 64) and finish edits it", async () => {
    const { payload } = command("slow save");
    const modal = (await h.send(payload)).json?.data as { custom_id: string };
    const submission = h.discord.issueInteraction({ type: 5 });
    const held = await h.send(DISCORD_PAYLOADS.modalSubmit(submission, modal.custom_id, [{ id: "title", value: "slow save" }]));
    expect(held.json).toMatchObject({ type: 4, data: { content: "Saving your task…", flags: 64 } });
    await h.settle();
    expect(h.discord.interactions.find((candidate) => candidate.id === submission.id)?.original).toMatchObject({ content: "Saved: slow save.", edited: true });
  });

  it("updateSource first is UPDATE_MESSAGE (type 7)", async () => {
    const press = h.discord.issueInteraction({ type: 3 });
    const answer = await h.send(DISCORD_PAYLOADS.buttonPress(press, "redraw", { id: "1500000000000000009" }));
    expect(answer.json).toEqual({ type: 7, data: { content: "Redrawn at once.", components: [], allowed_mentions: { parse: [], replied_user: false } } });
  });

  it("a long button value is parked in the store before its message is posted, and its press reads it back", async () => {
    const { payload } = command("post");
    const answer = await h.send(payload);
    // The route said nothing to the person: a deferred ephemeral answer.
    expect(answer.json).toEqual({ type: 5, data: { flags: 64 } });
    await h.settle();
    const posted = h.discord.messages.find((message) => message.content === "A button with a long value")!;
    const button = (posted.components[0] as { components: { custom_id: string }[] }).components[0]!;
    expect(button.custom_id).toMatch(/^echo;;~[A-Za-z0-9_-]{22}$/);
    expect(h.discord.callsTo("create_message")[0]?.body).toMatchObject({ allowed_mentions: { parse: [], replied_user: false } });
    const press = h.discord.issueInteraction({ type: 3, messageId: posted.id });
    const echoed = await h.send(DISCORD_PAYLOADS.buttonPress(press, button.custom_id, { id: posted.id }));
    expect(echoed.json).toMatchObject({ type: 4, data: { content: `Got ${LONG.length} characters.`, flags: 64 } });
    expect(seen.values).toEqual([LONG]);
  });

  it("a press whose parked value is gone is told so, and no route runs", async () => {
    const press = h.discord.issueInteraction({ type: 3 });
    const answer = await h.send(DISCORD_PAYLOADS.buttonPress(press, "echo;;~AAAAAAAAAAAAAAAAAAAAAA", { id: "1500000000000000009" }));
    expect(answer.json).toMatchObject({ type: 4, data: { content: "That button has expired. Please start again with /task.", flags: 64 } });
    expect(seen.runs).toBe(0);
  });

  it("an intent no route answers is told it isn't handled any more", async () => {
    const press = h.discord.issueInteraction({ type: 3 });
    const answer = await h.send(DISCORD_PAYLOADS.buttonPress(press, "task_status_gone", { id: "1500000000000000009" }));
    expect(answer.json).toMatchObject({ type: 4, data: { content: "This isn't handled by the bot any more.", flags: 64 } });
  });

  it("a route that fails before answering: the person is told, the line says why", async () => {
    const { payload } = command("fail");
    const answer = await h.send(payload);
    expect(answer.json).toMatchObject({ type: 4, data: { content: "Something went wrong on my side. Please try again in a moment.", flags: 64 } });
    await h.settle();
    expect(h.logs.filter((line) => line.includes("deferred.failed"))).toEqual([]);
    expect(JSON.parse(h.logs.find((line) => line.includes('"msg":"request"')) ?? h.logs.at(-1)!)).toMatchObject({ outcome: "error" });
  });
});

describe("once per interaction", () => {
  it("a button's press seen again answers without running its route again", async () => {
    const press = h.discord.issueInteraction({ type: 3 });
    const payload = DISCORD_PAYLOADS.buttonPress(press, "echo;;short", { id: "1500000000000000009" });
    const first = await h.send(payload);
    await h.settle();
    const again = await h.send(payload, { deliver: false });
    await h.settle();
    expect([first.json?.type, again.json]).toEqual([4, { type: 6 }]);
    expect(seen.runs).toBe(1);
    expect(h.logs.some((line) => line.includes('"outcome":"duplicate"'))).toBe(true);
  });

  it("a command is not claimed: it only reads or opens a form, and answering it again repeats nothing", async () => {
    const { payload } = command("help");
    const before = h.blobs.requests.length;
    await h.send(payload);
    await h.send(payload, { deliver: false });
    await h.settle();
    expect(seen.runs).toBe(2);
    expect(h.blobs.requests.slice(before).filter((request) => request.path.includes("/claims/"))).toEqual([]);
  });
});

describe("the log line", () => {
  it("names the kind, the command, the guild and the user, and never the typed text or the token", async () => {
    const { interaction, payload } = command("Fix the secret door");
    await h.send(payload);
    await h.settle();
    const line = h.logs.map((text) => JSON.parse(text) as Record<string, unknown>).find((entry) => entry["kind"] === "ask_for_task");
    expect(line).toMatchObject({ kind: "ask_for_task", callback_id: "task", team: DISCORD_SEED.guildId, user: DISCORD_SEED.alice, status: 200 });
    expect(h.logs.join("\n")).not.toContain("secret door");
    expect(h.logs.join("\n")).not.toContain(interaction.token);
  });
});

describe("the deadline", () => {
  let slow: DiscordHarness;
  beforeAll(async () => {
    slow = await startDiscordHarness({ routes, ackDeadlineMs: 500 });
  });
  afterAll(() => slow.close());
  beforeEach(() => slow.discord.reset());

  it("answers a command still running at the deadline with the deferred answer; the route then fills it in, follows up, and can no longer open a form", async () => {
    const interaction = slow.discord.issueInteraction({ type: 2 });
    const answer = await slow.send(DISCORD_PAYLOADS.taskCommand(interaction, "late"));
    expect(answer.json).toEqual({ type: 5, data: { flags: 64 } });
    gate.open();
    await slow.settle();
    expect(slow.discord.interactions[0]?.original).toMatchObject({ content: "Here is your list.", flags: 64, edited: true });
    expect(slow.discord.callsTo("follow_up").map((call) => (call.body as { content: string }).content)).toEqual(["And a follow-up."]);
    expect(seen.errors).toEqual(["expired"]);
  });

  it("answers a button still running at the deadline with a deferred update (type 6); updateSource then edits the message it is on", async () => {
    const message = slow.discord.postUserMessage({ authorId: DISCORD_SEED.botUserId, content: "Status: to do" });
    const press = slow.discord.issueInteraction({ type: 3, messageId: message.id });
    const answer = await slow.send(DISCORD_PAYLOADS.buttonPress(press, "redraw_late", { id: message.id }));
    expect(answer.json).toEqual({ type: 6 });
    gate.open();
    await slow.settle();
    expect(message).toMatchObject({ content: "Redrawn later.", edited: true });
  });
});

describe("past the deadline, for a submission", () => {
  let slow: DiscordHarness;
  beforeAll(async () => {
    slow = await startDiscordHarness({ routes, ackDeadlineMs: 500 });
  });
  afterAll(() => slow.close());
  beforeEach(() => slow.discord.reset());

  it("refuseForm later fills the deferred answer in with the errors and the Fix it button", async () => {
    const submission = slow.discord.issueInteraction({ type: 5 });
    const answer = await slow.send(DISCORD_PAYLOADS.modalSubmit(submission, "task_modal;o=1500000000000000001", [{ id: "title", value: "late x" }]));
    expect(answer.json).toEqual({ type: 5, data: { flags: 64 } });
    gate.open();
    await slow.settle();
    const original = slow.discord.interactions[0]?.original;
    expect(original).toMatchObject({ flags: 64, edited: true, content: expect.stringContaining("**Title**: Still too short.") });
    expect(JSON.stringify(original?.components)).toContain("reopen_form;;~");
  });

  it("holdForm later shows the notice in the deferred answer, and finish edits it", async () => {
    const submission = slow.discord.issueInteraction({ type: 5 });
    await slow.send(DISCORD_PAYLOADS.modalSubmit(submission, "task_modal;o=1500000000000000002", [{ id: "title", value: "late save" }]));
    gate.open();
    await slow.settle();
    expect(slow.discord.callsTo("edit_original").map((call) => (call.body as { content: string }).content)).toEqual(["Saving your task…", "Saved: late save."]);
  });
});

describe("a parked value read back past the deadline", () => {
  // The store answers within its own timeout (1.5 s here), later than the acknowledgement's 500 ms:
  // a slow store, as netlify dev's is on a busy machine, not a failed one.
  let slow: DiscordHarness;
  beforeAll(async () => {
    slow = await startDiscordHarness({ routes, ackDeadlineMs: 500, storeTimeoutMs: 1_500 });
  });
  afterAll(() => slow.close());
  beforeEach(() => {
    slow.discord.reset();
    slow.blobs.clearFaults();
  });

  /** A form opened with a context too long for its custom_id: the modal's custom_id and the key its context is parked under. */
  async function openParkedForm() {
    const interaction = slow.discord.issueInteraction({ type: 2 });
    const modal = (await slow.send(DISCORD_PAYLOADS.taskCommand(interaction, "long context"))).json?.data as { custom_id: string };
    return { interaction, customId: modal.custom_id, key: `${PARKED_PREFIX}${modal.custom_id.slice("task_modal;~".length)}` };
  }

  it("a submission whose form's context is still being read at the deadline is answered deferred (5), and saves once the store answers", async () => {
    const { interaction, customId, key } = await openParkedForm();
    // Held until the answer went: the store answers after the deadline, whatever the machine's speed.
    slow.blobs.fail({ kind: "delay" }, { method: "GET", key });
    const submission = slow.discord.issueInteraction({ type: 5 });
    const answer = await slow.send(DISCORD_PAYLOADS.modalSubmit(submission, customId, [{ id: "title", value: "Read late" }]));
    expect(answer.json).toEqual({ type: 5, data: { flags: 64 } });
    expect(await slow.blobs.releaseHeld()).toBe(1);
    await slow.settle();
    expect(seen.contexts).toEqual([{ from: LONG.slice(0, 150), o: interaction.id }]);
    expect(slow.discord.interactions.find((issued) => issued.id === submission.id)?.original).toMatchObject({ content: "Saved: Read late.", flags: 64, edited: true });
  });

  it("a parked value whose read fails after the deadline: the deferred answer says something went wrong", async () => {
    const { customId, key } = await openParkedForm();
    // Never answered: the store's own timeout ends the read, after the deferred answer went.
    slow.blobs.fail({ kind: "late" }, { method: "GET", key });
    const submission = slow.discord.issueInteraction({ type: 5 });
    const answer = await slow.send(DISCORD_PAYLOADS.modalSubmit(submission, customId, [{ id: "title", value: "Never read" }]));
    expect(answer.json).toEqual({ type: 5, data: { flags: 64 } });
    await slow.settle();
    expect(seen.contexts).toEqual([]);
    expect(slow.discord.interactions.find((issued) => issued.id === submission.id)?.original).toMatchObject({ content: "Something went wrong on my side. Please try again in a moment.", flags: 64, edited: true });
  });

  it("a refusal whose Fix it value is still being parked at the deadline is answered deferred (5), and fills it in once parked", async () => {
    // The only write of this submission: the Fix it value, held until the answer went.
    slow.blobs.fail({ kind: "delay" }, { method: "PUT" });
    const submission = slow.discord.issueInteraction({ type: 5 });
    const answer = await slow.send(DISCORD_PAYLOADS.modalSubmit(submission, "task_modal;o=1500000000000000003", [{ id: "title", value: "x" }]));
    expect(answer.json).toEqual({ type: 5, data: { flags: 64 } });
    expect(await slow.blobs.releaseHeld()).toBe(1);
    await slow.settle();
    const original = slow.discord.interactions.find((issued) => issued.id === submission.id)?.original;
    expect(original).toMatchObject({ flags: 64, edited: true, content: expect.stringContaining("Give the task a title of at least 2 characters.") });
    expect(JSON.stringify(original?.components)).toContain("reopen_form;;~");
  });
});

describe("past the token's 15 minutes", () => {
  let clock = Date.now();
  let late: DiscordHarness;
  beforeAll(async () => {
    late = await startDiscordHarness({ routes, ackDeadlineMs: 500, now: () => clock, discordNow: () => clock });
  });
  afterAll(() => late.close());

  it("tells the person by DM", async () => {
    const interaction = late.discord.issueInteraction({ type: 2 });
    const answer = await late.send(DISCORD_PAYLOADS.taskCommand(interaction, "late"));
    expect(answer.json).toEqual({ type: 5, data: { flags: 64 } });
    clock += 15 * 60_000;
    gate.open();
    await late.settle();
    expect(late.discord.callsTo("edit_original")).toEqual([]);
    expect(late.discord.callsTo("create_dm").map((call) => call.body)).toEqual([{ recipient_id: DISCORD_SEED.alice }, { recipient_id: DISCORD_SEED.alice }]);
    expect(late.discord.messages.filter((message) => message.interaction_token === undefined).map((message) => message.content)).toEqual(["Here is your list.", "And a follow-up."]);
  });
});

describe("an autocomplete", () => {
  it("is answered with no choices (type 8), never a message", async () => {
    const { payload } = command("Fix");
    const answer = await h.send(payload, { body: JSON.stringify({ ...payload, type: 4 }), deliver: false });
    expect(answer.json).toEqual({ type: 8, data: { choices: [] } });
  });
});

describe("the server allow list", () => {
  let fenced: DiscordHarness;
  beforeAll(async () => {
    fenced = await startDiscordHarness({ routes, env: { DISCORD_ALLOWED_GUILD_IDS: "1200000000000000099" } });
  });
  afterAll(() => fenced.close());

  it("refuses a person from another server privately, and runs nothing", async () => {
    const interaction = fenced.discord.issueInteraction({ type: 2 });
    const answer = await fenced.send(DISCORD_PAYLOADS.taskCommand(interaction, "help"));
    expect(answer.json).toMatchObject({ type: 4, data: { flags: 64, content: "Sorry, this bot only works in the servers it was set up for, so it can't take this from you." } });
    expect(seen.runs).toBe(0);
    expect(fenced.logs.some((line) => line.includes('"outcome":"team_not_allowed"'))).toBe(true);
  });
});

describe("Discord alone", () => {
  it("runs the schedules with no Slack variable set, and the clean-up deletes parked values past their time", async () => {
    await h.store.write(`${PARKED_PREFIX}expired`, { value: "old", until: Date.now() - 1 });
    await h.store.write(`${PARKED_PREFIX}live`, { value: "new", until: Date.now() + 60_000 });
    const cleanup = await h.runSchedule("store-cleanup");
    expect(cleanup).toMatchObject({ status: 200, json: { outcome: "cleaned", expiredDeleted: 1 } });
    const kept = (await h.store.list(PARKED_PREFIX)).keys;
    expect([kept.includes(`${PARKED_PREFIX}live`), kept.includes(`${PARKED_PREFIX}expired`)]).toEqual([true, false]);
    expect(await h.runSchedule("task-sync")).toMatchObject({ status: 200 });
    expect(h.logs.join("\n")).not.toContain("not_configured");
  });
});

describe("the real routes (those on the port)", () => {
  let real: DiscordHarness;
  beforeAll(async () => {
    real = await startDiscordHarness();
  });
  afterAll(() => real.close());

  it("/task text:help answers with the help, ephemeral, in Discord's markdown", async () => {
    const interaction = real.discord.issueInteraction({ type: 2 });
    const answer = await real.send(DISCORD_PAYLOADS.taskCommand(interaction, "help"));
    expect(answer.refused).toBeUndefined();
    expect(answer.json).toMatchObject({ type: 4, data: { flags: 64, allowed_mentions: { parse: [] }, content: expect.stringContaining("/task") } });
  });

  it("/task text:list reads the board and answers privately (at once, or by filling in the deferred answer)", async () => {
    const interaction = real.discord.issueInteraction({ type: 2 });
    const answer = await real.send(DISCORD_PAYLOADS.taskCommand(interaction, "list"));
    await real.settle();
    expect(answer.refused).toBeUndefined();
    const shown = answer.json?.type === 4 ? answer.json.data : real.discord.interactions[0]?.original;
    expect(shown).toMatchObject({ flags: 64, content: expect.stringMatching(/\w/) });
  });
});
