/**
 * The task request on Discord, end to end: `/task` and the `Create task` message command open the
 * task form as the first response (type 9), its submission saves one page however often it is sent,
 * and the person gets the link in the deferred answer; the real handler and routes, signed as Discord
 * signs, against the Discord and Notion emulators and the real Blobs server, Discord's variables only.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DISCORD_SEED } from "../../dev/discord-emulator.js";
import { startDiscordHarness, type DiscordHarness } from "../../dev/discord-harness.js";
import { DISCORD_PAYLOADS } from "../../dev/discord-signed.js";
import { UNOFFERED_PRIORITY } from "../../src/tasks/task.js";

type Modal = { custom_id: string; title: string; components: { type: number; label?: string; description?: string; component?: { custom_id: string; value?: string; options?: { label: string; value: string }[] } }[] };

let h: DiscordHarness;
beforeAll(async () => {
  h = await startDiscordHarness({ env: { DISCORD_TASKS_CHANNEL_ID: DISCORD_SEED.general } });
});
afterAll(() => h.close());
beforeEach(() => {
  h.discord.reset();
  h.logs.length = 0;
});

const pages = () => h.notion.pages();
const text = (page: { properties: Record<string, unknown> }, name: string) => {
  const property = page.properties[name] as { rich_text?: { plain_text: string }[]; title?: { plain_text: string }[]; url?: string | null } | undefined;
  return property?.url ?? (property?.rich_text ?? property?.title ?? []).map((item) => item.plain_text).join("");
};

/** `/task <text>`: the modal the bot answered with. */
async function openByCommand(typed: string): Promise<{ modal: Modal; openedBy: string }> {
  const interaction = h.discord.issueInteraction({ type: 2 });
  const answer = await h.send(DISCORD_PAYLOADS.taskCommand(interaction, typed));
  expect(answer.refused).toBeUndefined();
  expect(answer.json?.type).toBe(9);
  return { modal: answer.json!.data as unknown as Modal, openedBy: interaction.id };
}

/** Submits the modal with `values` (by input id); the bot's answer and the submission's interaction. */
async function submit(modal: Modal, values: Record<string, string>) {
  const submission = h.discord.issueInteraction({ type: 5 });
  const answer = await h.send(DISCORD_PAYLOADS.modalSubmit(submission, modal.custom_id, Object.entries(values).map(([id, value]) => ({ id, value }))));
  return { answer, submission, original: () => h.discord.interactions.find((candidate) => candidate.id === submission.id)?.original };
}

describe("/task on Discord", () => {
  it("answers with the task form as its first response: labelled, the title prefilled, the priorities offered", async () => {
    const before = pages().length;
    const { modal } = await openByCommand("Fix login on Safari");
    expect(modal.title).toBe("New task");
    expect(modal.custom_id.startsWith("task_modal;")).toBe(true);
    const labels = modal.components.filter((component) => component.type === 18).map((component) => component.label);
    expect(labels).toEqual(["Title", "Description", "Priority", "Due date"]);
    const [title, , priority] = modal.components.map((component) => component.component);
    expect(title).toMatchObject({ custom_id: "title", value: "Fix login on Safari" });
    expect(priority?.options?.map((option) => option.value)).toEqual(["High", "Medium", "Low"]);
    // Nothing but the answer: the form opened before anything was written.
    expect(pages()).toHaveLength(before);
  });

  it("saves one page from the submission, with the requester as a Discord person and the link to the channel, and edits the deferred answer with its link", async () => {
    const { modal, openedBy } = await openByCommand("Fix login");
    const before = pages().length;
    const { answer, original } = await submit(modal, { title: "Fix login", priority: "High", due: "2030-01-31" });
    expect(answer.json).toEqual({ type: 5, data: { flags: 64 } });
    await h.settle();
    const saved = pages().slice(before);
    expect(saved).toHaveLength(1);
    const page = saved[0]!;
    expect(text(page, "Requested by")).toBe(`Alice (discord:${DISCORD_SEED.alice})`);
    expect(text(page, "Slack link")).toBe(`https://discord.com/channels/${DISCORD_SEED.guildId}/${DISCORD_SEED.general}`);
    expect(text(page, "Request ID")).toBe(`discord-modal:${openedBy}`);
    expect(original()).toMatchObject({ flags: 64, edited: true });
    expect(original()?.content).toContain(page.url);
    // The announcement in DISCORD_TASKS_CHANNEL_ID, pinging no one.
    const announced = h.discord.callsTo("create_message").map((call) => call.body as { content: string; allowed_mentions: unknown });
    expect(announced).toHaveLength(1);
    expect(announced[0]!.content).toContain("Fix login");
    expect(announced[0]!.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it("fills the deferred answer even when Discord has not taken the first response yet: Unknown Webhook (10015) just after it is tried again, not taken for an expired token", async () => {
    const { modal } = await openByCommand("Overtaken");
    const before = pages().length;
    // The edit overtook the HTTP answer, as it does when Discord takes the two independently (through netlify dev, and in production).
    h.discord.fail("edit_original", { kind: "error", status: 404, code: 10015, message: "Unknown Webhook" });
    const { original } = await submit(modal, { title: "Overtaken" });
    await h.settle();
    const [page] = pages().slice(before);
    expect(original()).toMatchObject({ flags: 64, edited: true });
    expect(original()?.content).toContain(page!.url);
    expect(h.discord.callsTo("edit_original")).toHaveLength(2);
    expect(h.discord.callsTo("create_dm")).toHaveLength(0);
  });

  it("lists the task among the requester's own with /task list: the board finds a Discord requester by platform and id", async () => {
    const { modal } = await openByCommand("Rotate the keys");
    await submit(modal, { title: "Rotate the keys" });
    await h.settle();
    const interaction = h.discord.issueInteraction({ type: 2 });
    const answer = await h.send(DISCORD_PAYLOADS.taskCommand(interaction, "list"));
    await h.settle();
    const original = h.discord.interactions.find((candidate) => candidate.id === interaction.id)?.original;
    expect([JSON.stringify(answer.json), original?.content ?? ""].join("\n")).toContain("Rotate the keys");
  });

  it("saves one page however often the same form is sent", async () => {
    const { modal } = await openByCommand("Once only");
    const before = pages().length;
    await submit(modal, { title: "Once only" });
    await h.settle();
    await submit(modal, { title: "Once only" });
    await h.settle();
    expect(pages().slice(before)).toHaveLength(1);
  });

  it("refuses what cannot be saved, keeping every value for the form shown again", async () => {
    const { modal, openedBy } = await openByCommand("");
    const before = pages().length;
    const { answer, submission } = await submit(modal, { title: "Plan", due: "1999-01-01", description: "typed with care" });
    expect(answer.json).toMatchObject({ type: 4, data: { flags: 64 } });
    expect((answer.json?.data as { content: string }).content).toContain("That date has passed");
    const fixIt = (answer.json?.data as { components: { components: { custom_id: string }[] }[] }).components[0]!.components[0]!;
    const message = h.discord.interactions.find((candidate) => candidate.id === submission.id)!.original!;
    const press = h.discord.issueInteraction({ type: 3, messageId: message.id });
    const reopened = await h.send(DISCORD_PAYLOADS.buttonPress(press, fixIt.custom_id, { id: message.id, flags: 64 }));
    expect(reopened.json?.type).toBe(9);
    const again = reopened.json!.data as unknown as Modal;
    const inputs = Object.fromEntries(again.components.flatMap((component) => (component.component ? [[component.component.custom_id, component]] : [])));
    expect(inputs["title"]?.component?.value).toBe("Plan");
    expect(inputs["description"]?.component?.value).toBe("typed with care");
    expect(inputs["due"]).toMatchObject({ description: expect.stringContaining("That date has passed"), component: { value: "1999-01-01" } });
    expect(pages().length).toBe(before);
    // The same form: fixed and sent, it saves under the first opening's key.
    await submit(again, { title: "Plan", description: "typed with care", due: "2030-01-31" });
    await h.settle();
    const saved = pages().slice(before);
    expect(saved.map((page) => text(page, "Request ID"))).toEqual([`discord-modal:${openedBy}`]);
  });

  it("refuses a priority the board does not offer (a modal's value is the client's), saying so under the priority when Fix it opens the form again, and writes nothing", async () => {
    const { modal } = await openByCommand("");
    const before = pages().length;
    const creates = h.notion.requestsTo("pages.create").length;
    const { answer, submission } = await submit(modal, { title: "Plan", description: "typed with care", priority: "Urgent" });
    expect(answer.json).toMatchObject({ type: 4, data: { flags: 64 } });
    expect((answer.json?.data as { content: string }).content).toContain(UNOFFERED_PRIORITY);
    const fixIt = (answer.json?.data as { components: { components: { custom_id: string }[] }[] }).components[0]!.components[0]!;
    const message = h.discord.interactions.find((candidate) => candidate.id === submission.id)!.original!;
    const reopened = await h.send(DISCORD_PAYLOADS.buttonPress(h.discord.issueInteraction({ type: 3, messageId: message.id }), fixIt.custom_id, { id: message.id, flags: 64 }));
    const again = reopened.json!.data as unknown as Modal;
    const inputs = Object.fromEntries(again.components.flatMap((component) => (component.component ? [[component.component.custom_id, component]] : [])));
    expect(inputs["description"]?.component?.value).toBe("typed with care");
    expect(inputs["priority"]).toMatchObject({ description: expect.stringContaining(UNOFFERED_PRIORITY) });
    expect(inputs["priority"]?.component?.options?.map((option) => option.value)).toEqual(["High", "Medium", "Low"]);
    await h.settle();
    // No page written, so no option made on the board.
    expect(pages().length).toBe(before);
    expect(h.notion.requestsTo("pages.create")).toHaveLength(creates);
  });

  it("keeps everything typed when Notion refuses the save: Fix it opens the form as it was sent, saying why", async () => {
    const { modal } = await openByCommand("Doomed");
    h.notion.fail("pages.create", { kind: "error", status: 400, code: "validation_error" });
    const { answer, submission } = await submit(modal, { title: "Doomed", description: "Every word of this" });
    expect(answer.json).toMatchObject({ type: 4, data: { flags: 64 } });
    expect((answer.json?.data as { content: string }).content).toContain("Not saved");
    const fixIt = (answer.json?.data as { components: { components: { custom_id: string }[] }[] }).components[0]!.components[0]!;
    const message = h.discord.interactions.find((candidate) => candidate.id === submission.id)!.original!;
    const reopened = await h.send(DISCORD_PAYLOADS.buttonPress(h.discord.issueInteraction({ type: 3, messageId: message.id }), fixIt.custom_id, { id: message.id, flags: 64 }));
    const values = (reopened.json!.data as unknown as Modal).components.map((component) => component.component?.value);
    expect(values.slice(0, 2)).toEqual(["Doomed", "Every word of this"]);
  });
});

describe("Create task on a Discord message", () => {
  it("opens the form prefilled from the message, and the page links to it and names its author", async () => {
    const target = { id: "1500000000000000042", content: "The export times out\nfor every CSV over 10 MB", authorId: DISCORD_SEED.bob };
    const interaction = h.discord.issueInteraction({ type: 2 });
    const answer = await h.send(DISCORD_PAYLOADS.messageCommand(interaction, "Create task", target));
    expect(answer.json?.type).toBe(9);
    const modal = answer.json!.data as unknown as Modal;
    const [title, description] = modal.components.map((component) => component.component);
    expect(title?.value).toBe("The export times out");
    expect(description?.value).toBe(target.content);
    const before = pages().length;
    await submit(modal, { title: "The export times out", description: target.content });
    await h.settle();
    const [page] = pages().slice(before);
    expect(text(page!, "Slack link")).toBe(`https://discord.com/channels/${DISCORD_SEED.guildId}/${DISCORD_SEED.general}/${target.id}`);
    expect(text(page!, "Requested by")).toBe(`Alice (discord:${DISCORD_SEED.alice}), from a message by Bob (discord:${DISCORD_SEED.bob})`);
  });
});

describe("a save that fails after the answer, on Discord", () => {
  let slow: DiscordHarness;
  beforeAll(async () => {
    slow = await startDiscordHarness({ ackDeadlineMs: 1_500 });
  });
  afterAll(() => slow.close());

  it("says it is saving, then sends back everything typed when the save fails", async () => {
    const before = slow.notion.pages().length;
    const interaction = slow.discord.issueInteraction({ type: 2 });
    const modal = (await slow.send(DISCORD_PAYLOADS.taskCommand(interaction, "Slow and doomed"))).json!.data as unknown as Modal;
    // The look for an earlier save is held: the answer goes at the deadline, the save after it.
    slow.notion.fail("dataSources.query", { kind: "delay" });
    const submission = slow.discord.issueInteraction({ type: 5 });
    const answer = await slow.send(DISCORD_PAYLOADS.modalSubmit(submission, modal.custom_id, [{ id: "title", value: "Slow and doomed" }, { id: "description", value: "Every word of this" }]));
    // Ephemeral: the notice itself, or Discord's "thinking" when the deadline came first (the notice then fills it in).
    expect([4, 5]).toContain(answer.json?.type);
    expect(answer.json?.data).toMatchObject({ flags: 64 });
    slow.notion.fail("pages.create", { kind: "error", status: 400, code: "validation_error" });
    slow.notion.releaseHeld();
    await slow.settle();
    const original = slow.discord.interactions.find((candidate) => candidate.id === submission.id)?.original;
    const said = [original?.content ?? "", ...slow.discord.messages.map((message) => message.content)].join("\n");
    expect(said).toContain("I couldn't save your task to Notion");
    expect(said).toContain("Slow and doomed");
    expect(said).toContain("Every word of this");
    expect(slow.notion.pages()).toHaveLength(before);
  });
});

describe("the board's priorities on Discord", () => {
  let own: DiscordHarness;
  beforeAll(async () => {
    own = await startDiscordHarness({ board: { Priority: { select: { options: [{ name: "P0", color: "red" }, { name: "P1", color: "gray" }] } } } });
  });
  afterAll(() => own.close());

  it("are in the form from its first response: a modal cannot be redrawn once open, so the board is read before it opens", async () => {
    const interaction = own.discord.issueInteraction({ type: 2 });
    const answer = await own.send(DISCORD_PAYLOADS.taskCommand(interaction, "Fix login"));
    expect(answer.json?.type).toBe(9);
    const priority = (answer.json!.data as unknown as Modal).components.find((component) => component.component?.custom_id === "priority");
    expect(priority?.component?.options?.map((option) => option.value)).toEqual(["P0", "P1"]);
    // Nothing redraws it later: Discord has no such call.
    await own.settle();
    expect(own.discord.calls.map((call) => call.route)).toEqual(["http_response"]);
  });
});
